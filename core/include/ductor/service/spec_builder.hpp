#pragma once
// Turns what the user typed into a validated ServiceSpec, or says clearly
// what is wrong with it. The checks here are the guarantees a backend relies
// on (see <ductor/sdk/spec.hpp>).

#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/spec.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::service {

// Whether the program and --workdir must exist now (install, and a dry run
// with a backend usable here) or may be missing with a warning (a dry run
// with a backend that is not usable here previews a definition for another
// machine). Every other check is the same in both.
enum class Check { strict, preview };

enum class ServiceAction { install, start, stop, restart, status, logs, uninstall, list };

// What was asked of a service, raw as typed: the CLI fills it, build_spec checks it.
struct ServiceRequest {
    ServiceAction action = ServiceAction::status;
    std::string name = "ductor";
    std::optional<std::string> log_dir;  // install; status and logs read file logs there
    // install
    std::string description;
    std::optional<std::string> workdir;
    std::vector<std::string> env;  // raw KEY=VALUE
    std::vector<std::string> program;
    std::optional<std::string> restart;
    std::optional<long long> restart_delay;
    bool enable_linger = false;
    bool force = false;  // replace a definition ductor did not write
};

struct BuiltSpec {
    sdk::ServiceSpec spec;
    std::vector<std::string> warnings;  // e.g. "program not found here; shown as given" (preview only)
};

// Checks a service name: [A-Za-z0-9][A-Za-z0-9._-]{0,63}. The error says what is wrong with it.
sdk::Expected<void> check_name(std::string_view name);

// Splits and checks one --env KEY=VALUE.
sdk::Expected<sdk::EnvVar> parse_env(std::string_view text);

// Parses never | on-failure | always.
sdk::Expected<sdk::RestartPolicy> parse_restart(std::string_view text);

// The spec for every action: install uses all fields, the others only the
// name. The error is the message for the user.
sdk::Expected<BuiltSpec> build_spec(const ServiceRequest& command, Check check);

}  // namespace ductor::service
