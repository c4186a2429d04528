#pragma once
// One recorded service as its backend sees it now, and where the install
// record and the manager disagree. Shared by `service list` and `doctor`
// (private to the CLI).

#include <ductor/plugin/registry.hpp>
#include <ductor/sdk/backend.hpp>
#include <ductor/sdk/host.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::cli {

struct ServiceView {
    std::string name;
    std::string backend;  // empty when the record cannot be read
    std::string desired;  // "enabled" | "stopped"; empty when the record cannot be read
    std::string state = "unknown";
    std::optional<long long> pid;
    std::optional<std::string> restarts;
    std::optional<std::chrono::seconds> uptime;  // how long its process has run, where the system can tell
    std::string problem;                         // where the record and the manager disagree, or why nothing is known
    std::optional<sdk::ServiceStatus> status;    // what the backend reported, when it was asked
};

// The value of the status detail `key`, when the backend reported it.
std::optional<std::string> status_detail(const sdk::ServiceStatus& status, std::string_view key);

// The service `name` of the records in the Host's ductor home, asked of the
// backend its record names (guarded: a throwing backend becomes a problem).
ServiceView view_service(const std::string& name, const plugin::Registry& registry, const sdk::Host& host);

// view_service for every recorded name, sorted by name.
std::vector<ServiceView> view_recorded_services(const plugin::Registry& registry, const sdk::Host& host);

}  // namespace ductor::cli
