// The standalone backend with real processes: `ductor service ...` through
// the built executable and plugins, detached runners, `ductor boot`.
#include <catch2/catch.hpp>

#include "run_ductor.hpp"
#include "runner_helpers.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/platform/process.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/sdk/runner.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <future>
#include <random>
#include <thread>
#include <sstream>

using namespace ductor;
using namespace std::chrono_literals;

namespace {

// A ductor home, the plugins of the build, the standalone backend forced.
struct Sandbox {
    test::TempDir dir;
    std::filesystem::path home() const { return dir.path() / "home"; }
    test::Env env() const {
        auto env = test::runner_env(home());
        env.emplace_back("DUCTOR_PLUGIN_PATH", DUCTOR_TEST_BUILD_PLUGIN_DIR);
        env.emplace_back("XDG_CURRENT_DESKTOP", "");
        env.emplace_back("DISPLAY", "");
        env.emplace_back("WAYLAND_DISPLAY", "");
        return env;
    }
    sdk::ProcessResult ductor(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--backend", "standalone"});
        auto result = test::run_ductor(args, env());
        INFO("ductor " << args.back() << ": " << result.out << result.err);
        CHECK_FALSE(result.timed_out);  // a detached runner that kept our pipes would hang us here
        return result;
    }
    // Every PID the program wrote to `pids`, one a line.
    std::vector<long long> pids() const {
        std::vector<long long> found;
        std::istringstream in(platform::read_file(dir.path() / "pids").value_or(""));
        for (long long pid = 0; in >> pid;) found.push_back(pid);
        return found;
    }
    std::size_t alive() const {
        std::size_t count = 0;
        for (auto pid : pids()) count += platform::process_alive(pid) ? 1U : 0U;
        return count;
    }
    // A program that records its PID, then sleeps (sh execs sleep, so the PID stays).
    std::filesystem::path sleeper() const {
        return test::write_script(
            dir.path(), "sleeper.sh",
            "echo $$ >> '" + (dir.path() / "pids").string() + "'\necho started\nexec sleep 600\n");
    }
    ~Sandbox() {
        for (const auto& name : {"s", "tree", "crash"}) test::run_ductor({"stop", "--name", name}, env());
    }
};

std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_directory()) files.push_back(it->path());
    }
    return files;
}

std::optional<long long> runner_pid(const Sandbox& box, const std::string& name) {
    auto text = platform::read_file(box.home() / "run" / (name + ".pid"));
    auto record = text ? sdk::runner::parse_pid_record(*text) : std::nullopt;
    if (!record) return std::nullopt;
    return record->runner.pid;
}

}  // namespace

TEST_CASE("standalone: install, status, list, stop, start and uninstall leave nothing behind") {
    Sandbox box;
    auto installed = box.ductor({"service", "install", "--name", "s", "--", box.sleeper().string()});
    REQUIRE(installed.exit_code == 0);
    CHECK_THAT(installed.out, Catch::Contains("Installed and started 's' (standalone)"));
    REQUIRE(test::wait_until([&] { return box.alive() == 1; }, 30s));

    auto status = box.ductor({"service", "status", "--name", "s", "--json"});
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out, Catch::Contains("\"pid\": " + std::to_string(box.pids().front())));
    CHECK_THAT(status.out, Catch::Contains("\"persistence\""));
    auto listed = box.ductor({"service", "list"});
    CHECK(listed.exit_code == 0);
    CHECK_THAT(listed.out, Catch::Contains("standalone") && Catch::Contains("running") && Catch::Contains("UPTIME"));
    CHECK_THAT(box.ductor({"service", "list", "--json"}).out, Catch::Matches(R"([\s\S]*"uptime_seconds": \d+[\s\S]*)"));

    CHECK(box.ductor({"service", "stop", "--name", "s"}).exit_code == 0);
    CHECK(box.alive() == 0);
    CHECK(box.ductor({"service", "status", "--name", "s"}).exit_code == 3);
    auto stopped = box.ductor({"service", "list", "--json"}).out;
    CHECK_THAT(stopped, Catch::Contains("\"desired\": \"stopped\"") && Catch::Contains("\"uptime_seconds\": null"));
    // A stopped service stays down through `ductor boot`.
    CHECK(box.ductor({"boot"}).exit_code == 0);
    CHECK(box.alive() == 0);

    CHECK(box.ductor({"service", "start", "--name", "s"}).exit_code == 0);
    REQUIRE(test::wait_until([&] { return box.alive() == 1; }, 30s));
    auto logs = box.ductor({"service", "logs", "--name", "s", "-n", "5"});
    CHECK_THAT(logs.out, Catch::Contains("started"));

    CHECK(box.ductor({"service", "uninstall", "--name", "s"}).exit_code == 0);
    CHECK(box.alive() == 0);
    CHECK(box.ductor({"service", "status", "--name", "s"}).exit_code == 4);
    CHECK(files_under(box.home()).empty());
    CHECK(box.ductor({"service", "uninstall", "--name", "s"}).exit_code == 0);  // safe to repeat
}

TEST_CASE("standalone: after kill -9 of the runner, boot leaves exactly one program") {
    Sandbox box;
    REQUIRE(box.ductor({"service", "install", "--name", "s", "--", box.sleeper().string()}).exit_code == 0);
    REQUIRE(test::wait_until([&] { return box.alive() == 1; }, 30s));
    auto runner = runner_pid(box, "s");
    REQUIRE(runner);
    ::kill(static_cast<pid_t>(*runner), SIGKILL);
    REQUIRE(test::wait_until([&] { return !platform::pid_file_locked(box.home() / "run" / "s.pid"); }, 30s));
    CHECK(box.alive() == 1);  // the program outlived its runner
    CHECK_THAT(box.ductor({"service", "list"}).out, Catch::Contains("should be running"));

    CHECK(box.ductor({"boot"}).exit_code == 0);
    REQUIRE(test::wait_until([&] { return box.pids().size() == 2; }, 30s));
    CHECK(box.alive() == 1);                     // the orphan was ended before the new copy started
    CHECK(box.ductor({"boot"}).exit_code == 0);  // idempotent: nothing more starts
    CHECK(box.pids().size() == 2);
    CHECK(box.ductor({"service", "uninstall", "--name", "s"}).exit_code == 0);
}

TEST_CASE("standalone: an install killed with SIGKILL at a random point is mended by the next command") {
    Sandbox box;
    const auto sleeper = box.sleeper().string();
    const std::vector<std::string> install = {"--backend", "standalone", "service", "install",
                                              "--name",    "s",          "--",      sleeper};
    // The kill points are spread over the time one whole install takes here.
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(box.ductor({"service", "install", "--name", "s", "--", sleeper}).exit_code == 0);
    const auto whole =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    REQUIRE(box.ductor({"service", "uninstall", "--name", "s"}).exit_code == 0);
    std::mt19937 rng(std::random_device{}());
    std::uniform_int_distribution<long long> point(0, whole.count() * 5 / 4);
    for (int round = 0; round < 25; ++round) {
        const auto at = std::chrono::microseconds(point(rng));
        INFO("round " << round << ": SIGKILL " << at.count() << " us into an install of " << whole.count() << " us");
        {
            test::Background killed(install, box.env());
            std::this_thread::sleep_for(at);  // the fault's moment, not a wait for another process
            platform::send_signal(killed.pid(), platform::stop_signal_kill(), platform::Target::process);
            REQUIRE(killed.wait(30s));
        }
        // Whatever it left, the next install leaves exactly one program and no temporary file.
        const auto again = box.ductor({"service", "install", "--name", "s", "--", sleeper});
        INFO(again.out << again.err);
        REQUIRE(again.exit_code == 0);
        CHECK(test::wait_until([&] { return box.alive() == 1; }, 30s));
        for (const auto& file : files_under(box.home()))
            CHECK(file.filename().string().find(".tmp-") == std::string::npos);
        CHECK(box.ductor({"service", "status", "--name", "s"}).exit_code == 0);
        const auto removed = box.ductor({"service", "uninstall", "--name", "s"});
        INFO(removed.out << removed.err);
        REQUIRE(removed.exit_code == 0);
        CHECK(box.alive() == 0);
        CHECK(files_under(box.home()).empty());
    }
}

TEST_CASE("standalone: stop ends the program's whole process tree") {
    Sandbox box;
    auto children = box.dir.path() / "children";
    auto script = test::write_script(box.dir.path(), "tree.sh",
                                     "sleep 600 & echo $! >> '" + children.string() + "'\nsh -c 'echo $$ >> \"" +
                                         children.string() + "\"; exec sleep 600' &\necho $$ >> '" + children.string() +
                                         "'\nexec sleep 600\n");
    REQUIRE(box.ductor({"service", "install", "--name", "tree", "--", script.string()}).exit_code == 0);
    auto count = [&] {
        std::vector<long long> pids;
        std::istringstream in(platform::read_file(children).value_or(""));
        for (long long pid = 0; in >> pid;) pids.push_back(pid);
        return pids;
    };
    REQUIRE(test::wait_until([&] { return count().size() == 3; }, 30s));
    CHECK(box.ductor({"service", "stop", "--name", "tree"}).exit_code == 0);
    for (auto pid : count()) CHECK_FALSE(platform::process_alive(pid));
    CHECK(box.ductor({"service", "uninstall", "--name", "tree"}).exit_code == 0);
}

TEST_CASE("standalone: eight parallel installs of one name give one runner and one program") {
    Sandbox box;
    auto program = box.sleeper();
    std::vector<std::future<sdk::ProcessResult>> installs;
    for (int i = 0; i < 8; ++i) {
        installs.push_back(std::async(std::launch::async, [&box, &program] {
            return test::run_ductor(
                {"--backend", "standalone", "service", "install", "--name", "s", "--", program.string()}, box.env());
        }));
    }
    for (auto& install : installs) {
        auto result = install.get();
        INFO(result.out << result.err);
        CHECK(result.exit_code == 0);
    }
    REQUIRE(test::wait_until([&] { return box.alive() == 1; }, 30s));
    CHECK(box.alive() == 1);
    CHECK(platform::pid_file_locked(box.home() / "run" / "s.pid"));
    CHECK(box.ductor({"service", "uninstall", "--name", "s"}).exit_code == 0);
    CHECK(box.alive() == 0);
}

TEST_CASE("standalone: a crashing program is retried with a growing backoff and stop works meanwhile") {
    Sandbox box;
    auto crash = test::write_script(box.dir.path(), "crash.sh",
                                    "echo $$ >> '" + (box.dir.path() / "pids").string() + "'\nexit 3\n");
    REQUIRE(box.ductor({"service", "install", "--name", "crash", "--", crash.string()}).exit_code == 0);
    // 1 s, 2 s, 4 s ...: three runs come within about 3 s, and the runner keeps going.
    REQUIRE(test::wait_until([&] { return box.pids().size() >= 3; }, 60s));
    auto status = box.ductor({"service", "status", "--name", "crash", "--json"});
    CHECK_THAT(status.out, Catch::Contains("\"last_exit_code\": 3"));
    CHECK(status.out.find("\"restarts\"") != std::string::npos);
    CHECK(platform::pid_file_locked(box.home() / "run" / "crash.pid"));
    auto log = platform::read_file(box.home() / "logs" / "crash.log").value_or("");
    CHECK_THAT(log, Catch::Contains("backing off: restarting it in 2 s"));
    CHECK(box.ductor({"service", "stop", "--name", "crash"}).exit_code == 0);
    CHECK_FALSE(platform::pid_file_locked(box.home() / "run" / "crash.pid"));
    CHECK(box.ductor({"service", "uninstall", "--name", "crash"}).exit_code == 0);
}

TEST_CASE("standalone: the runner refuses a second copy of a name that runs") {
    Sandbox box;
    REQUIRE(box.ductor({"service", "install", "--name", "s", "--", box.sleeper().string()}).exit_code == 0);
    auto second = test::run_ductor({"run", "--detach", "--name", "s", "--", "/bin/true"}, box.env());
    CHECK(second.exit_code == 1);
    CHECK_THAT(second.err, Catch::Contains("already running"));
    CHECK(box.ductor({"service", "uninstall", "--name", "s"}).exit_code == 0);
}

namespace {

// The children of `pid` (Linux: /proc/PID/task/PID/children).
std::vector<long long> children_of(long long pid) {
    std::vector<long long> found;
    auto tid = std::to_string(pid);
    std::istringstream in(platform::read_file("/proc/" + tid + "/task/" + tid + "/children").value_or(""));
    for (long long child = 0; in >> child;) found.push_back(child);
    return found;
}

bool zombie(long long pid) {
    auto status = platform::read_file("/proc/" + std::to_string(pid) + "/status").value_or("");
    return status.find("State:\tZ") != std::string::npos;
}

// Whether this machine lets us make a PID namespace (root, util-linux's unshare).
bool pid_namespaces_work() {
    return platform::run_captured({{"unshare", "--pid", "--fork", "--mount-proc", "true"}, {}, 10s, {}}).succeeded();
}

}  // namespace

TEST_CASE("standalone: boot --foreground as PID 1 reaps its children and stops everything on SIGTERM") {
    if (!pid_namespaces_work()) {
        if (platform::environment("CI").value_or("") == "true") FAIL("CI must be able to create a PID namespace");
        WARN("SKIPPED: no PID namespace here (needs root and unshare)");
        return;
    }
    Sandbox box;
    REQUIRE(box.ductor({"service", "install", "--name", "s", "--", box.sleeper().string()}).exit_code == 0);
    auto quick = test::write_script(box.dir.path(), "quick.sh", "exit 0\n");
    REQUIRE(
        box.ductor({"service", "install", "--name", "quick", "--restart", "never", "--", quick.string()}).exit_code ==
        0);
    // Nothing runs now, but both records say "enabled": the foreground boot must start them.
    auto runner = runner_pid(box, "s");
    REQUIRE(runner);
    ::kill(static_cast<pid_t>(*runner), SIGKILL);
    ::kill(static_cast<pid_t>(box.pids().front()), SIGKILL);
    REQUIRE(test::wait_until([&] { return box.alive() == 0; }, 30s));

    platform::ChildRequest request{{"unshare", "--pid", "--fork", "--mount-proc", "--kill-child", DUCTOR_TEST_EXE,
                                    "--backend", "standalone", "boot", "--foreground"},
                                   box.env()};
    auto spawned = platform::ChildGroup::spawn(request);
    REQUIRE(spawned);
    auto unshare = std::move(*spawned);
    std::vector<long long> boot;
    REQUIRE(test::wait_until([&] { return (boot = children_of(unshare->pid())).size() == 1; }, 30s));
    // PIDs seen from here (the program's own $$ is its PID inside the namespace).
    std::vector<long long> tree;
    REQUIRE(test::wait_until(
        [&] {
            auto kids = children_of(boot.front());
            // The quick service's runner ended at once; as PID 1, boot reaped it: no zombie child is left.
            if (kids.size() != 1 || zombie(kids.front())) return false;
            auto programs = children_of(kids.front());
            tree = {kids.front()};
            tree.insert(tree.end(), programs.begin(), programs.end());
            return programs.size() == 1;
        },
        30s));

    ::kill(static_cast<pid_t>(boot.front()), SIGTERM);
    std::optional<int> code;
    std::vector<platform::OutputChunk> chunks;
    auto until = std::chrono::steady_clock::now() + 9s;  // within Docker's 10 s grace
    while (!(code = unshare->try_wait()) && std::chrono::steady_clock::now() < until) {
        chunks.clear();  // its output is not looked at; a chunk is valid only until the next read
        unshare->read_some(chunks, 50ms);
    }
    REQUIRE(code);
    CHECK(*code == 0);
    for (auto pid : tree) CHECK_FALSE(platform::process_alive(pid));
    box.ductor({"service", "uninstall", "--name", "quick"});
}

TEST_CASE("standalone: after a reboot the boot hook's command brings back enabled services only") {
    if (!pid_namespaces_work()) {
        if (platform::environment("CI").value_or("") == "true") FAIL("CI must be able to create a PID namespace");
        WARN("SKIPPED: no PID namespace here (needs root and unshare)");
        return;
    }
    Sandbox box;
    auto stopped_pids = box.dir.path() / "stopped-pids";
    auto other =
        test::write_script(box.dir.path(), "other.sh", "echo $$ >> '" + stopped_pids.string() + "'\nexec sleep 600\n");
    // The "machine": a PID namespace whose services all die with it, as at power-off.
    const std::string exe = DUCTOR_TEST_EXE;
    const std::string script = "set -e\n'" + exe + "' --backend standalone service install --name s -- '" +
                               box.sleeper().string() + "'\n'" + exe +
                               "' --backend standalone service install --name tree -- '" + other.string() + "'\n'" +
                               exe + "' --backend standalone service stop --name tree\necho up\n" + "exec sleep 600\n";
    platform::ChildRequest machine{{"unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "sh", "-c", script},
                                   box.env()};
    auto spawned = platform::ChildGroup::spawn(machine);
    REQUIRE(spawned);
    auto booted = std::move(*spawned);
    std::string out;
    std::vector<platform::OutputChunk> chunks;
    REQUIRE(test::wait_until(
        [&] {
            chunks.clear();
            booted->read_some(chunks, 20ms);
            for (const auto& chunk : chunks) out += chunk.data;
            return out.find("up\n") != std::string::npos;
        },
        60s));
    booted->signal_group(SIGKILL);  // power off: unshare dies, and with it the namespace
    REQUIRE(test::wait_until([&] { return booted->try_wait().has_value(); }, 30s));
    REQUIRE(test::wait_until([&] { return !platform::pid_file_locked(box.home() / "run" / "s.pid"); }, 30s));
    CHECK(box.pids().size() == 1);

    // Power on: the hook's command as the install printed it, with nothing of our environment.
    auto note = out.substr(out.find("by hand): ") + 10);
    auto command = note.substr(0, note.find('\n'));
    REQUIRE_THAT(command, Catch::EndsWith(" boot"));
    auto hook = platform::run_captured(
        {{"env", "-i", "HOME=" + box.dir.path().string(), "/bin/sh", "-c", command}, {}, 60s, {}});
    INFO(hook.out << hook.err);
    CHECK(hook.exit_code == 0);
    // (The first PID was counted inside the namespace; only the new one is a PID out here.)
    REQUIRE(
        test::wait_until([&] { return box.pids().size() == 2 && platform::process_alive(box.pids().back()); }, 30s));
    CHECK(platform::read_file(stopped_pids).value_or("").find('\n') ==
          platform::read_file(stopped_pids).value_or("").rfind('\n'));  // the stopped one ran once only
    CHECK(box.ductor({"service", "uninstall", "--name", "s"}).exit_code == 0);
    CHECK(box.ductor({"service", "uninstall", "--name", "tree"}).exit_code == 0);
}

TEST_CASE("standalone: selected where no native manager is usable, and never over one that is") {
    auto listed = test::run_ductor({"plugins", "--json"}, {{"DUCTOR_PLUGIN_PATH", DUCTOR_TEST_BUILD_PLUGIN_DIR}});
    REQUIRE(listed.exit_code == 0);
    auto available = [&](const std::string& name) {
        auto at = listed.out.find("\"name\": \"" + name + "\"");
        if (at == std::string::npos) return false;  // not built here
        auto flag = listed.out.find("\"available\": ", at);
        return listed.out.compare(flag + 13, 4, "true") == 0;
    };
    CHECK(available("standalone"));
    const bool native = available("systemd") || available("launchd") || available("taskscheduler");
    const bool chosen = listed.out.find("\"selected\": \"standalone\"") != std::string::npos;
    CHECK(chosen == !native);
}

TEST_CASE("a relative DUCTOR_HOME is refused before anything is written, by the service commands and the runner") {
    test::TempDir dir;
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"service", "status"}, {"stop"}, {"boot"}, {"run", "--", "/bin/true"}}) {
        auto result = test::run_ductor(args, {{"DUCTOR_HOME", "relative/home"}});
        INFO(args.front() << ": " << result.err);
        CHECK(result.exit_code == 2);
        CHECK_THAT(result.err, Catch::Contains("not an absolute path"));
    }
    CHECK_FALSE(std::filesystem::exists("relative"));
}
