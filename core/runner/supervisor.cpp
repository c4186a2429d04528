#include <ductor/runner/supervisor.hpp>

#include <ductor/platform/runner.hpp>
#include <ductor/runner/pid_file.hpp>
#include <ductor/runner/stop.hpp>

#include <algorithm>
#include <cstdio>
#include <thread>

namespace ductor::runner {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto k_poll = std::chrono::milliseconds(50);
constexpr auto k_drain_after_kill = std::chrono::seconds(2);

struct Session {
    const RunOptions& options;
    LogWriter& log;
    platform::PidLock& lock;
    platform::StopRequests& stops;
    PidRecord record;
    bool stopping = false;
};

struct RunResult {
    int exit_code = 0;
    bool spawn_failed = false;
};

ProcessId process_id(long long pid) { return {pid, platform::process_start_time(pid).value_or(0)}; }

// Moves output into the log until `done()`; forwards stop requests; kills
// the group once `kill_at` passed; gives up 2 s after the kill.
// When the group gets SIGKILL; once sent, it is not sent again.
struct KillTimer {
    Clock::time_point at = Clock::time_point::max();
    bool fired = false;
};

template <typename Done>
void pump(Session& s, platform::ChildGroup& child, KillTimer& kill, Done done) {
    std::vector<platform::OutputChunk> chunks;
    while (!done()) {
        chunks.clear();
        child.read_some(chunks, k_poll);
        platform::reap_adopted(child.pid());
        for (const auto& chunk : chunks) s.log.write(chunk.stream, chunk.data);
        if (s.log.problem() != s.record.log_problem) {  // `status` shows what is wrong with the log
            s.record.log_problem = s.log.problem();
            s.lock.write(format_pid_record(s.record));
        }
        if (auto signal = s.stops.take()) {
            if (!s.stopping) {
                s.log.note("signal " + std::to_string(*signal) + " received; stopping process group " +
                           std::to_string(child.pid()) + " (grace " + std::to_string(s.options.grace.count()) + " s)");
                kill.at = std::min(kill.at, Clock::now() + s.options.grace);
            }
            s.stopping = true;
            child.signal_group(*signal);
        }
        if (!kill.fired && Clock::now() >= kill.at) {
            if (child.signal_group(platform::stop_signal_kill())) {
                s.log.note("grace period over; killed what was left of process group " + std::to_string(child.pid()));
            }
            kill.fired = true;
        }
        if (kill.fired && Clock::now() >= kill.at + k_drain_after_kill)
            return;  // a process left the group and kept the pipe
    }
}

RunResult run_once(Session& s) {
    platform::ChildRequest request{s.options.program, {}};
    for (const auto& var : s.options.environment) request.environment.emplace_back(var.key, var.value);
    request.environment.emplace_back("DUCTOR_SUPERVISOR", "1");  // last: it wins
    auto spawned = platform::ChildGroup::spawn(request);
    if (!spawned) {
        s.log.note("cannot start " + s.options.program.front() + ": " + spawned.error());
        return {k_spawn_failed_exit, true};
    }
    auto& child = *spawned;
    s.record.child = process_id(child->pid());
    s.lock.write(format_pid_record(s.record));
    KillTimer kill;
    std::optional<int> code;
    pump(s, *child, kill, [&] { return (code = child->try_wait()).has_value(); });
    // What is left of the group goes too (as systemd does with a unit's cgroup).
    bool leftovers = !kill.fired && child->signal_group(platform::stop_signal_terminate());
    if (leftovers) kill.at = std::min(kill.at, Clock::now() + s.options.grace);
    pump(s, *child, kill, [&] { return !child->output_open() && (!leftovers || !child->group_alive()); });
    s.log.finish_lines();
    s.record.child.reset();  // written with the exit code, in one record (supervise)
    return {code.value_or(1), false};
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Waits `delay` (recorded as the next start, for `status`); false when a stop request came meanwhile.
bool wait_unless_stopped(Session& s, std::chrono::seconds delay) {
    s.record.next_start = unix_now() + delay.count();
    s.lock.write(format_pid_record(s.record));
    auto until = Clock::now() + delay;
    bool stopped = false;
    while (!stopped && Clock::now() < until) {
        stopped = s.stops.take().has_value();
        platform::reap_adopted(0);
        if (!stopped) std::this_thread::sleep_for(k_poll);
    }
    stopped = stopped || s.stops.take().has_value();
    s.record.next_start.reset();
    if (!stopped) ++s.record.restarts;
    return !stopped;
}

std::string exit_text(int code) {
    if (code > 128)
        return "was ended by signal " + std::to_string(code - 128) + " (exit code " + std::to_string(code) + ")";
    return "exited with code " + std::to_string(code);
}

int supervise(Session& s) {
    unsigned rapid = 0;
    while (true) {
        auto started = Clock::now();
        auto result = run_once(s);
        s.record.last_exit = result.exit_code;
        s.lock.write(format_pid_record(s.record));
        if (s.stopping) return result.exit_code;
        rapid = Clock::now() - started < s.options.rapid_run ? rapid + 1 : 0;
        auto decision = decide(s.options, result.exit_code, rapid);
        if (result.spawn_failed && decision.next == Next::exit) return result.exit_code;
        s.log.note(s.options.program.front() + " " + exit_text(result.exit_code) +
                   (decision.reason.empty() ? "" : "; " + decision.reason));
        if (decision.next == Next::exit) return result.exit_code;
        if (!wait_unless_stopped(s, decision.delay)) return result.exit_code;
    }
}

sdk::Expected<std::unique_ptr<platform::PidLock>> lock_name(const RunOptions& options) {
    std::error_code ec;
    const auto dir = options.pid_file.parent_path();
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return sdk::unexpected("cannot create " + dir.string() + " for the runner's PID file: " + ec.message() +
                               " (set DUCTOR_HOME to a folder you can write)");
    }
    auto lock = platform::PidLock::acquire(options.pid_file);
    if (!lock) {
        const auto& refused = lock.error();
        if (!refused.busy) return sdk::unexpected(refused.error);
        auto record = parse_pid_record(refused.busy->content);
        std::string who = record ? "as PID " + std::to_string(record->runner.pid) : "(it is starting)";
        return sdk::unexpected("'" + options.name + "' is already running " + who + "; see " +
                               options.pid_file.string());
    }
    // A runner of this name that was killed may have left its program running: never two copies.
    auto left = end_left_program((*lock)->previous_content());
    for (const auto& sentence : left.said) std::fprintf(stderr, "ductor run: %s\n", sentence.c_str());
    if (left.failed) {
        return sdk::unexpected("a program that an earlier runner of '" + options.name +
                               "' left running could not be ended");
    }
    return std::move(*lock);
}

}  // namespace

Decision decide(const RunOptions& options, int exit_code, unsigned rapid_in_a_row) {
    Decision decision;
    if (exit_code == k_restart_exit && options.supervised == Supervised::yes) {
        decision.reason = "a restart was asked for; exiting 42 so that the service manager restarts the runner";
        return decision;
    }
    if (exit_code == k_restart_exit) {
        decision = {Next::restart, std::chrono::seconds(0), "a restart was asked for (exit 42); restarting it now"};
    } else if (options.restart == sdk::RestartPolicy::always ||
               (options.restart == sdk::RestartPolicy::on_failure && exit_code != 0)) {
        decision = {Next::restart, options.restart_delay,
                    "restarting it in " + std::to_string(options.restart_delay.count()) + " s (--restart " +
                        sdk::to_string(options.restart) + ")"};
    } else {
        return decision;
    }
    if (options.backoff_max.count() > 0 && rapid_in_a_row > 0 && exit_code != k_restart_exit) {
        auto delay = std::max(decision.delay, std::chrono::seconds(1));
        for (unsigned i = 1; i < rapid_in_a_row && delay < options.backoff_max; ++i) delay *= 2;
        decision.delay = std::min(delay, options.backoff_max);
        decision.reason = "backing off: restarting it in " + std::to_string(decision.delay.count()) + " s (" +
                          std::to_string(rapid_in_a_row) + " short runs in a row; at most " +
                          std::to_string(options.backoff_max.count()) + " s between tries)";
        return decision;
    }
    if (options.crash_loop_limit > 0 && rapid_in_a_row > options.crash_loop_limit) {
        decision = {Next::exit, std::chrono::seconds(0),
                    "crash loop: " + std::to_string(rapid_in_a_row) + " runs in a row ended within " +
                        std::to_string(options.rapid_run.count()) + " s; giving up (--crash-loop-limit " +
                        std::to_string(options.crash_loop_limit) + ")"};
    }
    return decision;
}

int run_supervised(const RunOptions& options, const Readiness& ready) {
    auto lock = lock_name(options);
    if (!lock) {
        std::fprintf(stderr, "ductor run: %s\n", lock.error().c_str());
        if (ready) ready(sdk::unexpected(lock.error()));
        return k_runner_failed_exit;
    }
    auto log = LogWriter::open(options.log);
    if (!log) {
        std::fprintf(stderr, "ductor run: %s\n", log.error().c_str());
        if (ready) ready(sdk::unexpected(log.error()));
        return k_runner_failed_exit;
    }
    platform::become_subreaper();  // the program's orphaned descendants stay under the runner
    platform::StopRequests stops;
    PidRecord record;
    record.runner = process_id(platform::current_pid());
    record.grace_seconds = options.grace.count();
    Session session{options, **log, **lock, stops, record};
    (*lock)->write(format_pid_record(session.record));
    if (ready) ready(sdk::Expected<void>());
    return supervise(session);
}

}  // namespace ductor::runner
