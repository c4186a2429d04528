#pragma once
// The conventions of `ductor run` (the runner a backend can put in front of
// the program) that backends and the core share: how to invoke it, where its
// PID file and log files are, and what the PID file says. Part of the SDK
// library (`ductor::sdk`); pure functions, no side effects.
//
//   <ductor home>/run/<name>.pid   while the runner runs (see PidRecord)
//   <log dir>/<name>.log           the current log
//   <log dir>/<name>.log.1 ... .N  rotated logs, .1 the newest

#include <ductor/sdk/host.hpp>
#include <ductor/sdk/spec.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::sdk::runner {

// A process and when it started (platform units; equal only for the same
// process), so that a PID reused by an unrelated process is never taken for it.
struct ProcessId {
    long long pid = 0;
    std::uint64_t start_time = 0;
    // Written out, not defaulted: the SDK headers are C++17.
    friend bool operator==(const ProcessId& a, const ProcessId& b) {
        return a.pid == b.pid && a.start_time == b.start_time;
    }
    friend bool operator!=(const ProcessId& a, const ProcessId& b) { return !(a == b); }
};

// The PID file's content:
//   runner=4242 4711133        (PID and start time)
//   child=4250 4711140         (absent until the child started)
//   grace=10                   (seconds the runner gives its child)
//   restarts=3                 (restarts so far; absent while 0)
//   last_exit=1                (exit code of the last run; absent before the first ended)
//   next_start=1764658000      (seconds since 1970: a restart waits until then; absent otherwise)
//   log_problem=TEXT           (why the log is not written as asked; absent when it is)
// Readers ignore keys they do not know.
struct PidRecord {
    ProcessId runner;
    std::optional<ProcessId> child;
    long long grace_seconds = 10;
    unsigned restarts = 0;
    std::optional<int> last_exit;
    std::optional<long long> next_start;
    std::string log_problem;
    // Every field; written out, not defaulted: the SDK headers are C++17.
    friend bool operator==(const PidRecord& a, const PidRecord& b) {
        return a.runner == b.runner && a.child == b.child && a.grace_seconds == b.grace_seconds &&
               a.restarts == b.restarts && a.last_exit == b.last_exit && a.next_start == b.next_start &&
               a.log_problem == b.log_problem;
    }
    friend bool operator!=(const PidRecord& a, const PidRecord& b) { return !(a == b); }
};

std::string format_pid_record(const PidRecord& record);
// nullopt when the text is not a PID record (empty, torn, foreign).
std::optional<PidRecord> parse_pid_record(const std::string& text);

// <ductor home>/run/<name>.pid
std::filesystem::path pid_file(const std::filesystem::path& ductor_home, std::string_view name);

// The spec's log folder: its log_directory, else <ductor home>/logs.
std::filesystem::path log_directory(const Host& host, const ServiceSpec& spec);

// <dir>/<name>.log, and the rotated <dir>/<name>.log.<index> (1 = newest rotated).
std::filesystem::path log_path(const std::filesystem::path& dir, std::string_view name);
std::filesystem::path rotated_log_path(const std::filesystem::path& dir, std::string_view name, unsigned index);

// The runner's log files of `name` among `entries` (a folder listing),
// oldest first: <name>.log.N ... <name>.log.1, then <name>.log.
std::vector<std::filesystem::path> order_log_files(const std::vector<std::filesystem::path>& entries,
                                                   std::string_view name);

// How a backend wants the runner to behave.
struct Invocation {
    std::string name;
    std::optional<std::filesystem::path> log_directory;  // --log-dir, when the spec names one
    std::string log_to = "file";                         // --log-to file|stdout|both
    std::optional<RestartPolicy> restart;                // --restart, for managers that do not restart
    std::optional<std::chrono::seconds> restart_delay;   // --restart-delay
    std::vector<EnvVar> environment;                     // --env KEY=VALUE each, for managers that set none
    // Added in SDK 1.2, for a runner that is its program's only supervisor:
    bool detach = false;                                     // --detach: return once the detached runner is ready
    std::optional<std::filesystem::path> working_directory;  // --workdir
    std::optional<std::chrono::seconds> grace;               // --grace
    std::optional<unsigned> crash_loop_limit;                // --crash-loop-limit (0: never give up)
    std::optional<std::chrono::seconds> backoff_max;         // --backoff-max: double the delay up to this
    std::optional<std::filesystem::path> home;  // --home: the ductor home, when the user moved it (added in 3.0)
};

// The arguments after the ductor executable:
// run [--detach] --name N --log-to T [--log-dir D] [--restart P] [--restart-delay S] [--grace S]
//     [--crash-loop-limit N] [--backoff-max S] [--workdir D] [--home D] [--env K=V]... -- argv...
std::vector<std::string> run_arguments(const Invocation& invocation, const std::vector<std::string>& argv);

// A run definition: the runner's arguments in a file, for a manager whose own
// fields would change them (Task Scheduler expands %NAME% in an action's
// command line, and caps it in length). `ductor run --definition FILE` reads
// it and runs as if its arguments had been typed after `run`. The text is
// UTF-8: the line k_definition_header, then each argument on a line of its
// own, each line ending in LF (an empty line is an empty argument).
inline constexpr std::string_view k_definition_header = "ductor run definition 1";

// The definition text of `arguments` (run_arguments() without its leading
// "run"); nullopt when an argument contains NUL, CR or LF.
std::optional<std::string> format_definition(const std::vector<std::string>& arguments);

// True when Windows would start `program` through cmd.exe: a .bat or .cmd
// file (any case; Windows ignores trailing dots and blanks of a file name).
// cmd.exe reads the arguments by its own rules ('&' ends a command, %NAME% is
// expanded), so no quoting keeps an argv intact (the "BatBadBut" class).
bool is_batch_program(std::string_view program);

// The arguments of a definition text; nullopt when the header is missing, the
// last line is not ended or the text holds NUL or CR.
std::optional<std::vector<std::string>> parse_definition(std::string_view text);

}  // namespace ductor::sdk::runner
