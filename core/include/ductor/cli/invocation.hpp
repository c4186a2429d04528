#pragma once
// The parsed command line: what the user asked for, before anything runs.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace ductor::cli {

// A bad command line. `help_hint` names the command whose --help explains it.
class UsageError : public std::runtime_error {
public:
    UsageError(const std::string& message, std::string help_hint)
        : std::runtime_error(message), m_hint(std::move(help_hint)) {}
    const std::string& help_hint() const { return m_hint; }

private:
    std::string m_hint;
};

enum class Verbosity { quiet, normal, verbose };

struct GlobalOptions {
    std::vector<std::filesystem::path> plugin_dirs;
    std::optional<std::string> backend;  // --backend, else DUCTOR_BACKEND
    Verbosity verbosity = Verbosity::normal;
};

enum class ServiceAction { install, start, stop, restart, status, logs, uninstall, list };

struct ServiceCommand {
    ServiceAction action = ServiceAction::status;
    std::string name = "ductor";
    // install
    std::string description;
    std::optional<std::string> workdir;
    std::vector<std::string> env;  // raw KEY=VALUE, checked when the spec is built
    std::vector<std::string> program;
    std::optional<std::string> restart;
    std::optional<long long> restart_delay;
    std::optional<std::string> log_dir;
    bool enable_linger = false;
    bool force = false;  // replace a definition ductor did not write
    // install: print what it would write and run; start, stop, restart, uninstall: say what would change
    bool dry_run = false;
    // status, list; install, start, stop, restart, uninstall (the change report)
    bool json = false;
    // logs
    std::optional<unsigned> lines;
    bool follow = false;
};

struct PluginsCommand {
    bool json = false;
};

// `ductor run`: raw values, checked by runner::make_options.
struct RunCommand {
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
    std::vector<std::string> env;        // raw KEY=VALUE for the program, checked by the runner's options
    std::vector<std::string> program;
    std::optional<std::string> definition;  // --definition FILE: everything above comes from FILE
};

// `ductor stop`: the service through the backend, then the runner tree.
struct StopCommand {
    std::string name = "ductor";
};

// `ductor boot`: start every enabled standalone service; --foreground stays as their parent.
struct BootCommand {
    bool foreground = false;
};

// `ductor doctor`: explain the machine; --json for scripts.
struct DoctorCommand {
    bool json = false;
};

// `--help` at any level: the text to print.
struct HelpRequest {
    std::string text;
};

struct VersionRequest {};

using Command = std::variant<HelpRequest, VersionRequest, ServiceCommand, PluginsCommand, RunCommand, StopCommand,
                             BootCommand, DoctorCommand>;

struct Invocation {
    GlobalOptions global;
    Command command;
};

// Parses argv[1..] (without the program name). Throws UsageError.
// `backend_env` is DUCTOR_BACKEND, used when --backend is absent.
Invocation parse_command_line(const std::vector<std::string>& args, const std::optional<std::string>& backend_env);

}  // namespace ductor::cli
