#pragma once
// Where a service's LaunchAgent lives and what it contains, derived from the
// spec and the Host (home, ductor home, ductor executable). Pure: reads only
// paths and environment through the Host, writes nothing.

#include <ductor/launchd/plist.hpp>
#include <ductor/sdk/host.hpp>
#include <ductor/sdk/spec.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::launchd {

// The service name that keeps the original file names (dev.ductor, service.log).
inline constexpr std::string_view k_default_name = "ductor";

// "dev.ductor" for the default name, "dev.ductor.<name>" otherwise.
std::string label_for(std::string_view name);

// The paths of one service.
struct Layout {
    std::string label;
    std::filesystem::path plist;          // ~/Library/LaunchAgents/<label>.plist
    std::filesystem::path log_directory;  // spec.log_directory or <ductor home>/logs
    std::filesystem::path stdout_log;     // service.log, or service-<name>.out
    std::filesystem::path stderr_log;     // service.err, or service-<name>.err
    std::filesystem::path runner_log;     // <log dir>/<name>.log, written (and rotated) by `ductor run`
};

Layout layout_for(const sdk::ServiceSpec& spec, const sdk::Host& host);

// `<ductor> run --name N --log-to file [--log-dir DIR] -- argv...`: the
// program runs under the runner so its output lands in rotating files.
// --log-dir is added only when the spec names a log folder.
std::vector<std::string> program_arguments(const sdk::ServiceSpec& spec, const sdk::Host& host);

// PATH (~/.local/bin, NVM bins newest first, Homebrew, system), HOME,
// DUCTOR_SUPERVISOR=1, DUCTOR_HOME when the user moved it, then the user's
// --env; a user key that matches a default replaces it in place.
std::vector<sdk::EnvVar> service_environment(const sdk::ServiceSpec& spec, const sdk::Host& host);

// Which launchd session the agent is for: the GUI login (Aqua, launchd's
// default) or the user/<uid> domain without one (Background).
enum class Session { gui, background };

// The whole plist model for `spec`.
AgentPlist agent_for(const sdk::ServiceSpec& spec, const sdk::Host& host, Session session = Session::gui);

// Log files for `service logs`, oldest first: the launchd StandardOut/Error
// files (only the runner's own messages), the runner's rotated files
// (<name>.log.N, highest N first) and last the runner's current file, which
// `-f` follows. Rotated files are listed only when they exist.
std::vector<std::filesystem::path> log_files(const sdk::ServiceSpec& spec, const sdk::Host& host);

}  // namespace ductor::launchd
