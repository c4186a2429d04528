#pragma once
// The parsed command line: what the user asked for, before anything runs.

#include <ductor/runner/options.hpp>
#include <ductor/service/spec_builder.hpp>

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

using ServiceAction = service::ServiceAction;

// `ductor service ACTION`: the request the service room checks, and how to show the answer.
struct ServiceCommand : service::ServiceRequest {
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
struct RunCommand : runner::RunRequest {
    std::optional<std::string> definition;  // --definition FILE: everything else comes from FILE
};

// `ductor stop`: the service through the backend, then the runner tree.
struct StopCommand {
    std::string name = "ductor";
    bool json = false;  // what was done, as one JSON document
};

// `ductor boot`: start every enabled standalone service; --foreground stays as their parent.
struct BootCommand {
    bool foreground = false;
    bool json = false;  // each service's outcome, as one JSON document
};

// `ductor doctor`: explain the machine; --json for scripts.
struct DoctorCommand {
    bool json = false;
};

// `ductor completion SHELL` and `ductor __complete WHAT` (the command table's next entries): text for the
// shells; no backend is asked.
struct CompletionCommand {};

// `--help` at any level: the text to print.
struct HelpRequest {
    std::string text;
};

struct VersionRequest {};

using Command = std::variant<HelpRequest, VersionRequest, ServiceCommand, PluginsCommand, RunCommand, StopCommand,
                             BootCommand, DoctorCommand, CompletionCommand>;

struct CommandEntry;  // the command table's entry (private to the CLI)

struct Invocation {
    GlobalOptions global;
    Command command;
    const CommandEntry* entry = nullptr;  // the command the words name
};

// Parses argv[1..] (without the program name). Throws UsageError.
// `backend_env` is DUCTOR_BACKEND, used when --backend is absent.
Invocation parse_command_line(const std::vector<std::string>& args, const std::optional<std::string>& backend_env);

}  // namespace ductor::cli
