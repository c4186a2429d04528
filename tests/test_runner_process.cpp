// The runner with real processes: exit codes, signals, process groups, the
// exit-42 protocol and the restart policy. Programs are small sh scripts.
#include <catch2/catch.hpp>

#include "run_ductor.hpp"
#include "runner_helpers.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/sdk/runner.hpp>

#include <fstream>
#include <thread>

#include <sys/stat.h>

using namespace ductor;
using namespace std::chrono_literals;

namespace {

sdk::ProcessResult run(const test::TempDir& home, std::vector<std::string> args, test::Env extra = {}) {
    args.insert(args.begin(), "run");
    auto env = test::runner_env(home.path());
    env.insert(env.end(), extra.begin(), extra.end());
    return test::run_ductor(args, env);
}

std::string log_of(const test::TempDir& home, const std::string& name) {
    return platform::read_file(home.path() / "logs" / (name + ".log")).value_or("");
}

}  // namespace

TEST_CASE("the runner exits with the program's exit code and passes output through") {
    test::TempDir home;
    auto script = test::write_script(home.path(), "p.sh", "echo to-out; echo to-err >&2; exit 3");
    auto result = run(home, {"--name", "codes", "--", script.string()});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.out, Catch::Contains("to-out"));
    CHECK_THAT(result.err, Catch::Contains("to-err"));
    CHECK_THAT(log_of(home, "codes"), Catch::StartsWith("to-out\nto-err\n"));
    CHECK_FALSE(std::filesystem::exists(home.path() / "run" / "codes.pid"));
}

TEST_CASE("run --definition runs the arguments of a definition file exactly, and takes nothing else") {
    test::TempDir home;
    auto script = test::write_script(home.path(), "p.sh", "printf '[%s]' \"$@\"; printf '{%s}' \"$PWD\" \"$V\"");
    const auto folder = home.path() / "dir %TEMP% é";
    std::filesystem::create_directories(folder);
    auto text = sdk::runner::format_definition({"--name", "def", "--log-to", "stdout", "--workdir", folder.string(),
                                                "--env", "V=%PATH% $HOME", "--", script.string(), "%TEMP%", "",
                                                " a \"b\" \\", "é 日本"});
    REQUIRE(text);
    const auto file = home.path() / "def.run";
    REQUIRE(platform::write_file_atomic(file, *text,
                                        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    auto result = run(home, {"--definition", file.string()});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "[%TEMP%][][ a \"b\" \\][é 日本]{" + folder.string() + "}{%PATH% $HOME}");
    CHECK(run(home, {"--definition", file.string(), "--name", "x"}).exit_code == 2);
    CHECK(run(home, {"--definition", file.string(), "--", script.string()}).exit_code == 2);
    REQUIRE(platform::write_file_atomic(file, "--name\nx\n", std::filesystem::perms::owner_read));
    auto foreign = run(home, {"--definition", file.string()});
    CHECK(foreign.exit_code == 2);
    CHECK_THAT(foreign.err, Catch::Contains("not a run definition"));
}

TEST_CASE("run --home DIR keeps its PID file and logs under DIR and gives the program DUCTOR_HOME=DIR") {
    test::TempDir environment_home;  // the DUCTOR_HOME the runner was started with: left alone
    test::TempDir moved;
    auto script = test::write_script(
        moved.path(), "p.sh", "echo \"home=$DUCTOR_HOME\"; test -f \"$DUCTOR_HOME/run/$1.pid\" && echo pid-there");
    auto result = run(environment_home, {"--home", moved.path().string(), "--name", "moved", "--log-to", "both", "--",
                                         script.string(), "moved"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "home=" + moved.path().string() + "\npid-there\n");
    CHECK_THAT(platform::read_file(moved.path() / "logs" / "moved.log").value_or(""),
               Catch::StartsWith("home=" + moved.path().string() + "\npid-there\n"));
    CHECK(platform::list_directory(environment_home.path()).empty());

    // From a definition file, started as Task Scheduler starts it: no DUCTOR_HOME, HOME elsewhere.
    test::TempDir user_home;
    auto text = sdk::runner::format_definition(
        {"--name", "defined", "--log-to", "file", "--home", moved.path().string(), "--", script.string(), "defined"});
    REQUIRE(text);
    const auto file = moved.path() / "defined.run";
    REQUIRE(platform::write_file_atomic(file, *text, std::filesystem::perms::owner_read));
    auto defined = run(environment_home, {"--definition", file.string()},
                       {{"DUCTOR_HOME", ""}, {"HOME", user_home.path().string()}});
    INFO(defined.err);
    CHECK(defined.exit_code == 0);
    CHECK_THAT(platform::read_file(moved.path() / "logs" / "defined.log").value_or(""),
               Catch::StartsWith("home=" + moved.path().string() + "\npid-there\n"));
    CHECK(platform::list_directory(user_home.path()).empty());
    CHECK(platform::list_directory(environment_home.path()).empty());
}

TEST_CASE("run --home refuses a relative or empty folder as a usage error, also in a definition") {
    test::TempDir home;
    auto script = test::write_script(home.path(), "p.sh", "echo ran");
    for (const char* bad : {"relative/home", ""}) {
        auto result = run(home, {"--home", bad, "--", script.string()});
        CHECK(result.exit_code == 2);
        CHECK_THAT(result.err,
                   Catch::Contains("--home '" + std::string(bad) + "': the ductor home must be an absolute path"));
        CHECK(result.out.empty());
    }
    auto text = sdk::runner::format_definition({"--home", "relative/home", "--", script.string()});
    REQUIRE(text);
    const auto file = home.path() / "bad.run";
    REQUIRE(platform::write_file_atomic(file, *text, std::filesystem::perms::owner_read));
    auto defined = run(home, {"--definition", file.string()});
    CHECK(defined.exit_code == 2);
    CHECK_THAT(defined.err, Catch::Contains("--home 'relative/home'"));
    CHECK_FALSE(std::filesystem::exists(home.path() / "run"));
}

TEST_CASE("the log-to file option keeps the program's output out of the runner's stdout") {
    test::TempDir home;
    auto script = test::write_script(home.path(), "p.sh", "echo only-in-file");
    auto result = run(home, {"--name", "quiet", "--log-to", "file", "--", script.string()});
    CHECK(result.exit_code == 0);
    CHECK(result.out.empty());
    CHECK_THAT(log_of(home, "quiet"), Catch::StartsWith("only-in-file\n"));
}

TEST_CASE("the log-to stdout option passes the output through and writes no file") {
    test::TempDir home;
    auto script = test::write_script(home.path(), "p.sh", "echo only-on-stdout");
    auto result = run(home, {"--name", "journal", "--log-to", "stdout", "--", script.string()});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("only-on-stdout"));
    CHECK_FALSE(std::filesystem::exists(home.path() / "logs" / "journal.log"));
}

TEST_CASE("a program ended by signal N makes the runner exit 128+N") {
    test::TempDir home;
    auto term = test::write_script(home.path(), "term.sh", "kill -TERM $$");
    auto kill = test::write_script(home.path(), "kill.sh", "kill -KILL $$");
    CHECK(run(home, {"--name", "sig", "--", term.string()}).exit_code == 143);
    CHECK(run(home, {"--name", "sig", "--", kill.string()}).exit_code == 137);
}

TEST_CASE("the program sees DUCTOR_SUPERVISOR=1") {
    test::TempDir home;
    auto script = test::write_script(home.path(), "env.sh", "echo \"supervisor=$DUCTOR_SUPERVISOR\"");
    auto result = run(home, {"--name", "env", "--", script.string()});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("supervisor=1"));
}

TEST_CASE("a program that cannot start makes the runner exit 127") {
    test::TempDir home;
    auto result = run(home, {"--name", "missing", "--", (home.path() / "no-such-program").string()});
    CHECK(result.exit_code == 127);
    CHECK_THAT(result.err, Catch::Contains("cannot start"));
}

TEST_CASE("exit 42 restarts the program at once when no manager supervises the runner") {
    test::TempDir home;
    auto counter = home.path() / "runs";
    auto script = test::write_script(home.path(), "r.sh",
                                     "echo run >> '" + counter.string() +
                                         "'\n"
                                         "[ $(wc -l < '" +
                                         counter.string() + "') -lt 3 ] && exit 42\nexit 7");
    auto result = run(home, {"--name", "again", "--", script.string()});
    CHECK(result.exit_code == 7);
    CHECK(platform::read_file(counter) == "run\nrun\nrun\n");
    CHECK_THAT(log_of(home, "again"), Catch::Contains("restarting it now"));
}

TEST_CASE("exit 42 goes up to the manager under DUCTOR_SUPERVISOR=1 or INVOCATION_ID") {
    test::TempDir home;
    auto counter = home.path() / "runs";
    auto script = test::write_script(home.path(), "r.sh", "echo run >> '" + counter.string() + "'; exit 42");
    CHECK(run(home, {"--name", "up", "--", script.string()}, {{"DUCTOR_SUPERVISOR", "1"}}).exit_code == 42);
    CHECK(run(home, {"--name", "up", "--", script.string()}, {{"INVOCATION_ID", "c0ffee"}}).exit_code == 42);
    CHECK(platform::read_file(counter) == "run\nrun\n");
}

TEST_CASE("restart on-failure restarts until the crash-loop cap and reports it") {
    test::TempDir home;
    auto counter = home.path() / "runs";
    auto script = test::write_script(home.path(), "r.sh", "echo run >> '" + counter.string() + "'; exit 1");
    auto result = run(home, {"--name", "loop", "--restart", "on-failure", "--restart-delay", "0", "--crash-loop-limit",
                             "2", "--", script.string()});
    CHECK(result.exit_code == 1);
    CHECK(platform::read_file(counter) == "run\nrun\nrun\n");
    CHECK_THAT(log_of(home, "loop"), Catch::Contains("crash loop"));
}

TEST_CASE("restart on-failure does not restart after success") {
    test::TempDir home;
    auto counter = home.path() / "runs";
    auto script = test::write_script(home.path(), "r.sh", "echo run >> '" + counter.string() + "'; exit 0");
    auto result = run(home, {"--name", "ok", "--restart", "on-failure", "--restart-delay", "0", "--", script.string()});
    CHECK(result.exit_code == 0);
    CHECK(platform::read_file(counter) == "run\n");
}

TEST_CASE("SIGTERM to the runner ends the program, its children and grandchildren") {
    test::TempDir home;
    auto d = home.path();
    auto script = test::write_script(d, "tree.sh",
                                     "sh -c 'sleep 300 & echo $! > \"" + (d / "grandchild").string() +
                                         "\"; wait' &\n"
                                         "sleep 300 & echo $! > '" +
                                         (d / "child").string() +
                                         "'\n"
                                         "echo $$ > '" +
                                         (d / "main").string() + "'\nwait");
    test::Background runner({"run", "--name", "tree", "--", script.string()}, test::runner_env(d));
    REQUIRE(test::wait_until(
        [&] { return test::read_pid(d / "main") && test::read_pid(d / "child") && test::read_pid(d / "grandchild"); }));
    long long pids[] = {*test::read_pid(d / "main"), *test::read_pid(d / "child"), *test::read_pid(d / "grandchild")};
    for (auto pid : pids) REQUIRE(platform::process_alive(pid));
    platform::send_signal(runner.pid(), platform::stop_signal_terminate(), platform::Target::process);
    auto code = runner.wait(5s);
    CHECK(code == 143);
    for (auto pid : pids) CHECK(test::wait_until([&] { return !platform::process_alive(pid); }, 2s));
    CHECK_THAT(runner.err(), Catch::Contains("signal 15 received"));
}

TEST_CASE("a program that ignores SIGTERM is killed with its group after the grace period") {
    test::TempDir home;
    auto d = home.path();
    auto script = test::write_script(d, "stubborn.sh",
                                     "trap '' TERM\nsleep 300 & echo $! > '" + (d / "child").string() +
                                         "'\n"
                                         "echo $$ > '" +
                                         (d / "main").string() + "'\nwhile :; do sleep 0.1; done");
    test::Background runner({"run", "--name", "stubborn", "--grace", "1", "--", script.string()}, test::runner_env(d));
    REQUIRE(test::wait_until([&] { return test::read_pid(d / "main") && test::read_pid(d / "child"); }));
    long long pids[] = {*test::read_pid(d / "main"), *test::read_pid(d / "child")};
    auto sent = std::chrono::steady_clock::now();
    platform::send_signal(runner.pid(), platform::stop_signal_terminate(), platform::Target::process);
    auto code = runner.wait(6s);
    auto took = std::chrono::steady_clock::now() - sent;
    CHECK(code == 137);
    CHECK(took >= 900ms);
    CHECK(took < 4s);
    for (auto pid : pids) CHECK(test::wait_until([&] { return !platform::process_alive(pid); }, 2s));
    CHECK_THAT(runner.err(), Catch::Contains("grace period over"));
}

TEST_CASE("a grandchild that ignores SIGTERM and closed its output is killed after the grace period") {
    test::TempDir home;
    auto d = home.path();
    auto script = test::write_script(d, "detached.sh",
                                     "sh -c 'trap \"\" TERM; exec sleep 300' </dev/null >/dev/null 2>&1 &\n"
                                     "echo $! > '" +
                                         (d / "grandchild").string() + "'\nwait");
    test::Background runner({"run", "--name", "detached", "--grace", "1", "--", script.string()}, test::runner_env(d));
    REQUIRE(test::wait_until([&] { return test::read_pid(d / "grandchild").has_value(); }));
    auto grandchild = *test::read_pid(d / "grandchild");
    std::this_thread::sleep_for(100ms);  // let it install the trap
    platform::send_signal(runner.pid(), platform::stop_signal_terminate(), platform::Target::process);
    auto code = runner.wait(6s);
    CHECK(code == 143);  // the script itself ended by SIGTERM
    CHECK(test::wait_until([&] { return !platform::process_alive(grandchild); }, 2s));
}

TEST_CASE("the program does not inherit the runner's log file or PID file") {
    test::TempDir home;
    // List the program's open files; only stdin/stdout/stderr (and the listing itself) may be there.
    auto script = test::write_script(home.path(), "p.sh", "for fd in /proc/$$/fd/*; do readlink \"$fd\"; done; true");
    auto result = run(home, {"--name", "fds", "--log-to", "stdout", "--", script.string()});
    REQUIRE(result.exit_code == 0);
    auto file_result = run(home, {"--name", "fds2", "--log-to", "file", "--", script.string()});
    REQUIRE(file_result.exit_code == 0);
    auto listing = log_of(home, "fds2");
    CHECK_THAT(listing, !Catch::Contains("fds2.log"));
    CHECK_THAT(listing, !Catch::Contains(".pid"));
    CHECK_THAT(result.out, !Catch::Contains(".pid"));
}

TEST_CASE("the runner gives the program its --env variables, and DUCTOR_SUPERVISOR stays its own") {
    test::TempDir home;
    auto script = test::write_script(home.path(), "p.sh", "echo \"token=$TOKEN sup=$DUCTOR_SUPERVISOR\"");
    auto result = run(home, {"--name", "env", "--log-to", "stdout", "--env", "TOKEN=a b=c", "--", script.string()});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("token=a b=c sup=1"));
    auto bad = run(home, {"--name", "env", "--env", "DUCTOR_SUPERVISOR=0", "--", script.string()});
    CHECK(bad.exit_code == 2);
    auto malformed = run(home, {"--name", "env", "--env", "1X=y", "--", script.string()});
    CHECK(malformed.exit_code == 2);
}

TEST_CASE("the runner's wait for output ends when the program ends after it closed its output") {
    test::TempDir dir;
    const auto fifo = dir.path() / "go";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // It closes its output, then ends once the test writes to the FIFO.
    auto script =
        test::write_script(dir.path(), "quiet.sh", "exec >/dev/null 2>&1\nread line < '" + fifo.string() + "'\n");
    platform::StopRequests stops;  // what `ductor run` holds while it supervises
    auto spawned = platform::ChildGroup::spawn({{script.string()}, {}});
    REQUIRE(spawned);
    auto child = std::move(*spawned);
    std::vector<platform::OutputChunk> chunks;
    auto until = std::chrono::steady_clock::now() + 60s;
    while (child->output_open() && std::chrono::steady_clock::now() < until) {
        chunks.clear();  // what it printed is not looked at; a chunk is valid only until the next read
        child->read_some(chunks, 1s);
    }
    REQUIRE_FALSE(child->output_open());
    REQUIRE_FALSE(child->try_wait());
    {
        std::ofstream go(fifo);  // opens once the script reads
        go << "go\n";
    }
    // Nothing is left to read: only the program's end (SIGCHLD) can end this wait early.
    const auto wait = 10min;
    auto started = std::chrono::steady_clock::now();
    chunks.clear();
    child->read_some(chunks, wait);
    CHECK(std::chrono::steady_clock::now() - started < wait);
    CHECK(child->try_wait() == 0);
}
