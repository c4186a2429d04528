// `ductor boot`: start every standalone service that should run and does not;
// with --foreground, stay as their parent (a container's PID 1) until asked to stop.
#include "commands.hpp"

#include <ductor/output/json.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/plugin/guard.hpp>
#include <ductor/runner/stop.hpp>
#include <ductor/sdk/runner.hpp>
#include <ductor/service/record.hpp>

#include <spdlog/spdlog.h>

#include <iostream>
#include <thread>

namespace ductor::cli {
namespace {

constexpr const char* k_backend = "standalone";
constexpr std::chrono::seconds k_lock_wait{120};
// Added to each runner's grace when the foreground boot stops them.
constexpr std::chrono::seconds k_stop_margin{2};
// How often the foreground boot looks for a stop request between reaping.
constexpr std::chrono::milliseconds k_idle{200};

// The enabled standalone services' specs, from their records.
std::vector<sdk::ServiceSpec> enabled_services(const std::filesystem::path& home) {
    std::vector<sdk::ServiceSpec> specs;
    for (const auto& name : service::recorded_names(home)) {
        auto loaded = service::load_record(home, name);
        if (!loaded) {
            spdlog::warn("{}", loaded.error());
            continue;
        }
        const auto& record = *loaded;
        if (record && record->backend == k_backend && record->desired == service::Desired::enabled)
            specs.push_back(record->spec);
    }
    return specs;
}

// What boot did with one service: "started", "running" (already) or "failed", and why.
struct Outcome {
    std::string name;
    std::string result;
    std::optional<std::string> error;
};

// Starts `spec` unless it runs.
Outcome start_one(const sdk::ServiceSpec& spec, plugin::LoadedPlugin& plugin, const std::filesystem::path& home,
                  bool quiet) {
    auto lock = service::ServiceLock::acquire(home, spec.name, k_lock_wait);
    if (!lock) {
        spdlog::error("'{}': {}", spec.name, lock.error().message);
        return {spec.name, "failed", lock.error().message};
    }
    auto& backend = *plugin.backend;
    auto running = plugin::guarded_call("is_service_running()", [&] { return backend.is_service_running(spec); });
    if (running && *running) {
        if (!quiet) std::cout << "'" << spec.name << "' is already running.\n";
        return {spec.name, "running", std::nullopt};
    }
    auto started = plugin::guarded_call("start_service()", [&] { return backend.start_service(spec); });
    std::string why = !started ? started.error() : started->ok ? "" : started->error;
    if (!why.empty()) {
        spdlog::error("'{}': {}", spec.name, why);
        return {spec.name, "failed", why};
    }
    if (!quiet) std::cout << "Started '" << spec.name << "'.\n";
    return {spec.name, "started", std::nullopt};
}

// `boot --json`: every enabled standalone service's outcome.
void print_json(const std::vector<Outcome>& outcomes, bool foreground) {
    output::Json::Array services;
    bool ok = true;
    for (const auto& outcome : outcomes) {
        ok = ok && outcome.result != "failed";
        services.push_back(
            output::Json::Object{{"name", outcome.name}, {"result", outcome.result}, {"error", outcome.error}});
    }
    output::Json::Object doc{{"action", "boot"},
                             {"backend", k_backend},
                             {"foreground", foreground},
                             {"services", std::move(services)},
                             {"ok", ok}};
    std::cout << output::Json(std::move(doc)).dump() << std::endl;
}

// Stops every runner at once, each within its grace, and reaps them.
void stop_all(const std::vector<sdk::ServiceSpec>& specs, const std::filesystem::path& home) {
    std::vector<std::thread> stoppers;
    for (const auto& spec : specs) {
        stoppers.emplace_back([&home, name = spec.name] {
            auto report = runner::stop_runner(sdk::runner::pid_file(home, name), k_stop_margin);
            for (const auto& sentence : report.said) spdlog::info("'{}': {}", name, sentence);
        });
    }
    for (auto& stopper : stoppers) stopper.join();
    platform::reap_adopted(0);
}

}  // namespace

ExitCode boot_command(const BootCommand& command, const GlobalOptions& global, const plugin::Registry& registry,
                      const sdk::Host& host) {
    const bool quiet = global.verbosity == Verbosity::quiet || command.json;
    const auto home = host.ductor_home();
    // Before anything starts: orphaned runners must land here, and a TERM must not be lost.
    std::optional<platform::StopRequests> stops;
    if (command.foreground) {
        platform::become_subreaper();
        stops.emplace();
    }
    auto specs = enabled_services(home);
    bool all_started = true;
    std::vector<Outcome> outcomes;
    if (!specs.empty()) {
        auto selection = registry.select(std::string(k_backend), plugin::Need::available);
        if (!selection) {
            spdlog::error("{}", selection.error());
            if (command.json) {  // the report still names every service that could not start, and why
                for (const auto& spec : specs) outcomes.push_back({spec.name, "failed", selection.error()});
                print_json(outcomes, command.foreground);
            }
            return ExitCode::no_backend;
        }
        for (const auto& spec : specs) {
            outcomes.push_back(start_one(spec, **selection, home, quiet));
            all_started = all_started && outcomes.back().result != "failed";
        }
    } else if (!quiet) {
        std::cout << "No enabled standalone service to start.\n";
    }
    if (command.json) print_json(outcomes, command.foreground);
    if (!command.foreground) return all_started ? ExitCode::success : ExitCode::failed;

    if (!quiet) std::cout << "ductor boot: in the foreground; SIGTERM or SIGINT stops every service." << std::endl;
    std::optional<int> signal;
    while (!(signal = stops->take())) {
        platform::reap_adopted(0);
        platform::pause_for(k_idle);
    }
    spdlog::info("signal {} received; stopping {} service(s)", *signal, specs.size());
    stop_all(specs, home);
    return ExitCode::success;
}

}  // namespace ductor::cli
