#pragma once
// The standalone backend: ductor's own runner, detached, as the service's
// only supervisor, on any POSIX system (containers, WSL, minimal VMs) where no
// service manager is usable. One `ductor run --detach` per service, no
// daemon of its own. The definition is the runner's command line, kept in
// <ductor home>/standalone/<name>.args (one argument a line); the runner's
// PID file and logs are the runner's own (see <ductor/sdk/runner.hpp>).
// Services come back after a reboot through a per-user boot hook
// (see boot_hook.hpp) that runs `ductor boot`.

#include <ductor/sdk/backend.hpp>
#include <ductor/sdk/expected.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ductor::standalone {

// The runner's restart policy for a service with no other supervisor: the
// delay doubles after each short run up to this, and it never gives up.
inline constexpr std::chrono::seconds k_backoff_max{300};
// The runner's grace between TERM and KILL: short enough that `ductor boot
// --foreground` stops every service within a container's 10 s.
inline constexpr std::chrono::seconds k_grace{5};
inline constexpr std::chrono::seconds k_default_restart_delay{1};

// The arguments after the ductor executable that run `spec` detached. Pure.
std::vector<std::string> runner_arguments(const sdk::ServiceSpec& spec, const sdk::Host& host);

// The definition file's text for those arguments (nullopt when one holds a line break), and back. Pure.
std::optional<std::string> definition_text(const std::vector<std::string>& arguments);
std::optional<std::vector<std::string>> parse_definition(const std::string& text);

class StandaloneBackend final : public sdk::Backend {
public:
    explicit StandaloneBackend(sdk::Host& host) : m_host(host) {}

    // Available on every POSIX system; runs nothing.
    sdk::Availability is_service_available() override;
    // The definition file exists.
    bool is_service_installed(const sdk::ServiceSpec& spec) override;
    // A runner of that name holds its PID file.
    bool is_service_running(const sdk::ServiceSpec& spec) override;
    // Writes the definition, stops a running runner, starts the new one and
    // sets up the boot hook once; a runner that cannot start puts the
    // previous definition back.
    sdk::Result install_service(const sdk::ServiceSpec& spec) override;
    sdk::Result start_service(const sdk::ServiceSpec& spec) override;
    sdk::Result stop_service(const sdk::ServiceSpec& spec) override;
    // Stops the runner tree, removes the definition and, with the last
    // service, the boot hook. Idempotent.
    sdk::Result uninstall_service(const sdk::ServiceSpec& spec) override;
    // From the runner's PID file: running, backoff (starting), stopped.
    sdk::ServiceStatus service_status(const sdk::ServiceSpec& spec) override;
    sdk::LogSource service_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest& request) override;
    sdk::Rendering render(const sdk::ServiceSpec& spec) override;

    std::filesystem::path definition_path(const std::string& name) const;

private:
    // Runs `ductor ARGUMENTS` (a detaching `ductor run`); why the runner did not start otherwise.
    sdk::Expected<void> launch(const std::vector<std::string>& arguments);
    bool other_services_remain(const std::string& name) const;

    sdk::Host& m_host;
};

}  // namespace ductor::standalone
