#pragma once
// The commands behind the CLI (private to it). Each returns an exit code.

#include <ductor/cli/exit_code.hpp>
#include <ductor/cli/invocation.hpp>
#include <ductor/plugin/registry.hpp>
#include <ductor/sdk/host.hpp>

namespace ductor::cli {

ExitCode plugins_command(const PluginsCommand& command, const GlobalOptions& global, const plugin::Registry& registry);

// `ductor service ACTION`; mutating actions hold the service's lock and keep its install record.
ExitCode service_command(const ServiceCommand& command, const GlobalOptions& global, const plugin::Registry& registry,
                         const sdk::Host& host);

// `ductor service list`: every recorded service with its backend's view of it.
ExitCode list_services(const ServiceCommand& command, const GlobalOptions& global, const plugin::Registry& registry,
                       const sdk::Host& host);

// `ductor boot [--foreground]`.
ExitCode boot_command(const BootCommand& command, const GlobalOptions& global, const plugin::Registry& registry,
                      const sdk::Host& host);

// `ductor doctor`: explains the machine; 0 when all is well, 1 when something needs attention.
ExitCode doctor_command(const DoctorCommand& command, const GlobalOptions& global, const plugin::Registry& registry,
                        const sdk::Host& host);

// `ductor run`: the runner in the foreground; its exit code is the child's (see runner/supervisor.hpp).
int run_command(const RunCommand& command);

// `ductor stop`: the installed service through the selected backend, then the runner tree.
ExitCode stop_command(const StopCommand& command, const GlobalOptions& global, const plugin::Registry& registry,
                      const sdk::Host& host);

// spdlog on stderr, "ductor: <level>: message", coloured as stderr_colour()
// decides; the level from -v / -q. A second call only changes the level.
void setup_logging(Verbosity verbosity);

}  // namespace ductor::cli
