#pragma once
// The systemd backend: a systemd --user unit in
// $XDG_CONFIG_HOME/systemd/user/<name>.service (Linux), driven with
// systemctl --user, logs from journald.

#include <ductor/sdk/backend.hpp>
#include <ductor/systemd/commands.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace ductor::systemd {

class SystemdBackend final : public sdk::Backend {
public:
    // Keeps `host` for its lifetime; touches nothing until called.
    explicit SystemdBackend(sdk::Host& host) : m_host(host) {}

    // True when /run/systemd/system exists and the user manager's socket
    // ($XDG_RUNTIME_DIR/systemd/private or bus) does; runs nothing.
    sdk::Availability is_service_available() override;
    // The unit file exists, or the manager still runs the unit without it.
    bool is_service_installed(const sdk::ServiceSpec& spec) override;
    // `systemctl --user is-active` says active.
    bool is_service_running(const sdk::ServiceSpec& spec) override;
    // Writes the unit (0644, atomically), daemon-reload, enable, then start,
    // or restart when it was running; enables linger when asked. All or
    // nothing: when systemd refuses the unit or the service fails at once,
    // the previous unit is put back (or the new one removed) and the failure
    // carries the manager's words and the last log lines. A unit of that name
    // that ductor did not write is refused unless spec.overwrite allows it.
    sdk::Result install_service(const sdk::ServiceSpec& spec) override;
    sdk::Result start_service(const sdk::ServiceSpec& spec) override;
    sdk::Result stop_service(const sdk::ServiceSpec& spec) override;
    sdk::Result restart_service(const sdk::ServiceSpec& spec) override;
    // Stop, disable, remove the file, daemon-reload, reset-failed.
    sdk::Result uninstall_service(const sdk::ServiceSpec& spec) override;
    // From `systemctl --user show -p ...` (machine-readable, locale-free).
    sdk::ServiceStatus service_status(const sdk::ServiceSpec& spec) override;
    // journalctl for the unit; an error when journalctl is not on PATH.
    sdk::LogSource service_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest& request) override;
    // The unit and the commands install would run; no side effects.
    sdk::Rendering render(const sdk::ServiceSpec& spec) override;

    // Where the unit of `spec` lives.
    std::filesystem::path unit_path(const sdk::ServiceSpec& spec) const;

private:
    sdk::ProcessResult run(const Argv& argv);
    sdk::Result run_step(const Argv& argv);
    bool linger_enabled() const;
    sdk::Result handle_linger(const sdk::ServiceSpec& spec);
    std::filesystem::path runtime_dir() const;
    std::string foreign_unit(const sdk::ServiceSpec& spec) const;
    std::string last_words(const std::string& name);
    void roll_back(const sdk::ServiceSpec& spec, const std::optional<std::string>& previous, bool was_running);
    std::string load_problem(const std::string& name);
    std::string start_problem(const sdk::ServiceSpec& spec);

    sdk::Host& m_host;
};

}  // namespace ductor::systemd
