// The SDK's contract checks (ductor::sdk_testing::check_backend_contract)
// over every in-tree backend, each on the SDK's fake Host with just enough of
// its manager to answer: the same checks a third-party author runs.
#include "launchd/print_samples.hpp"

#include <ductor/launchd/backend.hpp>
#include <ductor/sdk_testing/contract.hpp>
#include <ductor/standalone/backend.hpp>
#include <ductor/systemd/backend.hpp>
#include <ductor/taskscheduler/backend.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

#include <memory>
#include <set>
#include <string>

using ductor::sdk_testing::check_backend_contract;
using ductor::sdk_testing::ContractOptions;
using ductor::sdk_testing::FakeHost;
namespace sdk = ductor::sdk;

namespace {

template <typename BackendType>
std::unique_ptr<sdk::Backend> make(sdk::Host& host) {
    return std::make_unique<BackendType>(host);
}

void require_contract(const ductor::sdk_testing::BackendMaker& maker, const ContractOptions& options) {
    auto report = check_backend_contract(maker, options);
    INFO(report.summary());
    CHECK(report.failures.empty());
    CHECK(report.passed.size() + report.not_run.size() == 5);
}

// launchd as launchctl shows it: bootstrap loads a job, bootout unloads it,
// print answers for a loaded job (running) or says it is not found.
FakeHost::Responder launchd_model() {
    auto loaded = std::make_shared<std::set<std::string>>();
    return [loaded](const sdk::ProcessRequest& request) -> std::optional<sdk::ProcessResult> {
        const auto& argv = request.argv;
        if (argv.size() < 3 || argv[0] != "/bin/launchctl") return std::nullopt;
        const auto& verb = argv[1];
        const auto& target = argv.back();
        const bool job = std::count(target.begin(), target.end(), '/') == 2;
        if (verb == "bootstrap") loaded->insert("gui/501/dev.ductor.contract-check");
        if (verb == "bootout") loaded->erase(target);
        if (verb == "print" && job) {
            if (loaded->count(target) == 0)
                return FakeHost::exited(113, "", ductor::test::launchd::k_print_not_found_stderr);
            return FakeHost::exited(0, target + " = {\n\tstate = running\n\tpid = 4321\n}\n");
        }
        return FakeHost::exited(0);
    };
}

// Task Scheduler as schtasks shows it: /Create registers the task, /Delete
// removes it, /Query finds it or not.
FakeHost::Responder task_scheduler_model() {
    auto registered = std::make_shared<bool>(false);
    return [registered](const sdk::ProcessRequest& request) -> std::optional<sdk::ProcessResult> {
        const auto& argv = request.argv;
        if (argv.size() < 2 || argv[0] != R"(C:\Windows\System32\schtasks.exe)") return std::nullopt;
        if (argv[1] == "/Create") *registered = true;
        if (argv[1] == "/Delete") *registered = false;
        if (argv[1] == "/Query" && !*registered)
            return FakeHost::exited(1, "", "ERROR: The system cannot find the file specified.\n");
        return FakeHost::exited(0);
    };
}

}  // namespace

TEST_CASE("the standalone backend keeps the backend contract") {
    ContractOptions options;
    require_contract(make<ductor::standalone::StandaloneBackend>, options);
}

TEST_CASE("the systemd backend keeps the backend contract") {
    ContractOptions options;
    options.arrange = [](FakeHost& host) {
        host.set_env("XDG_RUNTIME_DIR", "/run/user/1000");
        host.pretend_exists("/run/user/1000/systemd/private");
        host.pretend_exists("/run/systemd/system");
    };
    // The systemd backend speaks D-Bus to the user manager's own socket, not
    // through a Host process: with a fake Host there is no manager to install
    // into. tests/integration/systemd runs these against a real systemd --user.
    const std::string reason = "needs a real systemd --user (tests/integration/systemd)";
    options.skip = {{"install runs what render listed", reason},
                    {"uninstall is repeatable and leaves nothing", reason},
                    {"stop stays stopped", reason}};
    require_contract(make<ductor::systemd::SystemdBackend>, options);
}

TEST_CASE("the launchd backend keeps the backend contract") {
    ContractOptions options;
    options.arrange = [](FakeHost& host) {
        host.set_os(sdk::OsFamily::macos);
        host.pretend_exists("/bin/launchctl");
        host.set_user_id(501);
        host.set_responder(launchd_model());
    };
    require_contract(
        [](sdk::Host& host) {
            return std::make_unique<ductor::launchd::LaunchdBackend>(
                host, ductor::launchd::LaunchdBackend::Timing{3, std::chrono::milliseconds(0)});
        },
        options);
}

TEST_CASE("the taskscheduler backend keeps the backend contract") {
    ContractOptions options;
    options.arrange = [](FakeHost& host) {
        host.set_os(sdk::OsFamily::windows);
        host.set_env("SystemRoot", R"(C:\Windows)");
        host.set_env("USERDOMAIN", "CORP");
        host.pretend_exists(R"(C:\Windows\System32\schtasks.exe)");
        host.pretend_exists("/opt/ductor/bin/ductorw.exe");
        host.set_responder(task_scheduler_model());
    };
    require_contract(make<ductor::taskscheduler::TaskSchedulerBackend>, options);
}
