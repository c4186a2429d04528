// A minimal third-party backend that only uses the installed SDK.
#include <ductor/sdk/paths.hpp>
#include <ductor/sdk/plugin.hpp>

namespace {

using namespace ductor::sdk;

class ConsumerBackend final : public Backend {
public:
    explicit ConsumerBackend(Host& host) : m_host(host) {}
    Availability is_service_available() override {
        return {true,
                "consumer plugin built against the installed SDK; PATH would be " + service_path(m_host, {"/usr/bin"})};
    }
    bool is_service_installed(const ServiceSpec&) override { return false; }
    bool is_service_running(const ServiceSpec&) override { return false; }
    Result install_service(const ServiceSpec&) override { return Result::failure("consumer: read-only"); }
    Result start_service(const ServiceSpec&) override { return Result::failure("consumer: read-only"); }
    Result stop_service(const ServiceSpec&) override { return Result::failure("consumer: read-only"); }
    Result uninstall_service(const ServiceSpec&) override { return Result::success(); }
    ServiceStatus service_status(const ServiceSpec&) override { return {ServiceState::not_installed, {}, {}, {}, {}}; }
    LogSource service_logs(const ServiceSpec&, const LogRequest&) override { return {{}, {}, "consumer: no logs"}; }
    Rendering render(const ServiceSpec& spec) override {
        Rendering r;
        r.commands.push_back({"consumerctl", "add", spec.name});
        return r;
    }

private:
    Host& m_host;
};

}  // namespace

DUCTOR_PLUGIN(ConsumerBackend, "consumer", "1.0.0", 1, "third-party plugin from the installed SDK")
