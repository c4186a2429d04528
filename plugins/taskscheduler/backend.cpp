#include <ductor/taskscheduler/backend.hpp>

namespace ductor::taskscheduler {
namespace {
constexpr const char* k_pending = "the taskscheduler backend is not implemented yet";
}

sdk::Availability TaskSchedulerBackend::is_service_available() { return {false, k_pending}; }
bool TaskSchedulerBackend::is_service_installed(const sdk::ServiceSpec&) { return false; }
bool TaskSchedulerBackend::is_service_running(const sdk::ServiceSpec&) { return false; }
sdk::Result TaskSchedulerBackend::install_service(const sdk::ServiceSpec&) { return sdk::Result::failure(k_pending); }
sdk::Result TaskSchedulerBackend::start_service(const sdk::ServiceSpec&) { return sdk::Result::failure(k_pending); }
sdk::Result TaskSchedulerBackend::stop_service(const sdk::ServiceSpec&) { return sdk::Result::failure(k_pending); }
sdk::Result TaskSchedulerBackend::uninstall_service(const sdk::ServiceSpec&) { return sdk::Result::failure(k_pending); }
sdk::ServiceStatus TaskSchedulerBackend::service_status(const sdk::ServiceSpec&) { return {sdk::ServiceState::unknown, {}, {}, {}, k_pending}; }
sdk::LogSource TaskSchedulerBackend::service_logs(const sdk::ServiceSpec&, const sdk::LogRequest&) { return {{}, {}, k_pending}; }
sdk::Rendering TaskSchedulerBackend::render(const sdk::ServiceSpec&) { return {{}, {}, {}, k_pending}; }

}  // namespace ductor::taskscheduler
