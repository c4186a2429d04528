#include <ductor/taskscheduler/action.hpp>

#include <ductor/taskscheduler/command_line.hpp>

#include <ductor/sdk/runner.hpp>

namespace ductor::taskscheduler {

std::vector<std::string> runner_arguments(const sdk::ServiceSpec& spec) {
    sdk::runner::Invocation invocation;
    invocation.name = spec.name;
    invocation.log_directory = spec.log_directory;
    invocation.log_to = "file";  // a logon task has no console to pass output to
    invocation.restart = spec.restart;
    invocation.restart_delay = spec.restart_delay.value_or(k_default_restart_delay);
    invocation.environment = spec.environment;  // Task Scheduler sets none; the runner does
    return sdk::runner::run_arguments(invocation, spec.argv);
}

std::string task_user_id(std::string_view user, const std::optional<std::string>& domain) {
    if (!domain || domain->empty()) return std::string(user);
    return *domain + "\\" + std::string(user);
}

std::string utf8(const std::filesystem::path& path) {
    const auto text = path.u8string();
    return std::string(reinterpret_cast<const char*>(text.data()), text.size());
}

Runner find_runner(const sdk::Host& host) {
    const auto ductor = host.ductor_executable();
    auto windowless = ductor.parent_path() / "ductorw.exe";
    if (host.path_exists(windowless)) return {windowless, {}};
    return {ductor, "the windowless runner " + utf8(windowless) + " is missing; the task runs " + utf8(ductor) +
                        ", which opens a console window at logon"};
}

TaskDefinition task_definition(const sdk::ServiceSpec& spec, const std::filesystem::path& runner,
                               const std::string& user) {
    TaskDefinition task;
    task.description = spec.description.empty() ? "ductor service " + spec.name : spec.description;
    task.user_id = user;
    task.command = utf8(runner);
    task.arguments = join_arguments(runner_arguments(spec));
    if (spec.working_directory) task.working_directory = utf8(*spec.working_directory);
    return task;
}

}  // namespace ductor::taskscheduler
