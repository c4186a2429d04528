#pragma once
// The systemd backend: a systemd --user unit in
// $XDG_CONFIG_HOME/systemd/user/<name>.service (Linux), driven over D-Bus
// (see manager.hpp), logs from journald.

#include <ductor/sdk/backend.hpp>
#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/linger_control.hpp>
#include <ductor/sdk/log_writer.hpp>
#include <ductor/systemd/commands.hpp>
#include <ductor/systemd/manager.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace ductor::systemd {

class SystemdBackend final : public sdk::Backend, public sdk::LogWriter, public sdk::LingerControl {
public:
    // Keeps `host` for its lifetime; talks to the user manager over D-Bus
    // (make_bus_manager); touches nothing until called.
    explicit SystemdBackend(sdk::Host& host);
    // The same with another Manager (the unit tests' scripted one).
    SystemdBackend(sdk::Host& host, std::unique_ptr<Manager> manager);

    // True when /run/systemd/system exists, the user manager's socket
    // ($XDG_RUNTIME_DIR/systemd/private or bus) does and the Manager is usable
    // (libsystemd can be loaded); runs and connects to nothing.
    sdk::Availability is_service_available() override;
    // The unit file exists, or the manager still runs the unit without it.
    bool is_service_installed(const sdk::ServiceSpec& spec) override;
    // The manager says the unit is active (or reloading).
    bool is_service_running(const sdk::ServiceSpec& spec) override;
    // Writes the unit (0644, atomically), enables it, reloads, then starts it,
    // or restart when it was running. All or nothing: when systemd refuses the unit or the service fails at once,
    // the previous unit is put back (or the new one removed) and the failure
    // carries the manager's words and the last log lines. A unit of that name
    // that ductor did not write is refused unless spec.overwrite allows it.
    sdk::Result install_service(const sdk::ServiceSpec& spec) override;
    // Start, stop and restart queue the manager's job and wait until it is
    // done; a job that fails is a failure with its result.
    sdk::Result start_service(const sdk::ServiceSpec& spec) override;
    sdk::Result stop_service(const sdk::ServiceSpec& spec) override;
    sdk::Result restart_service(const sdk::ServiceSpec& spec) override;
    // Stop, disable, remove the file, daemon-reload, reset-failed.
    sdk::Result uninstall_service(const sdk::ServiceSpec& spec) override;
    // From the unit's properties (k_status_properties), read from the manager.
    sdk::ServiceStatus service_status(const sdk::ServiceSpec& spec) override;
    // journalctl for the unit; an error when journalctl is not on PATH.
    sdk::LogSource service_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest& request) override;
    // The same lines, read from the journal in-process (journalctl's short
    // format without the host name), and followed with request.follow.
    sdk::Result write_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest& request, std::ostream& out) override;
    // The unit and the commands install would run; no side effects.
    sdk::Rendering render(const sdk::ServiceSpec& spec) override;

    // Linger (systemd-logind): on while /var/lib/systemd/linger/<user> exists;
    // enabled with `loginctl enable-linger <user>`, never through sudo.
    bool lingers() override;
    std::string linger_explanation() override;
    std::vector<std::string> enable_linger_command() override;
    sdk::Result enable_linger() override;

    // Where the unit of `spec` lives.
    std::filesystem::path unit_path(const sdk::ServiceSpec& spec) const;

private:
    // Runs `argv` (LC_ALL=C); a failure says what ran and what it said.
    sdk::Expected<void> run_step(const Argv& argv);
    sdk::Expected<void> check_replaceable(const sdk::ServiceSpec& spec) const;
    std::string last_words(const std::string& name);
    void roll_back(const sdk::ServiceSpec& spec, const std::optional<std::string>& previous, bool was_running);
    sdk::Expected<void> check_loaded(const std::string& name);
    sdk::Expected<void> check_started(const sdk::ServiceSpec& spec);

    sdk::Host& m_host;
    std::unique_ptr<Manager> m_manager;
};

}  // namespace ductor::systemd
