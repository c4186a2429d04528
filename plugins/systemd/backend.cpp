#include <ductor/systemd/backend.hpp>

namespace ductor::systemd {
namespace {
constexpr const char* k_pending = "the systemd backend is not implemented yet";
}

sdk::Availability SystemdBackend::is_service_available() { return {false, k_pending}; }
bool SystemdBackend::is_service_installed(const sdk::ServiceSpec&) { return false; }
bool SystemdBackend::is_service_running(const sdk::ServiceSpec&) { return false; }
sdk::Result SystemdBackend::install_service(const sdk::ServiceSpec&) { return sdk::Result::failure(k_pending); }
sdk::Result SystemdBackend::start_service(const sdk::ServiceSpec&) { return sdk::Result::failure(k_pending); }
sdk::Result SystemdBackend::stop_service(const sdk::ServiceSpec&) { return sdk::Result::failure(k_pending); }
sdk::Result SystemdBackend::uninstall_service(const sdk::ServiceSpec&) { return sdk::Result::failure(k_pending); }
sdk::ServiceStatus SystemdBackend::service_status(const sdk::ServiceSpec&) { return {sdk::ServiceState::unknown, {}, {}, {}, k_pending}; }
sdk::LogSource SystemdBackend::service_logs(const sdk::ServiceSpec&, const sdk::LogRequest&) { return {{}, {}, k_pending}; }
sdk::Rendering SystemdBackend::render(const sdk::ServiceSpec&) { return {{}, {}, {}, k_pending}; }

}  // namespace ductor::systemd
