// `ductor service list`: every service ductor keeps an install record of,
// with what its backend says now and where the two disagree.
#include "commands.hpp"
#include "service_output.hpp"

#include <ductor/output/json.hpp>
#include <ductor/plugin/guard.hpp>
#include <ductor/service/record.hpp>

#include <cstdio>
#include <iostream>

namespace ductor::cli {
namespace {

struct Row {
    std::string name;
    std::string backend;
    std::string desired;
    std::string state = "unknown";
    std::optional<long long> pid;
    std::optional<std::string> restarts;
    std::string problem;  // where the record and the manager disagree, or why nothing is known
};

std::optional<std::string> detail(const sdk::ServiceStatus& status, std::string_view key) {
    for (const auto& field : status.detail) {
        if (field.key == key) return field.value;
    }
    return std::nullopt;
}

// What the record asked for and what the backend reports, where they differ.
std::string disagreement(const service::InstallRecord& record, const sdk::ServiceStatus& status) {
    using sdk::ServiceState;
    if (status.state == ServiceState::unknown) return status.error.empty() ? "state unknown" : status.error;
    if (status.state == ServiceState::not_installed)
        return "recorded, but the " + record.backend + " backend has no definition of it; install it again";
    bool up = status.state == ServiceState::running || status.state == ServiceState::starting;
    if (record.desired == service::Desired::enabled && !up) return "should be running";
    if (record.desired == service::Desired::stopped && up) return "should be stopped";
    return {};
}

Row row_for(const std::string& name, const plugin::Registry& registry, const sdk::Host& host) {
    Row row{name, "", "", "unknown", {}, {}, {}};
    auto loaded = service::load_record(host.ductor_home(), name);
    if (!loaded.record) {
        row.problem = loaded.error;
        return row;
    }
    const auto& record = *loaded.record;
    row.backend = record.backend;
    row.desired = service::to_string(record.desired);
    auto selection = registry.select(record.backend, plugin::Need::available);
    if (!selection.plugin) {
        row.problem = "the " + record.backend + " backend is not usable here";
        return row;
    }
    auto& backend = *selection.plugin->backend;
    auto status = plugin::guarded_call("service_status()", [&] { return backend.service_status(record.spec); });
    if (!status.value) status.value = sdk::ServiceStatus{sdk::ServiceState::unknown, {}, {}, {}, status.error};
    row.state = state_name(status.value->state);
    row.pid = status.value->pid;
    row.restarts = detail(*status.value, "restarts");
    row.problem = disagreement(record, *status.value);
    return row;
}

void print_json(const std::vector<Row>& rows) {
    output::Json::Array items;
    for (const auto& row : rows) {
        items.push_back(
            output::Json::Object{{"name", row.name},
                                 {"backend", row.backend.empty() ? output::Json() : output::Json(row.backend)},
                                 {"desired", row.desired.empty() ? output::Json() : output::Json(row.desired)},
                                 {"state", row.state},
                                 {"pid", row.pid},
                                 {"restarts", row.restarts},
                                 {"problem", row.problem.empty() ? output::Json() : output::Json(row.problem)}});
    }
    std::cout << output::Json(std::move(items)).dump() << "\n";
}

void print_table(const std::vector<Row>& rows) {
    if (rows.empty()) {
        std::cout << "No services installed with ductor on this account.\n";
        return;
    }
    std::printf("%-24s %-14s %-14s %-9s %-8s %s\n", "NAME", "BACKEND", "STATE", "PID", "WANTED", "PROBLEM");
    for (const auto& row : rows) {
        auto pid = row.pid ? std::to_string(*row.pid) : "-";
        std::printf("%-24s %-14s %-14s %-9s %-8s %s\n", row.name.c_str(),
                    row.backend.empty() ? "?" : row.backend.c_str(), row.state.c_str(), pid.c_str(),
                    row.desired.empty() ? "?" : row.desired.c_str(),
                    row.problem.empty() ? "-" : ("! " + row.problem).c_str());
    }
}

}  // namespace

ExitCode list_services(const ServiceCommand& command, const GlobalOptions& /*global*/, const plugin::Registry& registry,
                       const sdk::Host& host) {
    std::vector<Row> rows;
    for (const auto& name : service::recorded_names(host.ductor_home())) rows.push_back(row_for(name, registry, host));
    if (command.json)
        print_json(rows);
    else
        print_table(rows);
    std::fflush(stdout);
    return ExitCode::success;
}

}  // namespace ductor::cli
