#pragma once
// launchctl: the argv of every command the backend runs, the parsers of what
// `launchctl print` / `launchctl list` answer, and plain-language explanations
// of launchctl failures. Pure functions; running them is the backend's job.

#include <ductor/sdk/host.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::launchd {

// Always the absolute path: availability checks exactly this file.
inline constexpr const char* k_launchctl = "/bin/launchctl";

using Argv = std::vector<std::string>;

// Where the agent is loaded. `gui/<uid>` exists while the user is logged in
// at the GUI (Aqua session); `user/<uid>` exists without one (SSH only).
// `legacy` is launchctl before the domain verbs (bootstrap/bootout/print,
// OS X 10.10): load/unload/list instead.
enum class DomainKind { gui, user, legacy };

struct Domain {
    DomainKind kind = DomainKind::gui;
    std::uint32_t uid = 0;

    // "gui/501" or "user/501" (empty for legacy).
    std::string target() const;
    // "gui/501/<label>" (the label alone for legacy).
    std::string service(std::string_view label) const;
};

// --- commands ----------------------------------------------------------
Argv print_domain_command(DomainKind kind, std::uint32_t uid);  // launchctl print gui/<uid>
Argv print_command(const Domain& domain, std::string_view label);
Argv bootstrap_command(const Domain& domain, const std::filesystem::path& plist);
Argv bootout_command(const Domain& domain, std::string_view label);
Argv enable_command(const Domain& domain, std::string_view label);
Argv disable_command(const Domain& domain, std::string_view label);
// `kickstart` starts it when it is not running; Kick::restart adds -k, which
// kills a running instance first.
enum class Kick { start, restart };
Argv kickstart_command(const Domain& domain, std::string_view label, Kick kick);
// Legacy verbs. Persist::write adds -w (records Disabled in the override database).
enum class Persist { keep, write };
Argv load_command(const std::filesystem::path& plist, Persist persist);
Argv unload_command(const std::filesystem::path& plist, Persist persist);
Argv list_command(std::string_view label);

// --- answers -----------------------------------------------------------
// The facts of one loaded service, from `launchctl print <service>` (or
// `launchctl list <label>` on legacy systems).
struct PrintedService {
    std::string state;                                  // "running", "not running", "spawn scheduled", ...
    std::string path;                                   // the plist launchd loaded it from (print only)
    std::optional<std::vector<std::string>> arguments;  // the argv it runs (print only), one line each
    std::optional<long long> pid;                       // while running
    std::optional<int> last_exit_code;                  // exit code, or 128+N after signal N; empty: never exited
    std::string last_exit_text;     // as printed: "78: EX_CONFIG", "(never exited)", "Terminated: 15"
    std::optional<long long> runs;  // how often launchd started it
    std::string job_state;          // "running", "exited", "spawn failed", ...
};

// Parses the top-level fields of `launchctl print <domain>/<label>`; nested
// blocks ("endpoints", coalitions) repeat keys like "state" and are ignored.
PrintedService parse_print(std::string_view text);

// Parses `launchctl list <label>` ({ "PID" = 12; "LastExitStatus" = 0; ... };).
// LastExitStatus is a wait status: N<<8 for exit N, N (or -N) for signal N.
PrintedService parse_list(std::string_view text);

// `print` or `bootout` answered that launchd has no such service loaded
// (exit 113, "Could not find service", or exit 3 "No such process").
bool is_not_loaded(const sdk::ProcessResult& result);

// launchctl does not know the subcommand at all (launchctl 1, before 10.10).
bool lacks_domain_verbs(const sdk::ProcessResult& result);

// "launchctl bootstrap gui/501 /path failed (exit 5: Input/output error): <why, what to do>".
std::string explain_failure(const Argv& argv, const sdk::ProcessResult& result);

}  // namespace ductor::launchd
