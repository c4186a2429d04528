#pragma once
// The launchd backend: a per-user LaunchAgent (macOS).
//
// Files: ~/Library/LaunchAgents/<label>.plist (0644), the log folder.
// Commands (modern launchctl, OS X 10.10+), in the domain gui/<uid> when the
// user has a GUI login session, else user/<uid>:
//   install  = bootout (if loaded) -> write plist -> enable -> bootstrap -> kickstart
//   stop     = disable -> bootout   (launchd has no job left to respawn)
//   start    = enable -> bootstrap (if not loaded) -> kickstart
//   restart  = kickstart -k when loaded, else start
//   uninstall= bootout (if loaded) -> remove plist -> enable (clears a stop's override)
//   status   = print <domain>/<label>
// Without the domain verbs (launchctl 1) it falls back to load -w / unload -w / list.

#include <ductor/launchd/launchctl.hpp>
#include <ductor/sdk/backend.hpp>
#include <ductor/sdk/expected.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace ductor::launchd {

class LaunchdBackend final : public sdk::Backend {
public:
    // How long to wait for launchd to finish unloading a service: 25 s covers
    // the runner's 10 s grace for its child and launchd's SIGKILL after its
    // default ExitTimeOut of 20 s.
    struct Timing {
        int unload_polls = 100;
        std::chrono::milliseconds poll_interval{250};
    };

    // Keeps a reference to `host`, which must outlive the backend.
    explicit LaunchdBackend(sdk::Host& host) : LaunchdBackend(host, Timing{}) {}
    LaunchdBackend(sdk::Host& host, Timing timing) : m_host(host), m_timing(timing) {}

    sdk::Availability is_service_available() override;
    bool is_service_installed(const sdk::ServiceSpec& spec) override;
    bool is_service_running(const sdk::ServiceSpec& spec) override;
    sdk::Result install_service(const sdk::ServiceSpec& spec) override;
    sdk::Result start_service(const sdk::ServiceSpec& spec) override;
    sdk::Result stop_service(const sdk::ServiceSpec& spec) override;
    sdk::Result restart_service(const sdk::ServiceSpec& spec) override;
    sdk::Result uninstall_service(const sdk::ServiceSpec& spec) override;
    sdk::ServiceStatus service_status(const sdk::ServiceSpec& spec) override;
    sdk::LogSource service_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest& request) override;
    sdk::Rendering render(const sdk::ServiceSpec& spec) override;

private:
    // The domain to use, decided once per backend, or why it cannot be.
    const sdk::Expected<Domain>& domain();
    sdk::ProcessResult run(const Argv& argv);
    // Runs `argv`; a failure is launchctl's error explained.
    sdk::Expected<void> step(const Argv& argv);
    bool is_loaded(const Domain& domain, const std::string& label);
    // bootout when loaded, then waits until launchd reports it gone.
    sdk::Expected<void> unload(const Domain& domain, const std::string& label);
    sdk::Expected<void> bootstrap_and_start(const Domain& domain, const std::string& label, const std::string& plist);
    sdk::Expected<void> write_definition(const sdk::ServiceSpec& spec, const std::string& text);

    sdk::Result install_legacy(const sdk::ServiceSpec& spec, const std::string& text);
    sdk::Result stop_legacy(const sdk::ServiceSpec& spec);
    sdk::ServiceStatus status_from(const sdk::ServiceSpec& spec, const Domain& domain);
    // Where the loaded job and its plist disagree (plist gone, loaded from
    // another file, other ProgramArguments on disk), or empty.
    std::string drift(const PrintedService& loaded, const std::filesystem::path& plist, bool installed);

    sdk::Host& m_host;
    Timing m_timing;
    std::optional<sdk::Expected<Domain>> m_domain;
};

}  // namespace ductor::launchd
