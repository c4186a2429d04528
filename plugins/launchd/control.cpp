// start, stop, restart and status of the launchd backend.
//
// Why stop is disable + bootout: with KeepAlive {SuccessfulExit = false},
// `launchctl stop`/`kill` end the process, launchd sees a non-zero exit (a
// signal) and starts it again after ThrottleInterval. `bootout` removes the job
// from launchd, so nothing is left to respawn; `disable` keeps launchd from
// loading the plist again at the next login. `start` undoes both.
#include <ductor/launchd/agent.hpp>
#include <ductor/launchd/backend.hpp>
#include <ductor/launchd/plist.hpp>

#include <algorithm>

namespace ductor::launchd {
namespace {

bool is_starting(const std::string& state) {
    return state == "spawn scheduled" || state == "spawning" || state == "xpcproxy" || state == "waiting";
}

sdk::ServiceState state_of(const PrintedService& printed) {
    if (printed.state == "running" || printed.pid) return sdk::ServiceState::running;
    if (is_starting(printed.state)) return sdk::ServiceState::starting;
    return sdk::ServiceState::stopped;
}

void add(sdk::ServiceStatus& status, std::string key, std::string value) {
    if (!value.empty()) status.detail.push_back({std::move(key), std::move(value)});
}

}  // namespace

sdk::Result LaunchdBackend::start_service(const sdk::ServiceSpec& spec) {
    const auto layout = layout_for(spec, m_host);
    const auto& choice = domain();
    if (!choice) return sdk::Result::failure(choice.error());
    if (choice->kind == DomainKind::legacy) return sdk::to_result(step(load_command(layout.plist, Persist::write)));
    return sdk::to_result(bootstrap_and_start(*choice, layout.label, layout.plist.string()));
}

sdk::Result LaunchdBackend::stop_service(const sdk::ServiceSpec& spec) {
    const auto layout = layout_for(spec, m_host);
    const auto& choice = domain();
    if (!choice) return sdk::Result::failure(choice.error());
    const Domain where = *choice;
    if (where.kind == DomainKind::legacy) return stop_legacy(spec);
    if (auto disabled = step(disable_command(where, layout.label)); !disabled)
        return sdk::to_result(std::move(disabled));
    if (auto unloaded = unload(where, layout.label); !unloaded) return sdk::to_result(std::move(unloaded));
    return sdk::Result::success().note(
        "launchd will not start it again, not even at the next login, until "
        "'ductor service start'");
}

sdk::Result LaunchdBackend::stop_legacy(const sdk::ServiceSpec& spec) {
    const auto layout = layout_for(spec, m_host);
    if (!is_loaded(Domain{DomainKind::legacy, 0}, layout.label))
        return sdk::Result::success().note("it was not loaded");
    // -w records Disabled, so the agent stays unloaded at the next login too.
    return sdk::to_result(step(unload_command(layout.plist, Persist::write)));
}

sdk::Result LaunchdBackend::restart_service(const sdk::ServiceSpec& spec) {
    const auto layout = layout_for(spec, m_host);
    const auto& choice = domain();
    if (!choice) return sdk::Result::failure(choice.error());
    const Domain where = *choice;
    if (where.kind == DomainKind::legacy) return Backend::restart_service(spec);
    if (!is_loaded(where, layout.label)) return start_service(spec);
    // kickstart -k kills the running instance and starts it at once.
    return sdk::to_result(step(kickstart_command(where, layout.label, Kick::restart)));
}

bool LaunchdBackend::is_service_running(const sdk::ServiceSpec& spec) {
    return service_status(spec).state == sdk::ServiceState::running;
}

sdk::ServiceStatus LaunchdBackend::service_status(const sdk::ServiceSpec& spec) {
    const auto& choice = domain();
    if (!choice) return sdk::ServiceStatus{sdk::ServiceState::unknown, {}, {}, {}, choice.error()};
    return status_from(spec, *choice);
}

sdk::ServiceStatus LaunchdBackend::status_from(const sdk::ServiceSpec& spec, const Domain& where) {
    const auto layout = layout_for(spec, m_host);
    const bool installed = m_host.path_exists(layout.plist);
    const bool legacy = where.kind == DomainKind::legacy;
    const auto argv = legacy ? list_command(layout.label) : print_command(where, layout.label);
    const auto answer = run(argv);
    sdk::ServiceStatus status;
    if (!answer.succeeded() && !(legacy ? answer.started && !answer.timed_out : is_not_loaded(answer))) {
        status.error = explain_failure(argv, answer);
        return status;
    }
    add(status, "label", layout.label);
    add(status, "domain", legacy ? "legacy (launchctl list)" : where.target());
    add(status, "plist", installed ? layout.plist.string() : "missing");
    if (!answer.succeeded()) {
        status.state = installed ? sdk::ServiceState::stopped : sdk::ServiceState::not_installed;
        if (installed) add(status, "loaded", "no (stopped with 'ductor service stop', or not loaded yet)");
        return status;
    }
    const auto printed = legacy ? parse_list(answer.out) : parse_print(answer.out);
    status.state = state_of(printed);
    status.pid = printed.pid;
    status.last_exit_code = printed.last_exit_code;
    add(status, "loaded", "yes");
    add(status, "launchd state", printed.state);
    add(status, "job state", printed.job_state);
    if (printed.runs) add(status, "runs", std::to_string(*printed.runs));
    add(status, "last exit", printed.last_exit_text);
    if (!legacy) add(status, sdk::k_problem_detail, drift(printed, layout.plist, installed));
    return status;
}

std::string LaunchdBackend::drift(const PrintedService& loaded, const std::filesystem::path& plist, bool installed) {
    if (!installed)
        return "orphaned: launchd still has it loaded, but its plist " + plist.string() +
               " is gone; 'ductor service stop' or 'ductor service uninstall' ends it";
    if (!loaded.path.empty() && loaded.path != plist.string())
        return "launchd loaded it from " + loaded.path + ", not from " + plist.string();
    const auto text = m_host.read_file(plist);
    const auto on_disk = text ? program_arguments_of(*text) : std::nullopt;
    if (!on_disk || !loaded.arguments) return {};
    // print shows one argument per line, so an argument holding a line break cannot be compared.
    const bool comparable = std::none_of(on_disk->begin(), on_disk->end(), [](const std::string& arg) {
        return arg.find_first_of("\r\n") != std::string::npos;
    });
    if (!comparable || *on_disk == *loaded.arguments) return {};
    return "the plist on disk runs other arguments than launchd has loaded (changed since it was loaded); "
           "'ductor service stop' then 'start' loads it again";
}

}  // namespace ductor::launchd
