// `ductor stop`: stop the installed service first (so its manager does not
// start the runner again), then end whatever runner tree is left.
#include "commands.hpp"

#include <ductor/cli/terminal.hpp>

#include <ductor/sdk/runner.hpp>

#include <ductor/output/json.hpp>
#include <ductor/plugin/guard.hpp>
#include <ductor/runner/options.hpp>
#include <ductor/runner/stop.hpp>
#include <ductor/service/spec_builder.hpp>

#include <spdlog/spdlog.h>

#include <iostream>

namespace ductor::cli {
namespace {

// What happened to the installed service: stopped, not-installed, no-backend or failed.
struct ServiceOutcome {
    std::string word;
    std::optional<std::string> backend;  // the backend asked, when one was usable
    bool ok() const { return word != "failed"; }
};

// Stops the service through the selected backend when it is installed there.
ServiceOutcome stop_service(const sdk::ServiceSpec& spec, const GlobalOptions& global, const plugin::Registry& registry,
                            bool quiet) {
    auto selection = registry.select(global.backend, plugin::Need::available);
    if (!selection) {
        spdlog::debug("no service backend to stop through ({}); stopping only the runner", selection.error());
        return {"no-backend", std::nullopt};
    }
    auto& plugin = **selection;
    auto installed = plugin::ask_installed(*plugin.backend, spec);
    if (!installed) {
        spdlog::error("{} backend: {}", plugin.info.name, installed.error());
        return {"failed", plugin.info.name};
    }
    if (!*installed) {
        spdlog::debug("'{}' is not installed as a {} service", spec.name, plugin.info.name);
        return {"not-installed", plugin.info.name};
    }
    say_waiting("the " + plugin.info.name + " backend to stop '" + spec.name + "' (a runner gets its grace period)");
    auto stopped = plugin::guarded_call("stop_service()", [&] { return plugin.backend->stop_service(spec); });
    std::string error = !stopped ? stopped.error() : stopped->ok ? "" : stopped->error;
    if (!error.empty()) {
        spdlog::error("{} backend: {}", plugin.info.name, error);
        return {"failed", plugin.info.name};
    }
    if (!quiet) std::cout << "Stopped the service '" << spec.name << "' (" << plugin.info.name << ").\n";
    return {"stopped", plugin.info.name};
}

}  // namespace

ExitCode stop_command(const StopCommand& command, const GlobalOptions& global, const plugin::Registry& registry,
                      const sdk::Host& host) {
    if (auto named = service::check_name(command.name); !named) throw UsageError(named.error(), "ductor stop --help");
    bool quiet = global.verbosity == Verbosity::quiet || command.json;
    sdk::ServiceSpec spec;
    spec.name = command.name;
    auto service = stop_service(spec, global, registry, quiet);
    const auto pid_file = sdk::runner::pid_file(host.ductor_home(), command.name);
    if (auto pid = runner::running_runner(pid_file)) {
        say_waiting("the runner of '" + command.name + "' (PID " + std::to_string(*pid) +
                    ") to stop: up to its grace period plus 5 s");
    }
    auto report = runner::stop_runner(pid_file);
    for (const auto& sentence : report.said) {
        if (report.failed)
            spdlog::error("'{}': {}", command.name, sentence);
        else if (!quiet)
            std::cout << "'" << command.name << "': " << sentence << ".\n";
    }
    const bool ok = service.ok() && !report.failed;
    if (command.json) {
        output::Json::Array said(report.said.begin(), report.said.end());
        output::Json::Object doc{{"name", command.name},
                                 {"action", "stop"},
                                 {"backend", service.backend},
                                 {"service", service.word},
                                 {"runner", output::Json::Object{{"said", std::move(said)}, {"failed", report.failed}}},
                                 {"ok", ok}};
        std::cout << output::Json(std::move(doc)).dump() << "\n";
    }
    return ok ? ExitCode::success : ExitCode::failed;
}

}  // namespace ductor::cli
