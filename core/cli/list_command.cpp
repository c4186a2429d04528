// `ductor service list`: every service ductor keeps an install record of,
// with what its backend says now and where the two disagree.
#include "commands.hpp"
#include "service_view.hpp"

#include <ductor/output/json.hpp>

#include <cstdio>
#include <iostream>

namespace ductor::cli {
namespace {

void print_json(const std::vector<ServiceView>& rows) {
    output::Json::Array items;
    for (const auto& row : rows) {
        items.push_back(output::Json::Object{
            {"name", row.name},
            {"backend", row.backend.empty() ? output::Json() : output::Json(row.backend)},
            {"desired", row.desired.empty() ? output::Json() : output::Json(row.desired)},
            {"state", row.state},
            {"pid", row.pid},
            {"restarts", row.restarts},
            {"uptime_seconds", row.uptime ? output::Json(static_cast<long long>(row.uptime->count())) : output::Json()},
            {"problem", row.problem.empty() ? output::Json() : output::Json(row.problem)}});
    }
    std::cout << output::Json(std::move(items)).dump() << "\n";
}

// "45s", "12m 5s", "3h 20m", "2d 4h": the two largest units, like ps's etime.
std::string uptime_text(std::chrono::seconds uptime) {
    const long long total = uptime.count();
    const long long days = total / 86400, hours = total / 3600 % 24, minutes = total / 60 % 60, seconds = total % 60;
    if (days > 0) return std::to_string(days) + "d " + std::to_string(hours) + "h";
    if (hours > 0) return std::to_string(hours) + "h " + std::to_string(minutes) + "m";
    if (minutes > 0) return std::to_string(minutes) + "m " + std::to_string(seconds) + "s";
    return std::to_string(seconds) + "s";
}

void print_table(const std::vector<ServiceView>& rows) {
    if (rows.empty()) {
        std::cout << "No services installed with ductor on this account.\n";
        return;
    }
    std::printf("%-24s %-14s %-14s %-9s %-8s %-8s %s\n", "NAME", "BACKEND", "STATE", "PID", "UPTIME", "WANTED",
                "PROBLEM");
    for (const auto& row : rows) {
        auto pid = row.pid ? std::to_string(*row.pid) : "-";
        auto uptime = row.uptime ? uptime_text(*row.uptime) : "-";
        std::printf("%-24s %-14s %-14s %-9s %-8s %-8s %s\n", row.name.c_str(),
                    row.backend.empty() ? "?" : row.backend.c_str(), row.state.c_str(), pid.c_str(), uptime.c_str(),
                    row.desired.empty() ? "?" : row.desired.c_str(),
                    row.problem.empty() ? "-" : ("! " + row.problem).c_str());
    }
}

}  // namespace

ExitCode list_services(const ServiceCommand& command, const GlobalOptions& /*global*/, const plugin::Registry& registry,
                       const sdk::Host& host) {
    const auto rows = view_recorded_services(registry, host);
    if (command.json)
        print_json(rows);
    else
        print_table(rows);
    std::fflush(stdout);
    return ExitCode::success;
}

}  // namespace ductor::cli
