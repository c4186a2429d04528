#include <ductor/taskscheduler/backend.hpp>

#include <ductor/sdk/runner.hpp>
#include <ductor/sdk/runner_logs.hpp>
#include <ductor/sdk/shell.hpp>

#include <ductor/taskscheduler/action.hpp>
#include <ductor/taskscheduler/schtasks.hpp>
#include <ductor/taskscheduler/task_xml.hpp>

#include <algorithm>

namespace ductor::taskscheduler {
namespace {

constexpr const char* k_default_system_root = "C:\\Windows";

std::string quoted(const std::string& name) { return "'" + name + "'"; }

// What the user should know about an install through `runner`.
std::vector<std::string> install_notes(const Runner& runner) {
    std::vector<std::string> notes;
    if (!runner.note.empty()) notes.push_back(runner.note);
    return notes;
}

}  // namespace

sdk::Availability TaskSchedulerBackend::is_service_available() {
    if (m_host.os() != sdk::OsFamily::windows) return {false, "Task Scheduler exists only on Windows"};
    auto program = system_program(m_host, "schtasks.exe");
    if (!program) return {false, "SystemRoot is not set, so schtasks.exe cannot be found"};
    if (!m_host.path_exists(*program)) return {false, "no schtasks.exe at " + utf8(*program)};
    return {true, "Task Scheduler through " + utf8(*program)};
}

std::filesystem::path TaskSchedulerBackend::schtasks() const {
    if (auto program = system_program(m_host, "schtasks.exe")) return *program;
    return std::filesystem::path(std::string(k_default_system_root) + "\\System32\\schtasks.exe");
}

std::filesystem::path TaskSchedulerBackend::xml_file(const sdk::ServiceSpec& spec) const {
    return m_host.ductor_home() / (spec.name + "_task.xml");
}

sdk::ProcessResult TaskSchedulerBackend::call(const std::vector<std::string>& argv) {
    const bool passes_switch = std::find(argv.begin(), argv.end(), "/HRESULT") != argv.end();
    if (!passes_switch) return run(argv);
    if (m_hresult == HResultSwitch::dropped) return run(without_hresult(argv));
    auto result = run(argv);
    if (!hresult_not_understood(result)) return result;
    m_host.log(sdk::LogLevel::debug,
               "schtasks does not understand /HRESULT; calling it without the switch from now on");
    m_hresult = HResultSwitch::dropped;
    return run(without_hresult(argv));
}

sdk::ProcessResult TaskSchedulerBackend::run(const std::vector<std::string>& argv) {
    sdk::ProcessRequest request;
    request.argv = argv;
    request.timeout = std::chrono::seconds(30);
    auto result = m_host.run_process(request);
    m_host.log(sdk::LogLevel::debug, sdk::shell_join(argv) + ": exit code " + std::to_string(result.exit_code));
    return result;
}

TaskSchedulerBackend::Query TaskSchedulerBackend::query(const sdk::ServiceSpec& spec) {
    return presence(spec, call(query_command(schtasks(), spec.name)));
}

// What a /Query of the task (plain or /XML) says about its presence, or why it cannot tell.
TaskSchedulerBackend::Query TaskSchedulerBackend::presence(const sdk::ServiceSpec& spec,
                                                           const sdk::ProcessResult& result) const {
    if (succeeded(result)) return Presence::installed;
    if (!result.started || result.timed_out || is_access_denied(result)) {
        return sdk::unexpected(describe_failure("asking Task Scheduler for the task " + quoted(spec.name), result));
    }
    return Presence::absent;
}

// Whether install may replace the task `spec.name`; why not when a task of
// that name exists and starts something other than ductor's runner, or has no
// program to start at all (a COM handler, say). A task whose definition cannot
// be read (no XML printed) is not judged. The query's answer about the task's
// presence is kept in `seen`.
sdk::Expected<void> TaskSchedulerBackend::check_replaceable(const sdk::ServiceSpec& spec, std::optional<Query>& seen) {
    if (spec.overwrite == sdk::Overwrite::allow || !is_service_available().available) return {};
    const auto answer = call(query_xml_command(schtasks(), spec.name));
    seen = presence(spec, answer);
    if (!succeeded(answer)) return {};  // no such task; a refused query is reported by install itself
    const auto command = exec_command_of(answer.out);
    if (command ? is_runner_command(*command) : !has_task_definition(answer.out)) return {};
    const auto what = command ? "it runs " + *command : std::string("it starts no program");
    return sdk::unexpected("a task named " + quoted(spec.name) + " exists and was not created by ductor (" + what +
                           "); choose another --name, or add --force to replace it");
}

sdk::Rendering TaskSchedulerBackend::render(const sdk::ServiceSpec& spec) {
    std::optional<Query> seen;
    return render(spec, seen);
}

sdk::Rendering TaskSchedulerBackend::render(const sdk::ServiceSpec& spec, std::optional<Query>& seen) {
    sdk::Rendering rendering;
    if (auto replaceable = check_replaceable(spec, seen); !replaceable)
        return {{}, {}, {}, std::move(replaceable).error()};
    const auto runner = find_runner(m_host);
    const auto user = task_user_id(m_host.user_name(), m_host.environment("USERDOMAIN"));
    auto definition = render_definition(spec, runner_home(m_host));
    if (!definition) return {{}, {}, {}, definition.error()};
    const auto task = task_definition(spec, runner.executable, user, definition_file(m_host.ductor_home(), spec.name));
    if (auto checked = check_action(task); !checked) return {{}, {}, {}, checked.error()};
    auto xml = render_task_xml(task);
    if (!xml) return {{}, {}, {}, xml.error()};
    auto bytes = encode_task_xml(*xml);
    if (!bytes) return {{}, {}, {}, bytes.error()};
    sdk::RenderedFile run_file;
    run_file.path = definition_file(m_host.ductor_home(), spec.name);
    run_file.content = std::move(*definition);
    run_file.mode = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
    rendering.files.push_back(std::move(run_file));
    sdk::RenderedFile file;
    file.path = xml_file(spec);
    file.content = std::move(*bytes);
    file.preview = std::move(*xml);
    rendering.files.push_back(std::move(file));
    rendering.commands = {create_command(schtasks(), spec.name, xml_file(spec)), run_command(schtasks(), spec.name)};
    rendering.notes = install_notes(runner);
    rendering.notes.push_back(utf8(xml_file(spec)) + " is removed again once schtasks has read it");
    return rendering;
}

sdk::Expected<void> TaskSchedulerBackend::register_task(const sdk::ServiceSpec& spec, const sdk::RenderedFile& file) {
    if (auto written = m_host.write_file(file.path, file.content, file.mode); !written.ok)
        return sdk::unexpected(std::move(written.error));
    auto created = call(create_command(schtasks(), spec.name, file.path));
    // The file only carries the definition to schtasks: never leave it behind.
    auto removed = m_host.remove_file(file.path);
    if (!succeeded(created)) {
        return sdk::unexpected(describe_failure("registering the task " + quoted(spec.name) + " failed", created));
    }
    if (!removed.ok) m_host.log(sdk::LogLevel::warn, "could not remove " + utf8(file.path) + ": " + removed.error);
    return {};
}

sdk::Result TaskSchedulerBackend::install_service(const sdk::ServiceSpec& spec) {
    std::optional<Query> seen;  // render's look at the task answers "installed?" too
    auto rendering = render(spec, seen);
    if (!rendering.error.empty()) return sdk::Result::failure(rendering.error);
    auto existing = seen ? std::move(*seen) : query(spec);
    if (!existing) return sdk::Result::failure(std::move(existing).error());
    sdk::Result outcome;
    if (*existing == Presence::installed) {
        // /Create /F replaces the definition but leaves a running instance
        // alone (and IgnoreNew would then skip the /Run): end it first.
        if (auto stopped = stop_service(spec); !stopped.ok) return stopped;
        outcome.note("updated the existing task " + quoted(spec.name));
    }
    const auto& run_file = rendering.files.front();
    const auto previous = m_host.read_file(run_file.path);
    if (auto written = m_host.write_file(run_file.path, run_file.content, run_file.mode); !written.ok) return written;
    if (auto registered = register_task(spec, rendering.files.back()); !registered) {
        // The task that stays in place (if any) reads the previous definition.
        if (previous)
            m_host.write_file(run_file.path, *previous, run_file.mode);
        else
            m_host.remove_file(run_file.path);
        return sdk::to_result(std::move(registered));
    }
    for (auto& note : install_notes(find_runner(m_host))) outcome.note(std::move(note));
    if (auto started = start_service(spec); !started.ok) return started;
    return outcome;
}

sdk::Result TaskSchedulerBackend::start_service(const sdk::ServiceSpec& spec) {
    auto result = call(run_command(schtasks(), spec.name));
    if (succeeded(result)) return sdk::Result::success();
    return sdk::Result::failure(describe_failure("starting the task " + quoted(spec.name) + " failed", result));
}

sdk::Expected<void> TaskSchedulerBackend::end_task(const sdk::ServiceSpec& spec) {
    auto result = call(end_command(schtasks(), spec.name));
    if (succeeded(result)) return {};
    return sdk::unexpected(describe_failure("ending the task " + quoted(spec.name) + " failed", result));
}

sdk::Result TaskSchedulerBackend::end_runner_tree(const sdk::ServiceSpec& spec) {
    // The runner keeps its program's whole tree in a Job Object; the core ends
    // it as `ductor stop` does (stop request, grace period, then the job).
    return m_host.stop_runner(spec.name);
}

sdk::Result TaskSchedulerBackend::stop_service(const sdk::ServiceSpec& spec) {
    if (auto ended = end_task(spec); !ended) return sdk::to_result(std::move(ended));
    return end_runner_tree(spec);
}

sdk::Result TaskSchedulerBackend::uninstall_service(const sdk::ServiceSpec& spec) {
    auto existing = query(spec);
    if (!existing) return sdk::Result::failure(std::move(existing).error());
    m_host.remove_file(xml_file(spec));
    if (*existing == Presence::absent) {
        m_host.remove_file(definition_file(m_host.ductor_home(), spec.name));
        if (auto ended = end_runner_tree(spec); !ended.ok) return ended;
        return sdk::Result::success().note("the task " + quoted(spec.name) + " was not installed");
    }
    if (auto stopped = stop_service(spec); !stopped.ok) return stopped;
    auto deleted = call(delete_command(schtasks(), spec.name));
    if (!succeeded(deleted)) {
        return sdk::Result::failure(describe_failure("deleting the task " + quoted(spec.name) + " failed", deleted));
    }
    return m_host.remove_file(definition_file(m_host.ductor_home(), spec.name));
}

bool TaskSchedulerBackend::is_service_installed(const sdk::ServiceSpec& spec) {
    auto existing = query(spec);
    return existing && *existing == Presence::installed;
}

sdk::Installed TaskSchedulerBackend::query_installed(const sdk::ServiceSpec& spec) {
    auto existing = query(spec);
    if (!existing) return {sdk::Installed::Answer::unknown, std::move(existing).error()};
    return {*existing == Presence::installed ? sdk::Installed::Answer::yes : sdk::Installed::Answer::no, {}};
}

bool TaskSchedulerBackend::is_service_running(const sdk::ServiceSpec& spec) {
    return is_service_installed(spec) && m_host.running_runner(spec.name).has_value();
}

sdk::ServiceStatus TaskSchedulerBackend::service_status(const sdk::ServiceSpec& spec) {
    sdk::ServiceStatus status;
    auto existing = query(spec);
    if (!existing) {
        status.error = existing.error();
        return status;
    }
    if (*existing == Presence::absent) {
        status.state = sdk::ServiceState::not_installed;
        return status;
    }
    status.pid = m_host.running_runner(spec.name);
    status.state = status.pid ? sdk::ServiceState::running : sdk::ServiceState::stopped;
    status.detail = {{"task", spec.name},
                     {"runner", utf8(find_runner(m_host).executable)},
                     {"definition", utf8(definition_file(m_host.ductor_home(), spec.name))},
                     {"pid file", utf8(sdk::runner::pid_file(m_host.ductor_home(), spec.name))},
                     {"logs", utf8(sdk::runner::log_path(sdk::runner::log_directory(m_host, spec), spec.name))}};
    return status;
}

sdk::LogSource TaskSchedulerBackend::service_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest& request) {
    return sdk::runner::log_source(m_host, spec, request, "the task");
}

}  // namespace ductor::taskscheduler
