#include <ductor/taskscheduler/action.hpp>

#include <ductor/sdk/windows_command_line.hpp>

#include <ductor/sdk/runner.hpp>

namespace ductor::taskscheduler {
namespace {

// CreateProcessW takes a command line of at most 32,767 UTF-16 units, its NUL included.
constexpr std::size_t k_longest_command_line = 32766;
// [MS-TSCH] 2.5.1.4 pathType: 1 to 260 characters (counted here in UTF-16 units, the stricter count).
constexpr std::size_t k_longest_path_field = 260;

// UTF-16 units of UTF-8 `text`; nullopt when it is not UTF-8.
std::optional<std::size_t> utf16_length(std::string_view text) {
    auto encoded = to_utf16le_with_bom(text);
    if (!encoded) return std::nullopt;
    return (encoded->size() - 2) / 2;
}

}  // namespace

std::optional<std::filesystem::path> runner_home(const sdk::Host& host) {
    if (!sdk::moved_ductor_home(host)) return std::nullopt;
    return host.ductor_home();
}

std::vector<std::string> runner_arguments(const sdk::ServiceSpec& spec,
                                          const std::optional<std::filesystem::path>& home) {
    sdk::runner::Invocation invocation;
    invocation.name = spec.name;
    invocation.log_directory = spec.log_directory;
    invocation.log_to = "file";  // a logon task has no console to pass output to
    invocation.restart = spec.restart;
    invocation.restart_delay = spec.restart_delay.value_or(k_default_restart_delay);
    invocation.environment = spec.environment;  // Task Scheduler sets none; the runner does
    invocation.working_directory = spec.working_directory;
    invocation.home = home;  // Task Scheduler passes no DUCTOR_HOME either
    return sdk::runner::run_arguments(invocation, spec.argv);
}

std::filesystem::path definition_file(const std::filesystem::path& ductor_home, std::string_view name) {
    return ductor_home / "tasks" / (std::string(name) + ".run");
}

sdk::Expected<std::string> render_definition(const sdk::ServiceSpec& spec,
                                             const std::optional<std::filesystem::path>& home) {
    if (spec.argv.empty()) return sdk::unexpected("the service has no program to run");
    if (sdk::runner::is_batch_program(spec.argv.front())) {
        return sdk::unexpected(
            "the program '" + spec.argv.front() +
            "' is a batch file, which Windows runs through cmd.exe with cmd's own reading of the arguments "
            "(an argument with '&' or '%' could run a command or be replaced); install a program that is "
            "not a batch file, or cmd.exe itself with /c and the batch file if you accept cmd's rules");
    }
    auto arguments = runner_arguments(spec, home);
    arguments.erase(arguments.begin());  // "run": the definition holds what follows it
    for (const auto& argument : arguments) {
        if (!utf16_length(argument)) return sdk::unexpected("the argument '" + argument + "' is not valid UTF-8");
    }
    // The runner quotes the program too: two more characters at most.
    const auto command_line = utf16_length(sdk::join_windows_arguments(spec.argv)).value_or(0) + 2;
    if (command_line > k_longest_command_line) {
        return sdk::unexpected(
            "the program's command line would be " + std::to_string(command_line) +
            " characters long; Windows starts programs with command lines of at most 32,766 characters");
    }
    auto text = sdk::runner::format_definition(arguments);
    if (!text) return sdk::unexpected("an argument, a folder or an environment value contains NUL, CR or LF");
    return std::move(*text);
}

std::string task_user_id(std::string_view user, const std::optional<std::string>& domain) {
    if (!domain || domain->empty()) return std::string(user);
    return *domain + "\\" + std::string(user);
}

Runner find_runner(const sdk::Host& host) {
    const auto ductor = host.ductor_executable();
    auto windowless = ductor.parent_path() / "ductorw.exe";
    if (host.path_exists(windowless)) return {windowless, {}};
    return {ductor, "the windowless runner " + utf8(windowless) + " is missing; the task runs " + utf8(ductor) +
                        ", which opens a console window at logon"};
}

TaskDefinition task_definition(const sdk::ServiceSpec& spec, const std::filesystem::path& runner,
                               const std::string& user, const std::filesystem::path& definition) {
    TaskDefinition task;
    task.description = sdk::description_of(spec);
    task.user_id = user;
    task.command = utf8(runner);
    task.arguments = sdk::join_windows_arguments({"run", "--definition", utf8(definition)});
    return task;
}

sdk::Expected<void> check_action(const TaskDefinition& task) {
    if (task.command.find('%') != std::string::npos) {
        return sdk::unexpected(
            "the runner's path " + task.command +
            " contains '%', which Task Scheduler would expand as an environment variable; install ductor in "
            "a folder without '%'");
    }
    if (task.arguments.find('%') != std::string::npos) {
        return sdk::unexpected(
            "the task's arguments (" + task.arguments +
            ") contain '%', which Task Scheduler would expand as an environment variable; set DUCTOR_HOME to "
            "a folder without '%'");
    }
    auto length = utf16_length(task.command);
    if (!length) return sdk::unexpected("the runner's path is not valid UTF-8");
    if (*length > k_longest_path_field) {
        return sdk::unexpected(
            "the runner's path " + task.command + " is " + std::to_string(*length) +
            " characters long; a task's Command holds at most 260, so install ductor in a shorter folder");
    }
    return {};
}

}  // namespace ductor::taskscheduler
