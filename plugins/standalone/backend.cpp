#include <ductor/standalone/backend.hpp>

#include <ductor/sdk/paths.hpp>
#include <ductor/sdk/runner.hpp>
#include <ductor/sdk/runner_logs.hpp>
#include <ductor/sdk/text.hpp>
#include <ductor/standalone/boot_hook.hpp>

#include <ctime>

namespace ductor::standalone {
namespace {

constexpr std::string_view k_marker = "# ductor standalone service: the arguments of 'ductor run', one a line";
constexpr std::string_view k_suffix = ".args";
const std::vector<std::string> k_system_dirs = {"/usr/local/bin",  "/usr/bin",  "/bin",
                                                "/usr/local/sbin", "/usr/sbin", "/sbin"};

using sdk::utf8;

std::string process_failure(const std::string& what, const sdk::ProcessResult& result) {
    if (!result.started) return what + ": " + result.error;
    if (result.timed_out) return what + ": it did not answer in time";
    auto text = result.err.empty() ? result.out : result.err;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return what + " (exit " + std::to_string(result.exit_code) + ")" + (text.empty() ? "" : ": " + text);
}

void add(sdk::ServiceStatus& status, std::string key, std::string value) {
    status.detail.push_back({std::move(key), std::move(value)});
}

}  // namespace

std::vector<std::string> runner_arguments(const sdk::ServiceSpec& spec, const sdk::Host& host) {
    std::vector<sdk::EnvVar> defaults{{"PATH", sdk::service_path(host, k_system_dirs)},
                                      {"HOME", utf8(host.home_directory())}};
    if (auto home = sdk::moved_ductor_home(host)) defaults.push_back(std::move(*home));
    sdk::runner::Invocation invocation;
    invocation.detach = true;
    invocation.name = spec.name;
    invocation.log_directory = spec.log_directory;
    invocation.log_to = "file";  // a detached runner has no terminal
    invocation.restart = spec.restart;
    invocation.restart_delay = spec.restart_delay.value_or(k_default_restart_delay);
    invocation.grace = k_grace;
    invocation.crash_loop_limit = 0;  // nobody else would start it again
    invocation.backoff_max = k_backoff_max;
    invocation.working_directory = spec.working_directory;
    invocation.environment = sdk::merge_environment(std::move(defaults), spec.environment);
    return sdk::runner::run_arguments(invocation, spec.argv);
}

std::optional<std::string> definition_text(const std::vector<std::string>& arguments) {
    return sdk::format_lines(k_marker, arguments);
}

namespace {

// The spec holds no line breaks (its guarantees), but PATH, HOME and DUCTOR_HOME come from the environment.
const char* const k_line_break =
    "the run definition cannot hold a line break: one is in PATH, HOME or DUCTOR_HOME of this environment";

}  // namespace

std::optional<std::vector<std::string>> parse_definition(const std::string& text) {
    auto arguments = sdk::parse_lines(k_marker, text);
    if (!arguments || arguments->empty() || arguments->front() != "run") return std::nullopt;
    return arguments;
}

std::filesystem::path StandaloneBackend::definition_path(const std::string& name) const {
    return m_host.ductor_home() / "standalone" / (name + std::string(k_suffix));
}

sdk::Availability StandaloneBackend::is_service_available() {
    if (m_host.os() == sdk::OsFamily::windows) return {false, "the standalone backend needs a POSIX system"};
    return {true, "ductor's own runner, detached; no service manager needed"};
}

bool StandaloneBackend::is_service_installed(const sdk::ServiceSpec& spec) {
    return m_host.path_exists(definition_path(spec.name));
}

bool StandaloneBackend::is_service_running(const sdk::ServiceSpec& spec) {
    return m_host.running_runner(spec.name).has_value();
}

sdk::Rendering StandaloneBackend::render(const sdk::ServiceSpec& spec) {
    sdk::Rendering rendering;
    auto arguments = runner_arguments(spec, m_host);
    auto text = definition_text(arguments);
    if (!text) {
        rendering.error = k_line_break;
        return rendering;
    }
    sdk::RenderedFile definition{definition_path(spec.name), std::move(*text), {}};
    definition.mode = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
    rendering.files.push_back(std::move(definition));
    arguments.insert(arguments.begin(), utf8(m_host.ductor_executable()));
    rendering.commands.push_back(std::move(arguments));
    auto hook = recorded_boot_hook(m_host).value_or(choose_hook(m_host));
    if (hook.kind == HookKind::none)
        rendering.notes.push_back(
            "no boot hook applies here: the service will not come back after a reboot "
            "unless '" +
            boot_command(m_host) + "' runs at start-up");
    else
        rendering.notes.push_back(std::string("boot hook (") + to_string(hook.kind) + "): " + boot_command(m_host));
    rendering.notes.push_back("a running service of this name is stopped first, so the new definition applies");
    return rendering;
}

sdk::Expected<void> StandaloneBackend::launch(const std::vector<std::string>& arguments) {
    sdk::ProcessRequest request;
    request.argv.push_back(utf8(m_host.ductor_executable()));
    request.argv.insert(request.argv.end(), arguments.begin(), arguments.end());
    auto result = m_host.run_process(request);
    if (result.succeeded()) return {};
    return sdk::unexpected(process_failure("the runner did not start", result));
}

sdk::Result StandaloneBackend::install_service(const sdk::ServiceSpec& spec) {
    const auto path = definition_path(spec.name);
    const auto previous = m_host.read_file(path);
    auto arguments = runner_arguments(spec, m_host);
    auto text = definition_text(arguments);
    if (!text) return sdk::Result::failure(k_line_break);
    if (m_host.running_runner(spec.name)) {
        if (auto stopped = m_host.stop_runner(spec.name); !stopped.ok) return stopped;
    }
    using std::filesystem::perms;
    if (auto written = m_host.write_file(path, *text, perms::owner_read | perms::owner_write); !written.ok)
        return written;
    if (auto launched = launch(arguments); !launched) {
        auto failed = sdk::to_result(std::move(launched));
        // All or nothing: the previous definition comes back (and runs again), or the new one goes.
        if (previous) {
            m_host.write_file(path, *previous, perms::owner_read | perms::owner_write);
            if (auto old = parse_definition(*previous)) launch(*old);
            failed.note("the previous definition was put back");
        } else {
            m_host.remove_file(path);
        }
        return failed;
    }
    auto started = sdk::Result::success();
    BootHook hook;
    for (auto& note : ensure_boot_hook(m_host, hook)) started.note(std::move(note));
    return started;
}

sdk::Result StandaloneBackend::start_service(const sdk::ServiceSpec& spec) {
    if (m_host.running_runner(spec.name)) return sdk::Result::success().note("it was already running");
    const auto path = definition_path(spec.name);
    auto text = m_host.read_file(path);
    auto arguments = text ? parse_definition(*text) : std::nullopt;
    if (!arguments)
        return sdk::Result::failure("the definition " + utf8(path) + " is missing or damaged; install again");
    return sdk::to_result(launch(*arguments));
}

sdk::Result StandaloneBackend::stop_service(const sdk::ServiceSpec& spec) { return m_host.stop_runner(spec.name); }

bool StandaloneBackend::other_services_remain(const std::string& name) const {
    for (const auto& entry : m_host.list_directory(m_host.ductor_home() / "standalone")) {
        auto file = utf8(entry.filename());
        if (file.size() > k_suffix.size() &&
            file.compare(file.size() - k_suffix.size(), k_suffix.size(), k_suffix) == 0 &&
            file != name + std::string(k_suffix))
            return true;
    }
    return false;
}

sdk::Result StandaloneBackend::uninstall_service(const sdk::ServiceSpec& spec) {
    const auto path = definition_path(spec.name);
    bool was_installed = m_host.path_exists(path);
    if (auto stopped = m_host.stop_runner(spec.name); !stopped.ok) return stopped;
    if (auto removed = m_host.remove_file(path); !removed.ok) return removed;
    // The runner's logs go with the service: nothing of it is left behind.
    const auto folder = sdk::runner::log_directory(m_host, spec);
    for (const auto& log : sdk::runner::order_log_files(m_host.list_directory(folder), spec.name))
        m_host.remove_file(log);
    auto result = sdk::Result::success();
    if (!other_services_remain(spec.name)) {
        if (auto dropped = drop_boot_hook(m_host); !dropped) result.note("the boot hook stays: " + dropped.error());
    }
    if (!was_installed) result.note("'" + spec.name + "' was not installed");
    return result;
}

sdk::ServiceStatus StandaloneBackend::service_status(const sdk::ServiceSpec& spec) {
    sdk::ServiceStatus status;
    if (!is_service_installed(spec)) {
        status.state = sdk::ServiceState::not_installed;
        return status;
    }
    auto runner = m_host.running_runner(spec.name);
    auto text = runner ? m_host.read_file(sdk::runner::pid_file(m_host.ductor_home(), spec.name)) : std::nullopt;
    auto record = text ? sdk::runner::parse_pid_record(*text) : std::nullopt;
    status.state = runner ? sdk::ServiceState::running : sdk::ServiceState::stopped;
    if (runner) add(status, "runner", std::to_string(*runner));
    if (record) {
        if (record->child) status.pid = record->child->pid;
        status.last_exit_code = record->last_exit;
        add(status, "restarts", std::to_string(record->restarts));
        if (record->next_start) {
            status.state = sdk::ServiceState::starting;
            auto wait = std::max<long long>(0, *record->next_start - static_cast<long long>(std::time(nullptr)));
            add(status, "backoff", "next attempt in " + std::to_string(wait) + " s");
            add(status, "next_start", std::to_string(*record->next_start));
        }
        if (!record->log_problem.empty()) add(status, "log_problem", record->log_problem);
    }
    auto hook = recorded_boot_hook(m_host);
    add(status, "persistence", hook ? to_string(hook->kind) : "none");
    return status;
}

sdk::LogSource StandaloneBackend::service_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest& request) {
    return sdk::runner::log_source(m_host, spec, request, "the service");
}

}  // namespace ductor::standalone
