#pragma once
// The systemd backend: systemd --user unit (Linux).

#include <ductor/sdk/backend.hpp>

namespace ductor::systemd {

class SystemdBackend final : public sdk::Backend {
public:
    explicit SystemdBackend(sdk::Host& host) : m_host(host) {}

    sdk::Availability is_service_available() override;
    bool is_service_installed(const sdk::ServiceSpec& spec) override;
    bool is_service_running(const sdk::ServiceSpec& spec) override;
    sdk::Result install_service(const sdk::ServiceSpec& spec) override;
    sdk::Result start_service(const sdk::ServiceSpec& spec) override;
    sdk::Result stop_service(const sdk::ServiceSpec& spec) override;
    sdk::Result uninstall_service(const sdk::ServiceSpec& spec) override;
    sdk::ServiceStatus service_status(const sdk::ServiceSpec& spec) override;
    sdk::LogSource service_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest& request) override;
    sdk::Rendering render(const sdk::ServiceSpec& spec) override;

private:
    sdk::Host& m_host;
};

}  // namespace ductor::systemd
