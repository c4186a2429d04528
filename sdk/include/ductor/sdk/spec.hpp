#pragma once
// The description of one service, filled in by the core from the command line
// and handed to a backend. Backends read it; they never need to validate what
// the core already checked (see "Guarantees" below).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ductor::sdk {

// When the service manager should start the program again after it ended.
enum class RestartPolicy {
    never,       // leave it stopped
    on_failure,  // after a non-zero exit or a signal (the default; exit 42 is a failure)
    always,      // after any exit
};

// Whether install may replace a definition of that name that ductor did not
// write (no ductor marker, or the manager's own/system unit of that name).
enum class Overwrite {
    refuse_foreign,  // refuse (the default): a usage error, nothing written
    allow,           // `install --force`
};

// One environment assignment, in the order the user gave it.
struct EnvVar {
    std::string key;
    std::string value;
    // Written out, not defaulted: the SDK headers are C++17.
    friend bool operator==(const EnvVar& a, const EnvVar& b) { return a.key == b.key && a.value == b.value; }
    friend bool operator!=(const EnvVar& a, const EnvVar& b) { return !(a == b); }
};

// Guarantees the core gives for a spec it passes to a backend:
//   - name matches [A-Za-z0-9][A-Za-z0-9._-]{0,63};
//   - argv is non-empty and argv[0] is an absolute path to an executable file
//     (resolved at install time; render() may see an unresolved name when the
//     program does not exist on this machine);
//   - no string contains NUL, CR or LF (no service format carries them safely);
//   - env keys match [A-Za-z_][A-Za-z0-9_]* and appear once each; a key that
//     a backend sets by default (PATH, HOME) replaces the default.
struct ServiceSpec {
    std::string name = "ductor";
    std::string description;                                 // empty: backend picks "ductor service <name>"
    std::vector<std::string> argv;                           // program + arguments, never a shell string
    std::optional<std::filesystem::path> working_directory;  // absolute when set
    std::vector<EnvVar> environment;                         // the user's --env, added after the defaults
    RestartPolicy restart = RestartPolicy::on_failure;
    std::optional<std::chrono::seconds> restart_delay;   // empty: the backend's default (systemd 5 s, ...)
    std::optional<std::filesystem::path> log_directory;  // empty: <ductor home>/logs
    Overwrite overwrite = Overwrite::refuse_foreign;     // added in 1.2
    // 3.0: `linger` left the spec; see <ductor/sdk/linger_control.hpp>.
};

// A short human description of the policy ("on-failure"), also the CLI spelling.
inline const char* to_string(RestartPolicy policy) {
    switch (policy) {
        case RestartPolicy::never: return "never";
        case RestartPolicy::on_failure: return "on-failure";
        case RestartPolicy::always: return "always";
    }
    return "on-failure";
}

}  // namespace ductor::sdk
