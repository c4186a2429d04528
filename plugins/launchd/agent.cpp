#include <ductor/launchd/agent.hpp>

#include <ductor/sdk/paths.hpp>
#include <ductor/sdk/runner.hpp>

#include <algorithm>

namespace ductor::launchd {
namespace {

// The system part of PATH, after ~/.local/bin and the NVM folders (as in the original).
const std::vector<std::string> k_system_dirs{"/opt/homebrew/bin", "/usr/local/bin", "/usr/bin", "/bin"};

bool is_default(const sdk::ServiceSpec& spec) { return spec.name == k_default_name; }

KeepAlive keep_alive_for(sdk::RestartPolicy policy) {
    switch (policy) {
        case sdk::RestartPolicy::never: return KeepAlive::never;
        case sdk::RestartPolicy::always: return KeepAlive::always;
        case sdk::RestartPolicy::on_failure: return KeepAlive::on_failure;
    }
    return KeepAlive::on_failure;
}

}  // namespace

std::string label_for(std::string_view name) {
    if (name == k_default_name) return "dev.ductor";
    return "dev.ductor." + std::string(name);
}

Layout layout_for(const sdk::ServiceSpec& spec, const sdk::Host& host) {
    Layout layout;
    layout.label = label_for(spec.name);
    layout.plist = host.home_directory() / "Library" / "LaunchAgents" / (layout.label + ".plist");
    layout.log_directory = sdk::runner::log_directory(host, spec);
    const std::string stem = is_default(spec) ? "service" : "service-" + spec.name;
    layout.stdout_log = layout.log_directory / (stem + (is_default(spec) ? ".log" : ".out"));
    layout.stderr_log = layout.log_directory / (stem + ".err");
    layout.runner_log = sdk::runner::log_path(layout.log_directory, spec.name);
    return layout;
}

std::vector<std::string> program_arguments(const sdk::ServiceSpec& spec, const sdk::Host& host) {
    sdk::runner::Invocation invocation;
    invocation.name = spec.name;
    invocation.log_directory = spec.log_directory;
    invocation.log_to = "file";  // launchd's own StandardOut/Error files would only duplicate it, unrotated
    std::vector<std::string> args{host.ductor_executable().string()};
    for (auto& arg : sdk::runner::run_arguments(invocation, spec.argv)) args.push_back(std::move(arg));
    return args;
}

std::vector<sdk::EnvVar> service_environment(const sdk::ServiceSpec& spec, const sdk::Host& host) {
    std::vector<sdk::EnvVar> env{{"PATH", sdk::service_path(host, k_system_dirs)},
                                 {"HOME", host.home_directory().string()},
                                 {"DUCTOR_SUPERVISOR", "1"}};
    if (auto home = sdk::moved_ductor_home(host)) env.push_back(std::move(*home));
    return sdk::merge_environment(std::move(env), spec.environment);
}

AgentPlist agent_for(const sdk::ServiceSpec& spec, const sdk::Host& host, Session session) {
    const auto layout = layout_for(spec, host);
    AgentPlist agent;
    agent.label = layout.label;
    agent.program_arguments = program_arguments(spec, host);
    agent.keep_alive = keep_alive_for(spec.restart);
    agent.throttle_interval = spec.restart_delay ? spec.restart_delay->count() : 10;
    agent.environment = service_environment(spec, host);
    if (spec.working_directory) agent.working_directory = spec.working_directory->string();
    agent.standard_out_path = layout.stdout_log.string();
    agent.standard_error_path = layout.stderr_log.string();
    // Without the key launchd loads an agent only into Aqua (GUI) sessions;
    // user/<uid> needs "Background" as a plain string
    // (https://github.com/nix-community/home-manager/issues/4413,
    // https://github.com/NousResearch/hermes-agent/pull/44385).
    if (session == Session::background) agent.session_type = "Background";
    return agent;
}

std::vector<std::filesystem::path> log_files(const sdk::ServiceSpec& spec, const sdk::Host& host) {
    const auto layout = layout_for(spec, host);
    std::vector<std::filesystem::path> files{layout.stdout_log, layout.stderr_log};
    for (auto& file : sdk::runner::order_log_files(host.list_directory(layout.log_directory), spec.name)) {
        if (file != layout.runner_log) files.push_back(std::move(file));
    }
    files.push_back(layout.runner_log);  // last, also before it exists: `logs -f` follows it
    return files;
}

}  // namespace ductor::launchd
