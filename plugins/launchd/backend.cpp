#include <ductor/launchd/backend.hpp>

namespace ductor::launchd {
namespace {
constexpr const char* k_pending = "the launchd backend is not implemented yet";
}

sdk::Availability LaunchdBackend::is_service_available() { return {false, k_pending}; }
bool LaunchdBackend::is_service_installed(const sdk::ServiceSpec&) { return false; }
bool LaunchdBackend::is_service_running(const sdk::ServiceSpec&) { return false; }
sdk::Result LaunchdBackend::install_service(const sdk::ServiceSpec&) { return sdk::Result::failure(k_pending); }
sdk::Result LaunchdBackend::start_service(const sdk::ServiceSpec&) { return sdk::Result::failure(k_pending); }
sdk::Result LaunchdBackend::stop_service(const sdk::ServiceSpec&) { return sdk::Result::failure(k_pending); }
sdk::Result LaunchdBackend::uninstall_service(const sdk::ServiceSpec&) { return sdk::Result::failure(k_pending); }
sdk::ServiceStatus LaunchdBackend::service_status(const sdk::ServiceSpec&) { return {sdk::ServiceState::unknown, {}, {}, {}, k_pending}; }
sdk::LogSource LaunchdBackend::service_logs(const sdk::ServiceSpec&, const sdk::LogRequest&) { return {{}, {}, k_pending}; }
sdk::Rendering LaunchdBackend::render(const sdk::ServiceSpec&) { return {{}, {}, {}, k_pending}; }

}  // namespace ductor::launchd
