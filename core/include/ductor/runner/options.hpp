#pragma once
// What `ductor run` was asked to do, checked and with defaults applied.

#include <ductor/runner/log_writer.hpp>
#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/spec.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::runner {

// What `ductor run` was asked, raw as typed: the CLI fills it, make_options checks it.
struct RunRequest {
    std::string name = "ductor";
    std::optional<std::string> log_dir;  // default <ductor home>/logs
    std::string log_to = "both";         // file | stdout | both
    std::string log_size = "10M";
    unsigned log_files = 5;
    long long grace = 10;  // seconds
    std::string restart = "never";
    long long restart_delay = 1;  // seconds
    unsigned crash_loop_limit = 5;
    long long backoff_max = 0;           // seconds; 0: a fixed --restart-delay
    bool detach = false;                 // run in the background, return once ready
    std::optional<std::string> workdir;  // the program's working folder
    std::vector<std::string> env;        // raw KEY=VALUE for the program
    std::optional<std::string> home;     // the ductor home, as if DUCTOR_HOME were set; absolute
    std::vector<std::string> program;
};

// Whether a service manager restarts the runner itself (so exit 42 goes up).
enum class Supervised { no, yes };

struct RunOptions {
    std::string name = "ductor";
    std::vector<std::string> program;      // argv, never a shell string
    std::vector<sdk::EnvVar> environment;  // --env, added to the inherited environment
    LogSettings log;                       // directory, size, files, pass-through
    std::filesystem::path pid_file;        // <ductor home>/run/<name>.pid
    std::chrono::seconds grace{10};        // between TERM and KILL of the group
    sdk::RestartPolicy restart = sdk::RestartPolicy::never;
    std::chrono::seconds restart_delay{1};
    unsigned crash_loop_limit = 5;        // rapid restarts in a row before giving up; 0: no cap
    std::chrono::seconds rapid_run{10};   // a run shorter than this counts as rapid
    std::chrono::seconds backoff_max{0};  // > 0: the delay doubles per rapid run up to this; never give up
    Supervised supervised = Supervised::no;
    bool detach = false;                                     // leave the caller; report readiness to it
    std::optional<std::filesystem::path> working_directory;  // absolute; the program runs there
};

// "10M", "512K", "1G", "4096" (bytes; K/M/G are powers of 1024). nullopt when
// malformed or above 1 TiB.
std::optional<std::uint64_t> parse_size(std::string_view text);

// True when the environment says a service manager restarts this process:
// DUCTOR_SUPERVISOR=1 or systemd's INVOCATION_ID (empty values count as unset).
Supervised supervised_from(const std::optional<std::string>& ductor_supervisor,
                           const std::optional<std::string>& invocation_id);

// Checks the command line; the error text names the option at fault.
// `environment_home` is the ductor home the environment names (DUCTOR_HOME or
// ~/.ductor); --home (`command.home`) replaces it.
sdk::Expected<RunOptions> make_options(const RunRequest& command, const std::filesystem::path& environment_home,
                                       Supervised supervised);

}  // namespace ductor::runner
