// The runit plugin's own tests: the SDK's contract checks over the backend,
// with the SDK's fake Host and a small model of runsvdir/runsv answering
// `sv`, and the scripts' shape. A plain executable (exit 0: all held), so it
// needs no test framework; the real runit is exercised by ductor's
// integration test (tests/integration/runit).
#include "runit.hpp"

#include <ductor/sdk/shell.hpp>
#include <ductor/sdk_testing/contract.hpp>
#include <ductor/sdk_testing/fake_host.hpp>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace {

namespace fs = std::filesystem;
namespace sdk = ductor::sdk;
using ductor::sdk_testing::FakeHost;

// runsvdir and runsv as `sv` sees them: a folder is supervised once a link to
// it is in the watched folder (runsvdir picks it up at once), up unless it
// has a `down` file, until `sv exit`.
class RunitModel {
public:
    explicit RunitModel(FakeHost& host) : m_host(host) {}

    std::optional<sdk::ProcessResult> operator()(const sdk::ProcessRequest& request) {
        if (request.argv.empty() || request.argv[0] != "sv") return std::nullopt;
        std::vector<std::string> args(request.argv.begin() + 1, request.argv.end());
        if (args.size() >= 2 && args[0] == "-w") args.erase(args.begin(), args.begin() + 2);
        if (args.size() != 2) return FakeHost::exited(100, "usage: sv [-w sec] command service");
        const fs::path folder = args[1];
        const auto& command = args[0];
        auto state = find(folder);
        if (!state)
            return FakeHost::exited(1, "warning: " + args[1] + ": unable to open supervise/ok: file does not exist\n");
        if (command == "status") return FakeHost::exited(0, status_line(args[1], *state));
        if (command == "up" || command == "start" || command == "restart") {
            *state = Up{true, ++m_pid};
        } else if (command == "force-stop" || command == "down") {
            *state = Up{false, 0};
        } else if (command == "exit") {
            m_states.erase(folder);
            m_exited.insert(folder);
        } else {
            return FakeHost::exited(100, "unknown command " + command);
        }
        return FakeHost::exited(0, "ok: " + args[1] + "\n");
    }

private:
    struct Up {
        bool up = false;
        long long pid = 0;
    };

    Up* find(const fs::path& folder) {
        if (auto it = m_states.find(folder); it != m_states.end()) return &it->second;
        if (m_exited.count(folder) != 0 && !linked(folder)) return nullptr;
        if (!linked(folder) || !fs::exists(folder / "run")) return nullptr;
        m_exited.erase(folder);
        const bool up = !fs::exists(folder / "down");
        return &(m_states[folder] = Up{up, up ? ++m_pid : 0});
    }

    bool linked(const fs::path& folder) const {
        const auto watched = ductor_runit::watched_folder(m_host);
        std::error_code ec;
        for (fs::directory_iterator it(watched, ec), end; !ec && it != end; it.increment(ec))
            if (it->is_symlink() && fs::read_symlink(it->path()) == folder) return true;
        return false;
    }

    static std::string status_line(const std::string& name, const Up& state) {
        if (state.up) return "run: " + name + ": (pid " + std::to_string(state.pid) + ") 1s; run: log: (pid 7) 1s\n";
        return "down: " + name + ": 1s, normally up; run: log: (pid 7) 1s\n";
    }

    FakeHost& m_host;
    std::map<fs::path, Up> m_states;
    std::set<fs::path> m_exited;
    long long m_pid = 1000;
};

int failures = 0;
void expect(bool condition, const std::string& what) {
    if (!condition) {
        std::cout << "FAILED: " << what << "\n";
        ++failures;
    }
}

void arrange(FakeHost& host) {
    auto model = std::make_shared<RunitModel>(host);
    host.set_responder([model](const sdk::ProcessRequest& request) { return (*model)(request); });
}

void contract() {
    auto report = ductor::sdk_testing::check_backend_contract(
        [](sdk::Host& host) { return std::make_unique<ductor_runit::RunitBackend>(host); },
        {std::nullopt, arrange, {}});
    std::cout << report.summary();
    // All five checks run here: runit is reached through the Host only.
    expect(report.complete(), "every check of the backend contract ran and held");
}

void scripts() {
    FakeHost host;
    auto spec = ductor::sdk_testing::contract_spec();
    spec.working_directory = "/srv/it's here";
    const auto run = ductor_runit::run_script(host, spec);
    expect(run.rfind("#!/bin/sh\n", 0) == 0, "run starts with #!/bin/sh");
    expect(run.find("\nexec " + sdk::shell_join(spec.argv) + "\n") != std::string::npos, "run execs the argv, quoted");
    expect(run.find("\ncd '/srv/it'\\''s here' || exit 111\n") != std::string::npos, "run changes to the folder");
    expect(run.find("\nexport CONTRACT_VALUE='a b '\\''c'\\'' \"d\" $e'\n") != std::string::npos, "run exports --env");
    expect(run.find("\nexport DUCTOR_SUPERVISOR=1\n") != std::string::npos, "run sets DUCTOR_SUPERVISOR");
    spec.restart = sdk::RestartPolicy::never;
    expect(ductor_runit::finish_script(spec).find("printf d > supervise/control\nexit 0\n") != std::string::npos,
           "restart never: finish marks the service down");
    const auto where = ductor_runit::layout(host, spec);
    expect(ductor_runit::log_run_script(where).find("exec svlogd ") != std::string::npos, "log/run execs svlogd");
}

void sv_status() {
    auto run = ductor_runit::parse_sv_status("run: /x/y: (pid 4242) 12s; run: log: (pid 4240) 12s\n");
    expect(run && run->state == "run" && run->pid == 4242, "sv status: run with the service's PID");
    auto down = ductor_runit::parse_sv_status("down: /x/y: 3s, normally up; run: log: (pid 4240) 12s\n");
    expect(down && down->state == "down" && !down->pid, "sv status: down has no PID (the log's is not taken)");
    auto fail = ductor_runit::parse_sv_status("fail: /x/y: runsv not running\n");
    expect(fail && fail->state == "fail", "sv status: fail");
    expect(!ductor_runit::parse_sv_status(""), "sv status: nothing");
}

}  // namespace

int main() {
    contract();
    scripts();
    sv_status();
    std::cout << (failures == 0 ? "runit plugin tests: all held\n" : "runit plugin tests: failures\n");
    return failures == 0 ? 0 : 1;
}
