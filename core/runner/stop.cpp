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

// Ends a child group whose runner is gone.
void end_orphan(const ProcessId& child, std::chrono::milliseconds wait, StopReport& report) {
    if (!same_process(child)) return;
    platform::send_signal(child.pid, platform::stop_signal_terminate(), platform::Target::group);
    if (!wait_until([&] { return !platform::process_alive(child.pid); }, wait)) {
        platform::send_signal(child.pid, platform::stop_signal_kill(), platform::Target::group);
        report.said.push_back("killed the program's process group " + std::to_string(child.pid) + " after " +
                              std::to_string(wait.count() / 1000) + " s");
        return;
    }
    report.said.push_back("ended the program's process group " + std::to_string(child.pid) + " left by a dead runner");
}

void end_runner(const std::filesystem::path& pid_file, const PidRecord& record, std::chrono::milliseconds wait,
                StopReport& report) {
    auto pid = std::to_string(record.runner.pid);
    platform::send_signal(record.runner.pid, platform::stop_signal_terminate(), platform::Target::process);
    if (wait_until([&] { return !platform::pid_file_locked(pid_file); }, wait)) {
        report.said.push_back("stopped the runner (PID " + pid + ") and its program");
        return;
    }
    platform::send_signal(record.runner.pid, platform::stop_signal_kill(), platform::Target::process);
    if (record.child && same_process(*record.child)) {
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
    if (!platform::pid_file_locked(pid_file)) platform::remove_file(pid_file);
    report.said.push_back("removed the stale PID file " + pid_file.string() +
                          (record ? " (runner PID " + std::to_string(record->runner.pid) + " is gone)" : ""));
    return report;
}

}  // namespace ductor::runner
