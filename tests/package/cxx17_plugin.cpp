// A backend built with -std=c++17 that includes every SDK header: the SDK is
// C++17 for plugin authors (see tests/package/CMakeLists.txt).
#include "all_sdk_headers.hpp"

#if __cplusplus != 201703L
#error "this plugin must be compiled as C++17"
#endif

namespace {

using namespace ductor::sdk;

class Cxx17Backend final : public Backend {
public:
    explicit Cxx17Backend(Host& host) : m_host(host) {}
    Availability is_service_available() override {
        EnvVar a{"A", "1"};
        EnvVar b{"A", "1"};
        runner::ProcessId p{1, 2};
        runner::PidRecord r;
        r.runner = p;
        runner::PidRecord copy = r;
        const bool equal = a == b && !(a != b) && p == runner::ProcessId{1, 2} && r == copy && !(r != copy);
        return {equal, std::string("built as C++17 against the SDK; home ") + m_host.home_directory().string()};
    }
    bool is_service_installed(const ServiceSpec&) override { return false; }
    bool is_service_running(const ServiceSpec&) override { return false; }
    Result install_service(const ServiceSpec&) override { return Result::failure("cxx17: read-only"); }
    Result start_service(const ServiceSpec&) override { return Result::failure("cxx17: read-only"); }
    Result stop_service(const ServiceSpec&) override { return Result::failure("cxx17: read-only"); }
    Result uninstall_service(const ServiceSpec&) override { return Result::success(); }
    ServiceStatus service_status(const ServiceSpec&) override { return {ServiceState::not_installed, {}, {}, {}, {}}; }
    LogSource service_logs(const ServiceSpec&, const LogRequest&) override { return {{}, {}, "cxx17: no logs"}; }
    Rendering render(const ServiceSpec&) override { return {}; }

private:
    Host& m_host;
};

}  // namespace

DUCTOR_PLUGIN(Cxx17Backend, "cxx17", "1.0.0", 1, "a plugin built as C++17")
