#include "service_view.hpp"

#include "service_output.hpp"

#include <ductor/platform/system.hpp>
#include <ductor/plugin/guard.hpp>
#include <ductor/service/record.hpp>

namespace ductor::cli {
namespace {

// What the record asked for and what the backend reports, where they differ.
std::string disagreement(const service::InstallRecord& record, const sdk::ServiceStatus& status) {
    using sdk::ServiceState;
    if (auto problem = status_detail(status, sdk::k_problem_detail)) return *problem;
    if (status.state == ServiceState::unknown) return status.error.empty() ? "state unknown" : status.error;
    if (status.state == ServiceState::not_installed)
        return "recorded, but the " + record.backend + " backend has no definition of it; install it again";
    bool up = status.state == ServiceState::running || status.state == ServiceState::starting;
    if (record.desired == service::Desired::enabled && !up) return "should be running";
    if (record.desired == service::Desired::stopped && up) return "should be stopped";
    return {};
}

}  // namespace

std::optional<std::string> status_detail(const sdk::ServiceStatus& status, std::string_view key) {
    for (const auto& field : status.detail) {
        if (field.key == key) return field.value;
    }
    return std::nullopt;
}

ServiceView view_service(const std::string& name, const plugin::Registry& registry, const sdk::Host& host) {
    ServiceView view;
    view.name = name;
    auto loaded = service::load_record(host.ductor_home(), name);
    if (!loaded || !*loaded) {
        if (!loaded) view.problem = loaded.error();
        return view;
    }
    const auto& record = **loaded;
    view.backend = record.backend;
    view.desired = service::to_string(record.desired);
    auto selection = registry.select(record.backend, plugin::Need::available);
    if (!selection) {
        view.problem = "the " + record.backend + " backend is not usable here";
        return view;
    }
    auto& backend = *(*selection)->backend;
    auto asked = plugin::guarded_call("service_status()", [&] { return backend.service_status(record.spec); });
    auto status = asked ? std::move(*asked) : sdk::ServiceStatus{sdk::ServiceState::unknown, {}, {}, {}, asked.error()};
    view.state = state_name(status.state);
    view.pid = status.pid;
    view.restarts = status_detail(status, "restarts");
    if (view.pid) view.uptime = platform::process_age(*view.pid);
    view.problem = disagreement(record, status);
    view.status = std::move(status);
    return view;
}

std::vector<ServiceView> view_recorded_services(const plugin::Registry& registry, const sdk::Host& host) {
    std::vector<ServiceView> views;
    for (const auto& name : service::recorded_names(host.ductor_home()))
        views.push_back(view_service(name, registry, host));
    return views;
}

}  // namespace ductor::cli
