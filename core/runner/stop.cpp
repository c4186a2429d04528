#include <ductor/runner/stop.hpp>

#include <ductor/platform/files.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/runner/pid_file.hpp>

#include <thread>

namespace ductor::runner {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto k_poll = std::chrono::milliseconds(50);

// True when `id` still names the process that was recorded (not a reused PID).
bool same_process(const ProcessId& id) {
    if (!platform::process_alive(id.pid)) return false;
    auto started = platform::process_start_time(id.pid);
    return !started || id.start_time == 0 || *started == id.start_time;
}

template <typename Gone>
bool wait_until(Gone gone, std::chrono::milliseconds limit) {
    auto until = Clock::now() + limit;
    while (!gone()) {
        if (Clock::now() >= until) return false;
        std::this_thread::sleep_for(k_poll);
    }
    return true;
}

// The record, read again while a starting runner has not written it yet.
std::optional<PidRecord> read_record(const std::filesystem::path& pid_file) {
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (auto text = platform::read_file(pid_file)) {
            if (auto record = parse_pid_record(*text)) return record;
        }
        std::this_thread::sleep_for(k_poll);
    }
    return std::nullopt;
}

// True while the child's group is ours and alive. A live leader must be the
// recorded process; with the leader gone, a live group still is ours (its id
// cannot be handed to a new process while the group has members).
bool child_group_alive(const ProcessId& child) {
    if (platform::process_alive(child.pid)) return same_process(child);
    return platform::group_alive(child.pid);
}

// Ends a child group whose runner is gone: TERM, wait, KILL, and says whether it is gone.
void end_orphan(const ProcessId& child, std::chrono::milliseconds wait, StopReport& report) {
    if (!child_group_alive(child)) return;
    const auto group = std::to_string(child.pid);
    platform::send_signal(child.pid, platform::stop_signal_terminate(), platform::Target::group);
    if (wait_until([&] { return !platform::group_alive(child.pid); }, wait)) {
        report.said.push_back("ended the program's process group " + group + " left by a dead runner");
        return;
    }
    platform::send_signal(child.pid, platform::stop_signal_kill(), platform::Target::group);
    if (!wait_until([&] { return !platform::group_alive(child.pid); }, std::chrono::seconds(2))) {
        report.said.push_back("the program's process group " + group + " did not end, even after SIGKILL");
        report.failed = true;
        return;
    }
    report.said.push_back("killed the program's process group " + group + " after " +
                          std::to_string(wait.count() / 1000) + " s");
}

void end_runner(const std::filesystem::path& pid_file, const PidRecord& record, std::chrono::milliseconds wait,
                StopReport& report) {
    auto pid = std::to_string(record.runner.pid);
    if (!same_process(record.runner)) {  // never signal on the strength of the number alone
        report.said.push_back("a runner holds " + pid_file.string() + " but PID " + pid +
                              " is not the process it recorded; nothing was signalled");
        report.failed = true;
        return;
    }
    platform::send_signal(record.runner.pid, platform::stop_signal_terminate(), platform::Target::process);
    if (wait_until([&] { return !platform::pid_file_locked(pid_file); }, wait)) {
        report.said.push_back("stopped the runner (PID " + pid + ") and its program");
        return;
    }
    platform::send_signal(record.runner.pid, platform::stop_signal_kill(), platform::Target::process);
    if (record.child && child_group_alive(*record.child)) {
        platform::send_signal(record.child->pid, platform::stop_signal_kill(), platform::Target::group);
    }
    if (!wait_until([&] { return !platform::pid_file_locked(pid_file); }, std::chrono::seconds(2))) {
        report.said.push_back("the runner (PID " + pid + ") did not end, even after SIGKILL");
        report.failed = true;
        return;
    }
    report.said.push_back("killed the runner (PID " + pid + ") and its program: they did not stop within " +
                          std::to_string(wait.count() / 1000) + " s");
}

}  // namespace

std::optional<long long> running_runner(const std::filesystem::path& pid_file) {
    if (!platform::pid_file_locked(pid_file)) return std::nullopt;
    auto record = read_record(pid_file);
    if (!record || !same_process(record->runner)) return std::nullopt;
    return record->runner.pid;
}

StopReport end_left_program(const std::string& stale) {
    StopReport report;
    auto record = parse_pid_record(stale);
    if (record && record->child) end_orphan(*record->child, std::chrono::seconds(record->grace_seconds), report);
    return report;
}

StopReport stop_runner(const std::filesystem::path& pid_file, std::chrono::seconds margin) {
    StopReport report;
    std::error_code ec;
    if (!std::filesystem::exists(pid_file, ec)) {
        report.said.push_back("no runner is running (no " + pid_file.string() + ")");
        return report;
    }
    if (platform::pid_file_locked(pid_file)) {
        auto record = read_record(pid_file);
        if (!record) {
            report.said.push_back("a runner holds " + pid_file.string() + " but its PID cannot be read");
            report.failed = true;
            return report;
        }
        end_runner(pid_file, *record, std::chrono::seconds(record->grace_seconds) + margin, report);
        return report;
    }
    // Nobody holds the lock: the runner is gone (its PID may belong to another process by now).
    auto text = platform::read_file(pid_file);
    auto record = text ? parse_pid_record(*text) : std::nullopt;
    if (record && record->child)
        end_orphan(*record->child, std::chrono::seconds(record->grace_seconds) + margin, report);
    if (report.failed) return report;  // keep the record while its group lives
    if (!platform::pid_file_locked(pid_file)) platform::remove_file(pid_file);
    report.said.push_back("removed the stale PID file " + pid_file.string() +
                          (record ? " (runner PID " + std::to_string(record->runner.pid) + " is gone)" : ""));
    return report;
}

}  // namespace ductor::runner
