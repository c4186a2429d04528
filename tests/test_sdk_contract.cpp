// The SDK's contract checks (ductor::sdk_testing::check_backend_contract)
// over every in-tree backend, each on the SDK's fake Host with just enough of
// its manager to answer: the same checks a third-party author runs.
#include "launchd/print_samples.hpp"

#include <ductor/launchd/backend.hpp>
#include <ductor/sdk_testing/contract.hpp>
#include <ductor/standalone/backend.hpp>
#include <ductor/systemd/backend.hpp>
#include <ductor/systemd/commands.hpp>
#include <ductor/systemd/status.hpp>
#include <ductor/taskscheduler/backend.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
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

// Every check runs and holds, or is reported as not run with its reason (a
// warning in the test's output, never a silent pass).
void require_contract(const ductor::sdk_testing::BackendMaker& maker, const ContractOptions& options) {
    auto report = check_backend_contract(maker, options);
    INFO(report.summary());
    CHECK(report.failures.empty());
    CHECK(report.passed.size() + report.not_run.size() == ductor::sdk_testing::contract_check_names().size());
    for (const auto& not_run : report.not_run) WARN("contract check not run: " << not_run);
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

// The systemd backend's Manager answered through the Host: each call runs
// its systemctl equivalent (what render() lists), so a fake Host stands in
// for the user manager and the checks see what install asked of it, in order.
class SystemctlOnHost final : public ductor::systemd::Manager {
public:
    explicit SystemctlOnHost(sdk::Host& host) : m_host(host) {}
    sdk::Expected<void> check_usable() override { return {}; }
    sdk::Expected<ductor::systemd::Properties> properties(const std::string& unit,
                                                          const std::vector<std::string>& names) override {
        auto argv = ductor::systemd::systemctl("show", unit);
        std::string wanted = "--property=";
        for (const auto& name : names) wanted += (&name == &names.front() ? "" : ",") + name;
        argv.push_back(wanted);
        auto shown = run(argv);
        if (!shown.succeeded()) return sdk::unexpected(shown.err);
        return ductor::systemd::parse_properties(shown.out);
    }
    sdk::Expected<void> reload() override { return result(ductor::systemd::systemctl("daemon-reload")); }
    sdk::Expected<void> enable(const std::string& unit) override {
        return result(ductor::systemd::systemctl("enable", unit));
    }
    sdk::Expected<void> disable(const std::string& unit) override {
        return result(ductor::systemd::systemctl("disable", unit));
    }
    sdk::Expected<void> run_job(ductor::systemd::JobVerb verb, const std::string& unit) override {
        return result(ductor::systemd::systemctl(ductor::systemd::verb_name(verb), unit));
    }
    sdk::Expected<void> reset_failed(const std::string& unit) override {
        return result(ductor::systemd::systemctl("reset-failed", unit));
    }
    std::string journal_tail(const std::string&, unsigned) override { return {}; }
    sdk::Expected<void> write_journal(const std::string&, unsigned, bool, std::ostream&) override { return {}; }

private:
    sdk::ProcessResult run(const std::vector<std::string>& argv) {
        sdk::ProcessRequest request;
        request.argv = argv;
        return m_host.run_process(request);
    }
    sdk::Expected<void> result(const std::vector<std::string>& argv) {
        auto done = run(argv);
        if (done.succeeded()) return {};
        return sdk::unexpected(done.err);
    }
    sdk::Host& m_host;
};

// systemd --user as systemctl shows it: enable links the unit into
// default.target.wants and disable removes the link, daemon-reload loads the
// unit files that exist, start/restart run a loaded unit, stop stops it, show
// reports the state.
FakeHost::Responder systemd_model(FakeHost& host) {
    namespace fs = std::filesystem;
    struct State {
        std::set<std::string> loaded, active;
    };
    auto state = std::make_shared<State>();
    const fs::path units = host.home_directory() / ".config/systemd/user";
    return [state, units](const sdk::ProcessRequest& request) -> std::optional<sdk::ProcessResult> {
        const auto& argv = request.argv;
        if (argv.size() < 3 || argv[0] != "systemctl" || argv[1] != "--user") return std::nullopt;
        const auto& verb = argv[2];
        const std::string unit = argv.size() > 3 ? argv[3] : "";
        std::error_code ec;
        if (verb == "daemon-reload") {
            state->loaded.clear();
            for (fs::directory_iterator it(units, ec), end; !ec && it != end; it.increment(ec))
                if (it->is_regular_file()) state->loaded.insert(it->path().filename().string());
        } else if (verb == "enable") {
            fs::create_directories(units / "default.target.wants", ec);
            fs::create_symlink(units / unit, units / "default.target.wants" / unit, ec);
        } else if (verb == "disable") {
            fs::remove(units / "default.target.wants" / unit, ec);
        } else if (verb == "start" || verb == "restart") {
            if (state->loaded.count(unit) == 0) return FakeHost::exited(5, "", "Unit " + unit + " not found.\n");
            state->active.insert(unit);
        } else if (verb == "stop") {
            state->active.erase(unit);
        } else if (verb == "show") {
            const bool loaded = state->loaded.count(unit) != 0, active = state->active.count(unit) != 0;
            return FakeHost::exited(0, std::string("LoadState=") + (loaded ? "loaded" : "not-found") +
                                           "\nActiveState=" + (active ? "active" : "inactive") +
                                           "\nSubState=" + (active ? "running" : "dead") +
                                           "\nMainPID=" + (active ? "4321" : "0") + "\n");
        }
        return FakeHost::exited(0);
    };
}

// A backend that breaks every promise the checks test, once each: its
// availability asks a tool, render leaves a file, install writes other bytes
// than it rendered, uninstall leaves a file behind, and stop stops nothing.
class PromiseBreaker final : public sdk::Backend {
public:
    explicit PromiseBreaker(sdk::Host& host) : m_host(host) {}
    sdk::Availability is_service_available() override {
        sdk::ProcessRequest request;
        request.argv = {"pgrep", "manager"};
        m_host.run_process(request);
        return {true, "asked pgrep"};
    }
    bool is_service_installed(const sdk::ServiceSpec&) override { return m_host.path_exists(unit()); }
    sdk::Result install_service(const sdk::ServiceSpec&) override {
        m_host.write_file(home() / "stray", "left", file_mode());
        return m_host.write_file(unit(), "not what render listed", file_mode());
    }
    sdk::Result start_service(const sdk::ServiceSpec&) override { return sdk::Result::success(); }
    sdk::Result stop_service(const sdk::ServiceSpec&) override { return sdk::Result::success(); }
    sdk::Result uninstall_service(const sdk::ServiceSpec&) override { return m_host.remove_file(unit()); }
    sdk::ServiceStatus service_status(const sdk::ServiceSpec&) override {
        sdk::ServiceStatus status;
        status.state = sdk::ServiceState::running;
        return status;
    }
    sdk::LogSource service_logs(const sdk::ServiceSpec&, const sdk::LogRequest&) override { return {}; }
    sdk::Rendering render(const sdk::ServiceSpec&) override {
        m_host.write_file(home() / "render-was-here", "", file_mode());
        sdk::Rendering rendering;
        rendering.files.push_back({unit(), "the unit", {}, file_mode()});
        return rendering;
    }

private:
    std::filesystem::path home() const { return m_host.home_directory(); }
    std::filesystem::path unit() const { return home() / "unit"; }
    static std::filesystem::perms file_mode() { return sdk::RenderedFile{}.mode; }
    sdk::Host& m_host;
};

}  // namespace

TEST_CASE("the contract checks catch a backend that breaks each promise, and refuse a skip without a check or reason") {
    ContractOptions options;
    options.skip = {{"no such check", "a typo"}, {"stop stays stopped", ""}};
    auto report = check_backend_contract(make<PromiseBreaker>, options);
    INFO(report.summary());
    CHECK_FALSE(report.ok());
    CHECK_FALSE(report.complete());
    CHECK(report.passed.empty());
    auto failed = [&](const std::string& prefix) {
        return std::count_if(report.failures.begin(), report.failures.end(),
                             [&](const std::string& f) { return f.rfind(prefix, 0) == 0; });
    };
    CHECK(failed("availability runs no process: it ran pgrep manager") == 1);
    CHECK(failed("render writes nothing: it left ") == 1);
    CHECK(std::count_if(report.failures.begin(), report.failures.end(), [](const std::string& f) {
              return f.rfind("install runs what render listed: ", 0) == 0 &&
                     f.find("unit differs from what render() listed") != std::string::npos;
          }) == 1);
    CHECK(failed("uninstall is repeatable and leaves nothing: uninstall left ") == 1);
    CHECK(failed("skip 'no such check': there is no check of that name") == 1);
    CHECK(failed("skip 'stop stays stopped': no reason given") == 1);
    REQUIRE(report.not_run.size() == 1);  // a skip without a reason still skips, and fails the report
    options.skip.clear();
    report = check_backend_contract(make<PromiseBreaker>, options);
    CHECK(failed("stop stays stopped: service_status() says it runs after stop_service()") == 1);
}

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
        host.set_responder(systemd_model(host));
    };
    // The backend speaks D-Bus to the user manager; here its Manager runs the
    // systemctl equivalents through the fake Host instead (tests/integration/
    // systemd runs the real D-Bus manager against a real systemd --user).
    require_contract(
        [](sdk::Host& host) {
            return std::make_unique<ductor::systemd::SystemdBackend>(host, std::make_unique<SystemctlOnHost>(host));
        },
        options);
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
