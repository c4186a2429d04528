#pragma once
// The backend interface: what every plugin implements. The names follow the
// original design (is_service_available, install_service, ...).
//
// Required: every pure virtual below. Optional: restart_service() and
// is_service_running(), which have defaults; a backend that cannot do
// something returns Result::failure with the reason.
//
// Guarantees the core gives a backend:
//   - one thread at a time calls it;
//   - every spec passed in was validated (see ServiceSpec);
//   - the Host outlives the backend; the backend outlives no call of the core
//     into the plugin's library (the core unloads the library last);
//   - any exception a method throws is caught, its what() copied, and reported
//     as a failed operation; prefer returning Result::failure.
// What a backend promises:
//   - is_service_available() is cheap: no child processes, no side effects;
//   - install_service() writes definitions atomically and is safe to repeat
//     (a re-install updates in place and applies the new definition);
//   - stop_service() stops for real, also under restart-on-failure policies,
//     until start_service() is called;
//   - uninstall_service() leaves nothing behind and succeeds when nothing is
//     installed (it says so in a note);
//   - render() changes nothing (read-only queries such as `launchctl print`
//     are allowed); the core calls it before install_service() too, and a
//     Rendering::error there is reported as bad input (exit 2) with nothing written.

#include <ductor/sdk/host.hpp>
#include <ductor/sdk/result.hpp>
#include <ductor/sdk/spec.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ductor::sdk {

// Whether the backend can be used here, now, and why (not).
struct Availability {
    bool available = false;
    std::string reason;  // always filled: "systemd user manager at /run/user/1000/systemd/private"
};

enum class ServiceState {
    not_installed,  // no definition exists
    stopped,        // installed, not running (includes failed; see detail)
    starting,       // installed, being started or restarted
    running,        // the manager reports it running
    unknown,        // could not be determined; see ServiceStatus::error
};

// The detail key that marks a disagreement between what was installed and
// what the manager does: a service running without its definition, a
// definition changed on disk but not loaded, one the manager refuses. The
// core shows it, `status` exits 1 and `service list` marks the service.
inline constexpr const char* k_problem_detail = "problem";

// One backend-specific fact shown by `status` (e.g. "SubState" = "running").
struct StatusField {
    std::string key;
    std::string value;
};

// Structured status; the core prints it as text or JSON and maps it to the
// exit codes 0 (running), 3 (installed, not running), 4 (not installed).
struct ServiceStatus {
    ServiceState state = ServiceState::unknown;
    std::optional<long long> pid;       // main process when running
    std::optional<int> last_exit_code;  // of the last run, when known
    std::vector<StatusField> detail;    // backend facts, in display order
    std::string error;                  // why state is unknown
};

// How the core should show logs.
struct LogRequest {
    std::optional<unsigned> lines;  // -n N: the last N lines; empty: backend default
    bool follow = false;            // -f: keep printing new lines
};

struct LogSource {
    // A command whose output is the log (journalctl ...). The core runs it
    // with the terminal attached; empty when the logs are files.
    std::vector<std::string> command;
    // Log files, oldest first, read and followed by the core.
    std::vector<std::filesystem::path> files;
    std::string error;  // set when the logs cannot be shown (e.g. journalctl missing)
};

// One file an install would write.
struct RenderedFile {
    std::filesystem::path path;
    std::string content;  // the exact bytes written
    std::string preview;  // text for humans when content is not UTF-8 (e.g. UTF-16 XML); empty: content
    std::filesystem::perms mode = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                  std::filesystem::perms::group_read | std::filesystem::perms::others_read;
};

// Everything an install would do, for `--dry-run`.
struct Rendering {
    std::vector<RenderedFile> files;
    std::vector<std::vector<std::string>> commands;  // argv of each command, in order
    std::vector<std::string> notes;
    std::string error;  // set when the spec cannot be rendered (e.g. a newline where the format forbids it)
};

class Backend {
public:
    virtual ~Backend() = default;

    virtual Availability is_service_available() = 0;
    virtual bool is_service_installed(const ServiceSpec& spec) = 0;
    // Optional since 2.1 (`status` asks service_status(); only `ductor boot`
    // asks this, of standalone services). Default: service_status(spec).state
    // is running.
    virtual bool is_service_running(const ServiceSpec& spec) {
        return service_status(spec).state == ServiceState::running;
    }

    virtual Result install_service(const ServiceSpec& spec) = 0;
    virtual Result start_service(const ServiceSpec& spec) = 0;
    virtual Result stop_service(const ServiceSpec& spec) = 0;
    // Default: stop, then start. Backends with a native restart override it.
    virtual Result restart_service(const ServiceSpec& spec) {
        if (auto stopped = stop_service(spec); !stopped.ok) return stopped;
        return start_service(spec);
    }
    virtual Result uninstall_service(const ServiceSpec& spec) = 0;

    virtual ServiceStatus service_status(const ServiceSpec& spec) = 0;
    virtual LogSource service_logs(const ServiceSpec& spec, const LogRequest& request) = 0;
    virtual Rendering render(const ServiceSpec& spec) = 0;
};

}  // namespace ductor::sdk
