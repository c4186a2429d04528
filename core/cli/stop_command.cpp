// `ductor stop`: stop the installed service first (so its manager does not
// start the runner again), then end whatever runner tree is left.
#include "commands.hpp"

#include <ductor/sdk/runner.hpp>

#include <ductor/plugin/guard.hpp>
#include <ductor/runner/options.hpp>
#include <ductor/runner/stop.hpp>
#include <ductor/service/spec_builder.hpp>

#include <spdlog/spdlog.h>

#include <iostream>

namespace ductor::cli {
namespace {

// Stops the service through the selected backend when it is installed there.
// False when the backend failed.
bool stop_service(const sdk::ServiceSpec& spec, const GlobalOptions& global, const plugin::Registry& registry,
                  bool quiet) {
    auto selection = registry.select(global.backend, plugin::Need::available);
    if (!selection.plugin) {
        spdlog::debug("no service backend to stop through ({}); stopping only the runner", selection.error);
        return true;
    }
    auto& plugin = *selection.plugin;
    auto installed = plugin::ask_installed(*plugin.backend, spec);
    if (!installed.value) {
        spdlog::error("{} backend: {}", plugin.info.name, installed.error);
        return false;
    }
    if (!*installed.value) {
        spdlog::debug("'{}' is not installed as a {} service", spec.name, plugin.info.name);
        return true;
    }
    auto stopped = plugin::guarded_call("stop_service()", [&] { return plugin.backend->stop_service(spec); });
    std::string error = !stopped.value ? stopped.error : stopped.value->ok ? "" : stopped.value->error;
    if (!error.empty()) {
        spdlog::error("{} backend: {}", plugin.info.name, error);
        return false;
    }
    if (!quiet) std::cout << "Stopped the service '" << spec.name << "' (" << plugin.info.name << ").\n";
    return true;
}

}  // namespace

ExitCode stop_command(const StopCommand& command, const GlobalOptions& global, const plugin::Registry& registry,
                      const sdk::Host& host) {
    if (auto bad = service::check_name(command.name); !bad.empty()) throw UsageError(bad, "ductor stop --help");
    bool quiet = global.verbosity == Verbosity::quiet;
    sdk::ServiceSpec spec;
    spec.name = command.name;
    bool service_ok = stop_service(spec, global, registry, quiet);
    auto report = runner::stop_runner(sdk::runner::pid_file(host.ductor_home(), command.name));
    for (const auto& sentence : report.said) {
        if (report.failed)
            spdlog::error("'{}': {}", command.name, sentence);
        else if (!quiet)
            std::cout << "'" << command.name << "': " << sentence << ".\n";
    }
    return service_ok && !report.failed ? ExitCode::success : ExitCode::failed;
}

}  // namespace ductor::cli
