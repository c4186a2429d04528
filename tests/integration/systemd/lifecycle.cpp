// Drives the built ductor binary through a service's whole life on a real
// systemd --user manager (started by run_real_manager.sh). Prints one line per
// check; exits 1 when any check failed.
//
// usage: lifecycle DUCTOR PLUGIN_DIR PROBE PROBE_DIR
#include "harness.hpp"

#include <ductor/platform/files.hpp>

#include <csignal>
#include <fstream>
#include <iostream>
#include <algorithm>
#include <random>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ductor::itest;
using namespace std::chrono_literals;

namespace {

const std::string k_name = "itbot";
const std::string k_unit = k_name + ".service";

Argv install_args(const Setup& setup, const std::string& name, const Argv& args, const Argv& extra = {}) {
    Argv argv = {"service",         "install", "--name", name,
                 "--restart-delay", "1",       "--env",  "PROBE_DIR=" + setup.probe_dir.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("--");
    argv.push_back(setup.probe);
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

// Waits for a running service whose main pid is a new probe (not `old`).
std::optional<long long> wait_running(const Setup& setup, std::optional<long long> old) {
    std::optional<long long> pid;
    wait_until(
        [&] {
            auto s = status(setup, k_name);
            if (s.exit_code != 0 || s.state() != "running" || !s.pid() || s.pid() == old) return false;
            if (probe_pid(setup) != s.pid()) return false;
            pid = s.pid();
            return true;
        },
        10s);
    return pid;
}

std::string doubled_dollars(const std::string& text) {
    std::string out;
    for (char c : text) out += c == '$' ? std::string("$$") : std::string(1, c);
    return out;
}

bool alive(long long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0; }

void install_and_crash(const Setup& setup, Checks& t, long long& pid) {
    auto installed = run_ductor(setup, install_args(setup, k_name, {"first"}));
    t.check(installed.exit_code == 0, "install exits 0", installed.out + installed.err);
    const auto unit_file = std::filesystem::path(std::getenv("HOME")) / ".config/systemd/user" / k_unit;
    t.check(std::filesystem::exists(unit_file), "install wrote " + unit_file.string());
    auto first = wait_running(setup, std::nullopt);
    t.check(first.has_value(), "the service runs with a MainPID that is the probe");
    pid = first.value_or(0);

    ::kill(static_cast<pid_t>(pid), SIGKILL);
    auto after_kill = wait_running(setup, pid);
    t.check(after_kill.has_value(), "SIGKILL of the main process: systemd restarts it");
    pid = after_kill.value_or(pid);

    probe_exit(setup, pid, 42);
    auto after_42 = wait_running(setup, pid);
    t.check(after_42.has_value(), "exit 42: systemd restarts it");
    pid = after_42.value_or(pid);
    auto s = status(setup, k_name);
    t.check(s.json["detail"]["NRestarts"].text == "2", "status detail counts 2 restarts",
            "NRestarts=" + s.json["detail"]["NRestarts"].text);
}

void clean_exit_and_stop(const Setup& setup, Checks& t, long long& pid) {
    probe_exit(setup, pid, 0);
    bool stopped = wait_until([&] { return status(setup, k_name).exit_code == 3; }, 10s);
    t.check(stopped, "exit 0: the service ends and status exits 3");
    std::this_thread::sleep_for(2500ms);  // restart delay is 1 s: a restart would have happened
    auto s = status(setup, k_name);
    t.check(s.exit_code == 3 && s.state() == "stopped" && probe_pid(setup) == pid, "exit 0: not restarted",
            "state " + s.state());
    t.check(s.json["last_exit_code"].kind == Json::Kind::number && s.json["last_exit_code"].number == 0,
            "status JSON reports last_exit_code 0");
    t.check(s.json["installed"].boolean && !s.json["running"].boolean && s.json["pid"].kind == Json::Kind::null,
            "status JSON: installed, not running, no pid");

    auto started = run_ductor(setup, {"service", "start", "--name", k_name});
    t.check(started.exit_code == 0, "start exits 0", started.err);
    auto again = wait_running(setup, pid);
    t.check(again.has_value(), "start: running again");
    pid = again.value_or(pid);

    auto stop = run_ductor(setup, {"service", "stop", "--name", k_name});
    t.check(stop.exit_code == 0, "stop exits 0", stop.err);
    t.check(wait_until([&] { return !alive(pid); }, 5s), "stop ends the main process");
    std::this_thread::sleep_for(2500ms);
    t.check(status(setup, k_name).exit_code == 3 && probe_pid(setup) == pid,
            "stop: stays stopped past the restart delay");
}

void reinstall_and_logs(const Setup& setup, Checks& t, long long& pid) {
    auto started = run_ductor(setup, {"service", "start", "--name", k_name});
    t.check(started.exit_code == 0, "start after stop exits 0", started.err);
    auto running = wait_running(setup, pid);
    pid = running.value_or(pid);
    const Argv second = {"second", "two words"};
    auto reinstalled = run_ductor(setup, install_args(setup, k_name, second));
    t.check(reinstalled.exit_code == 0, "re-install exits 0", reinstalled.err);
    auto fresh = wait_running(setup, pid);
    t.check(fresh.has_value(), "re-install of a running service restarts it");
    pid = fresh.value_or(pid);
    Argv expected = {setup.probe, "second", "two words"};
    auto got = probe_record(setup, "argv", pid);
    t.check(got == expected, "re-install: the new argv is what runs", show(got));

    ductor::sdk::ProcessResult logs;
    bool logged = wait_until(
        [&] {
            logs = run_ductor(setup, {"service", "logs", "--name", k_name, "--lines", "200"});
            return logs.exit_code == 0 &&
                   logs.out.find("probe-line " + std::to_string(pid) + " second") != std::string::npos &&
                   logs.out.find("probe-line") != logs.out.rfind("probe-line");
        },
        10s);
    t.check(logged, "logs shows the lines the program printed (from the user journal)", logs.out + logs.err);
    auto tail = run_ductor(setup, {"service", "logs", "--name", k_name, "-n1"});
    t.check(std::count(tail.out.begin(), tail.out.end(), '\n') == 1, "logs -n 1 shows one line", tail.out);

    auto s = status(setup, k_name);
    t.check(s.exit_code == 0 && s.json["running"].boolean && s.json["backend"].text == "systemd" &&
                s.json["detail"]["UnitFileState"].text == "enabled" && s.json["detail"]["SubState"].text == "running",
            "status JSON: running, enabled, SubState running, backend systemd");
}

// Generated hostile argvs, installed for real, must come back exactly: from
// systemd's parsed ExecStart over D-Bus and from what the process received.
void argv_round_trip(const Setup& setup, Checks& t) {
    const std::vector<std::string> pieces = {"\"", "'", "\\", "\\\\", "%", "%n", "%%", "$",   "$X", "${X}", "$$", " ",
                                             "\t", "ü", "✓",  "🎉",    ";", "a",  "-x", "\\n", "=",  "`",    "*",  "#"};
    std::mt19937 random(20240611);
    const std::string name = "roundtrip";
    for (int round = 0; round < 12; ++round) {
        Argv args;
        const auto count = 1 + random() % 5;
        for (unsigned i = 0; i < count; ++i) {
            std::string arg;
            const auto length = random() % 6;  // 0: an empty argument
            for (unsigned k = 0; k < length; ++k) arg += pieces[random() % pieces.size()];
            args.push_back(arg);
        }
        const std::string env_value = args.back() + "$HOME ${X} %h";
        const auto previous = probe_pid(setup);
        auto installed = run_ductor(setup, install_args(setup, name, args, {"--env", "ODD=" + env_value}));
        if (!t.check(installed.exit_code == 0, "round " + std::to_string(round) + ": install " + show(args),
                     installed.err))
            continue;
        Argv expected = {setup.probe};
        expected.insert(expected.end(), args.begin(), args.end());
        // systemd keeps ExecStart's words before variable substitution, so
        // over D-Bus every '$' still reads '$$'; quotes, escapes and '%%' are gone.
        Argv stored;
        for (const auto& arg : expected) stored.push_back(doubled_dollars(arg));
        auto parsed = exec_start_argv(name + ".service");
        t.check(parsed == stored, "round " + std::to_string(round) + ": ExecStart over D-Bus is the argv, unexpanded",
                parsed ? show(*parsed) : "(none)");
        std::optional<long long> pid;
        wait_until([&] { return (pid = probe_pid(setup)) && pid != previous; }, 10s);
        auto got = pid ? probe_record(setup, "argv", *pid) : Argv{};
        t.check(got == expected, "round " + std::to_string(round) + ": the process received the argv", show(got));
        auto env = pid ? probe_record(setup, "env", *pid) : Argv{};
        t.check(std::find(env.begin(), env.end(), "ODD=" + env_value) != env.end(),
                "round " + std::to_string(round) + ": the environment value arrived unchanged");
    }
    auto removed = run_ductor(setup, {"service", "uninstall", "--name", name});
    t.check(removed.exit_code == 0, "round-trip service uninstalled", removed.err);
}

// What the issue "state you can trust" found, each against the real manager.
void drift_and_safety(const Setup& setup, Checks& t) {
    const std::string name = "drift";
    const auto unit_dir = std::filesystem::path(std::getenv("HOME")) / ".config/systemd/user";
    const auto unit_file = unit_dir / (name + ".service");

    // A leftover temp file of a killed install is cleaned by the next one.
    std::filesystem::create_directories(unit_dir);
    const auto leftover = unit_dir / ("." + name + ".service.tmp-Kil1ed");
    { std::ofstream(leftover) << "half a unit"; }
    auto installed = run_ductor(setup, install_args(setup, name, {"drift"}));
    t.check(installed.exit_code == 0, "drift: install exits 0", installed.err);
    t.check(!std::filesystem::exists(leftover), "drift: the temp file a killed install left is gone");
    std::optional<long long> pid;
    wait_until([&] { return (pid = status(setup, name).pid()).has_value(); }, 10s);

    // The unit file removed behind ductor's back, the manager reloaded: the program still runs.
    std::filesystem::remove(unit_file);
    run({"systemctl", "--user", "daemon-reload"});
    auto orphan = status(setup, name);
    t.check(orphan.exit_code == 1 && orphan.state() == "running" &&
                orphan.json["detail"]["problem"].text.find("orphaned") != std::string::npos,
            "drift: a unit running without its file is reported (state running, problem orphaned, exit 1)",
            orphan.json["detail"]["problem"].text);
    auto listed = run_ductor(setup, {"service", "list"});
    t.check(listed.out.find("orphaned") != std::string::npos, "drift: service list marks it", listed.out);
    auto stopped = run_ductor(setup, {"service", "stop", "--name", name});
    t.check(stopped.exit_code == 0, "drift: stop reaches the orphaned unit", stopped.err);
    t.check(pid && wait_until([&] { return !alive(*pid); }, 10s), "drift: stop ended the program");
    auto removed = run_ductor(setup, {"service", "uninstall", "--name", name});
    t.check(removed.exit_code == 0 && status(setup, name).exit_code == 4, "drift: uninstall, then not installed",
            removed.err);

    // A working service, then installs that must not replace it.
    t.check(run_ductor(setup, install_args(setup, name, {"good"})).exit_code == 0, "drift: a working install");
    wait_until([&] { return (pid = status(setup, name).pid()).has_value(); }, 10s);
    const auto good_unit = ductor::platform::read_file(unit_file);
    // One exec argument may be 128 KiB at most, so ten of 110 KiB make the 1.1 MB ExecStart line.
    auto oversized = run_ductor(setup, install_args(setup, name, Argv(10, std::string(110 * 1024, 'x'))));
    t.check(oversized.exit_code == 2 && oversized.err.find("1 MiB") != std::string::npos,
            "drift: a unit line over 1 MiB is refused with exit 2", oversized.err.substr(0, 300));
    const auto no_shebang = setup.probe_dir / "no-shebang.sh";
    { std::ofstream(no_shebang) << "echo this has no interpreter line\n"; }
    std::filesystem::permissions(no_shebang, std::filesystem::perms(0755));
    Argv bad = {"service", "install", "--name", name, "--", no_shebang.string()};
    auto unstartable = run_ductor(setup, bad);
    t.check(unstartable.exit_code == 1 && unstartable.err.find("put back") != std::string::npos,
            "drift: a program that cannot be executed fails the install and puts the previous unit back",
            unstartable.err);
    auto after = status(setup, name);
    t.check(ductor::platform::read_file(unit_file) == good_unit &&
                wait_until([&] { return status(setup, name).exit_code == 0; }, 10s),
            "drift: the previous unit is back and runs again", "state " + after.state());
    run_ductor(setup, {"service", "uninstall", "--name", name});
    auto first_bad = run_ductor(setup, bad);
    t.check(first_bad.exit_code == 1 && !std::filesystem::exists(unit_file),
            "drift: a first install that cannot start leaves no unit", first_bad.err);
    t.check(status(setup, name).exit_code == 4, "drift: and nothing is installed");

    // Units of the system and units ductor did not write are not overwritten.
    auto system_unit = run_ductor(setup, install_args(setup, "systemd-exit", {}));
    t.check(system_unit.exit_code == 2 && system_unit.err.find("unit of the system") != std::string::npos,
            "drift: --name systemd-exit (a unit of systemd's own) is refused with exit 2", system_unit.err);
    const auto theirs = unit_dir / "theirs.service";
    { std::ofstream(theirs) << "[Service]\nExecStart=/bin/true\n"; }
    auto foreign = run_ductor(setup, install_args(setup, "theirs", {}));
    t.check(foreign.exit_code == 2 && ductor::platform::read_file(theirs) == "[Service]\nExecStart=/bin/true\n",
            "drift: a unit ductor did not write is not replaced (exit 2)", foreign.err);
    auto forced = run_ductor(setup, install_args(setup, "theirs", {}, {"--force"}));
    t.check(forced.exit_code == 0 && ductor::platform::read_file(theirs)->rfind("# Written by ductor", 0) == 0,
            "drift: --force replaces it", forced.err);
    run_ductor(setup, {"service", "uninstall", "--name", "theirs"});
    std::filesystem::remove(theirs);

    // Where systemd runs, --backend standalone works too, and list shows services of both.
    t.check(run_ductor(setup, install_args(setup, name, {"sd"})).exit_code == 0, "two backends: systemd install");
    auto standalone = run({setup.ductor, "--plugin-dir", setup.plugin_dir, "--backend", "standalone", "service",
                           "install", "--name", "alone", "--", "/bin/sleep", "600"});
    t.check(standalone.exit_code == 0, "two backends: --backend standalone installs where systemd runs",
            standalone.err);
    auto both = run_ductor(setup, {"service", "list", "--json"});
    t.check(both.out.find("\"backend\": \"systemd\"") != std::string::npos &&
                both.out.find("\"backend\": \"standalone\"") != std::string::npos,
            "two backends: service list shows the systemd and the standalone service", both.out);
    // The record knows the owner: no --backend needed to remove it.
    auto alone_gone = run({setup.ductor, "--plugin-dir", setup.plugin_dir, "service", "uninstall", "--name", "alone"});
    t.check(alone_gone.exit_code == 0 && alone_gone.out.find("(standalone)") != std::string::npos,
            "two backends: uninstall finds the standalone service by its record", alone_gone.out + alone_gone.err);
    run_ductor(setup, {"service", "uninstall", "--name", name});
}

// install and uninstall of one name at the same time end consistent, every round.
void install_uninstall_race(const Setup& setup, Checks& t) {
    const std::string name = "race";
    const auto unit_file = std::filesystem::path(std::getenv("HOME")) / ".config/systemd/user" / (name + ".service");
    int consistent = 0;
    const int rounds = 20;
    for (int round = 0; round < rounds; ++round) {
        std::thread installer([&] { run_ductor(setup, install_args(setup, name, {"race"})); });
        std::thread remover([&] { run_ductor(setup, {"service", "uninstall", "--name", name}); });
        installer.join();
        remover.join();
        auto s = status(setup, name);
        auto active = run({"systemctl", "--user", "is-active", name + ".service"}).out;
        bool installed_state = std::filesystem::exists(unit_file) && s.exit_code == 0 && active == "active\n";
        bool removed_state = !std::filesystem::exists(unit_file) && s.exit_code == 4 && active != "active\n";
        if (installed_state || removed_state)
            ++consistent;
        else
            std::cout << "     round " << round << ": file " << std::filesystem::exists(unit_file) << ", status "
                      << s.exit_code << ", is-active " << active;
    }
    t.check(consistent == rounds, "race: install and uninstall of one name in parallel: " + std::to_string(consistent) +
                                      " of " + std::to_string(rounds) + " rounds consistent");
    run_ductor(setup, {"service", "uninstall", "--name", name});
}

// `ductor ARGS...` started without waiting; its PID. Output goes to /dev/null.
pid_t start_ductor(const Setup& setup, const Argv& args) {
    Argv argv = {setup.ductor, "--plugin-dir", setup.plugin_dir, "--backend", "systemd"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (auto& arg : argv) raw.push_back(arg.data());
    raw.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int null = ::open("/dev/null", O_RDWR);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execv(raw[0], raw.data());
        ::_exit(127);
    }
    return pid;
}

// Installs killed with SIGKILL at random points of an install's duration:
// whatever each left, the next install leaves a whole unit that runs, no
// temporary file beside it, and a status that agrees; uninstall leaves nothing.
void killed_installs(const Setup& setup, Checks& t) {
    const std::string name = "killed";
    const auto unit_dir = std::filesystem::path(std::getenv("HOME")) / ".config/systemd/user";
    const auto install = install_args(setup, name, {"killed"});
    const auto started = std::chrono::steady_clock::now();
    run_ductor(setup, install);
    const auto whole =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    run_ductor(setup, {"service", "uninstall", "--name", name});
    const auto temp_files = [&] {
        int count = 0;
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(unit_dir, ec))
            count += entry.path().filename().string().find(".tmp-") != std::string::npos ? 1 : 0;
        return count;
    };
    std::mt19937 rng(std::random_device{}());
    std::uniform_int_distribution<long long> point(0, whole.count() * 5 / 4);
    const int rounds = 20;
    int mended = 0;
    for (int round = 0; round < rounds; ++round) {
        const auto at = std::chrono::microseconds(point(rng));
        const pid_t killed = start_ductor(setup, install);
        std::this_thread::sleep_for(at);  // the fault's moment, not a wait for another process
        ::kill(killed, SIGKILL);
        int wait_status = 0;
        ::waitpid(killed, &wait_status, 0);
        auto again = run_ductor(setup, install);
        auto s = status(setup, name);
        const int left = temp_files();
        if (again.exit_code == 0 && s.exit_code == 0 && s.state() == "running" && left == 0)
            ++mended;
        else
            std::cout << "     round " << round << " (SIGKILL after " << at.count() << " us): install "
                      << again.exit_code << ", status " << s.exit_code << " " << s.state() << ", " << left
                      << " temp files: " << again.err;
        run_ductor(setup, {"service", "uninstall", "--name", name});
    }
    t.check(mended == rounds, "killed installs: " + std::to_string(mended) + " of " + std::to_string(rounds) +
                                  " mended by the next install (SIGKILL at random points of " +
                                  std::to_string(whole.count() / 1000) + " ms)");
    t.check(!std::filesystem::exists(unit_dir / (name + ".service")) && temp_files() == 0,
            "killed installs: uninstall leaves no unit and no temporary file");
}

// Without the manager's private socket ductor goes through the user bus (and
// subscribes to the manager's job signals there): install, restart and
// uninstall still wait for their jobs.
void through_user_bus(const Setup& setup, Checks& t) {
    const std::filesystem::path runtime = std::getenv("XDG_RUNTIME_DIR");
    const auto socket = runtime / "systemd/private";
    const auto hidden = runtime / "systemd/private.hidden";
    std::filesystem::rename(socket, hidden);
    const std::string name = "viabus";
    auto plugins = run_ductor(setup, {"plugins"});
    t.check(plugins.out.find("systemd user manager at " + (runtime / "bus").string()) != std::string::npos,
            "user bus: without the private socket the backend uses the user bus", plugins.out);
    auto installed = run_ductor(setup, install_args(setup, name, {"bus"}));
    t.check(installed.exit_code == 0, "user bus: install exits 0", installed.err);
    auto first = status(setup, name);
    t.check(first.exit_code == 0 && first.pid().has_value(), "user bus: status says running with a pid",
            "state " + first.state());
    auto restarted = run_ductor(setup, {"service", "restart", "--name", name});
    auto second = status(setup, name);
    t.check(restarted.exit_code == 0 && second.exit_code == 0 && second.pid() != first.pid(),
            "user bus: restart waits for its job and runs a new process", restarted.err);
    auto removed = run_ductor(setup, {"service", "uninstall", "--name", name});
    t.check(removed.exit_code == 0 && status(setup, name).exit_code == 4, "user bus: uninstall, then not installed",
            removed.err);
    std::filesystem::rename(hidden, socket);
}

// ductor asks the manager over D-Bus and reads the journal itself: with no
// systemctl or journalctl on PATH and no child process allowed at all
// (RLIMIT_NPROC 0), status, logs and restart still work.
void without_systemctl(const Setup& setup, Checks& t) {
    auto in_empty_path = [&](const Argv& args) {
        Argv argv = {"/usr/bin/prlimit", "--nproc=0", "/usr/bin/env", "PATH=/nonexistent", setup.ductor, "--plugin-dir",
                     setup.plugin_dir,   "--backend", "systemd"};
        argv.insert(argv.end(), args.begin(), args.end());
        return run(argv);
    };
    auto before = status(setup, k_name);
    auto shown = in_empty_path({"service", "status", "--name", k_name});
    t.check(shown.exit_code == 0 && shown.out.find("running") != std::string::npos,
            "no systemctl on PATH, no child process: status asks the manager itself", shown.out + shown.err);
    auto logs = in_empty_path({"service", "logs", "--name", k_name, "-n", "200"});
    t.check(logs.exit_code == 0 && logs.out.find("probe-line") != std::string::npos,
            "no journalctl on PATH, no child process: logs reads the journal itself", logs.out + logs.err);
    auto restarted = in_empty_path({"service", "restart", "--name", k_name});
    auto after = status(setup, k_name);
    t.check(restarted.exit_code == 0 && after.exit_code == 0 && after.pid() != before.pid(),
            "no systemctl on PATH, no child process: restart waits for the manager's job", restarted.err);
}

void uninstall(const Setup& setup, Checks& t) {
    auto removed = run_ductor(setup, {"service", "uninstall", "--name", k_name});
    t.check(removed.exit_code == 0, "uninstall exits 0", removed.err);
    const auto unit_file = std::filesystem::path(std::getenv("HOME")) / ".config/systemd/user" / k_unit;
    t.check(!std::filesystem::exists(unit_file), "uninstall removed the unit file");
    auto shown = run({"systemctl", "--user", "show", "-p", "LoadState", "-p", "ActiveState", k_unit});
    t.check(shown.out == "LoadState=not-found\nActiveState=inactive\n", "the manager no longer knows the unit",
            shown.out);
    auto s = status(setup, k_name);
    t.check(s.exit_code == 4 && s.state() == "not-installed", "status exits 4: not installed");
    auto again = run_ductor(setup, {"service", "uninstall", "--name", k_name});
    t.check(again.exit_code == 0 && again.out.find("not installed") != std::string::npos,
            "a second uninstall says it is not installed", again.out + again.err);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: lifecycle DUCTOR PLUGIN_DIR PROBE PROBE_DIR\n";
        return 2;
    }
    Setup setup{argv[1], argv[2], argv[3], argv[4]};
    Checks t;
    const auto begin = std::chrono::steady_clock::now();
    try {
        auto plugins = run_ductor(setup, {"plugins"});
        t.check(plugins.exit_code == 0, "ductor finds the systemd backend available", plugins.out + plugins.err);
        long long pid = 0;
        install_and_crash(setup, t, pid);
        clean_exit_and_stop(setup, t, pid);
        reinstall_and_logs(setup, t, pid);
        argv_round_trip(setup, t);
        drift_and_safety(setup, t);
        install_uninstall_race(setup, t);
        killed_installs(setup, t);
        through_user_bus(setup, t);
        without_systemctl(setup, t);
        uninstall(setup, t);
    } catch (const std::exception& e) {
        t.check(false, "the driver ran to the end", e.what());
    }
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    std::cout << t.passed() << " checks passed, " << t.failures() << " failed, in " << seconds << " s\n";
    return t.failures() == 0 ? 0 : 1;
}
