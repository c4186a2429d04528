// One runner per name, stale PID files, and `ductor stop` against runners
// started in the background. Real processes throughout.
#include <catch2/catch.hpp>

#include "run_ductor.hpp"
#include "runner_helpers.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/runner/pid_file.hpp>

#include <thread>

using namespace ductor;
using namespace std::chrono_literals;

namespace {

std::filesystem::path pid_file(const test::TempDir& home, const std::string& name) {
    return home.path() / "run" / (name + ".pid");
}

// The runner's PID record once it names a child.
std::optional<runner::PidRecord> running_record(const test::TempDir& home, const std::string& name) {
    std::optional<runner::PidRecord> record;
    test::wait_until([&] {
        auto text = platform::read_file(pid_file(home, name));
        record = text ? runner::parse_pid_record(*text) : std::nullopt;
        return record && record->child;
    });
    return record;
}

// A process that has exited and been reaped: its PID is free.
long long dead_pid() {
    auto spawned = platform::ChildGroup::spawn({{"true"}, {}});
    REQUIRE(spawned);
    auto child = std::move(*spawned);
    REQUIRE(test::wait_until([&] { return child->try_wait().has_value(); }));
    return child->pid();
}

void write_record(const test::TempDir& home, const std::string& name, const runner::PidRecord& record) {
    REQUIRE(platform::write_file_atomic(pid_file(home, name), runner::format_pid_record(record),
                                        std::filesystem::perms(0644)));
}

test::Background start_sleeper(const test::TempDir& home, const std::string& name) {
    return test::Background({"run", "--name", name, "--grace", "2", "--", "sleep", "300"},
                            test::runner_env(home.path()));
}

}  // namespace

TEST_CASE("a second runner of the same name refuses and names the running PID") {
    test::TempDir home;
    auto first = start_sleeper(home, "solo");
    auto record = running_record(home, "solo");
    REQUIRE(record);
    CHECK(record->runner.pid == first.pid());
    auto second = test::run_ductor({"run", "--name", "solo", "--", "true"}, test::runner_env(home.path()));
    CHECK(second.exit_code == 1);
    CHECK_THAT(second.err, Catch::Contains("already running as PID " + std::to_string(first.pid())));
    auto other = test::run_ductor({"run", "--name", "other", "--", "true"}, test::runner_env(home.path()));
    CHECK(other.exit_code == 0);
    platform::send_signal(first.pid(), platform::stop_signal_terminate(), platform::Target::process);
    CHECK(first.wait(5s) == 143);
    CHECK_FALSE(std::filesystem::exists(pid_file(home, "solo")));
}

TEST_CASE("a PID file of a dead runner is stale and replaced") {
    test::TempDir home;
    std::filesystem::create_directories(home.path() / "run");
    write_record(home, "stale",
                 {{dead_pid(), 1}, runner::ProcessId{dead_pid(), 2}, 10, 0, std::nullopt, std::nullopt, {}});
    auto result =
        test::run_ductor({"run", "--name", "stale", "--", "sh", "-c", "exit 5"}, test::runner_env(home.path()));
    CHECK(result.exit_code == 5);
    CHECK_FALSE(std::filesystem::exists(pid_file(home, "stale")));
}

TEST_CASE("a PID file whose PID now belongs to an unrelated process is stale") {
    test::TempDir home;
    auto spawned = platform::ChildGroup::spawn({{"sleep", "30"}, {}});
    REQUIRE(spawned);
    auto unrelated = std::move(*spawned);
    auto started = platform::process_start_time(unrelated->pid()).value_or(0);
    std::filesystem::create_directories(home.path() / "run");
    // The runner and child recorded here "were" this PID, started at another time.
    write_record(home, "reused",
                 {{unrelated->pid(), started + 1},
                  runner::ProcessId{unrelated->pid(), started + 1},
                  1,
                  0,
                  std::nullopt,
                  std::nullopt,
                  {}});

    auto result =
        test::run_ductor({"run", "--name", "reused", "--", "sh", "-c", "exit 5"}, test::runner_env(home.path()));
    CHECK(result.exit_code == 5);

    write_record(home, "reused",
                 {{unrelated->pid(), started + 1},
                  runner::ProcessId{unrelated->pid(), started + 1},
                  1,
                  0,
                  std::nullopt,
                  std::nullopt,
                  {}});
    auto stop = test::run_ductor({"stop", "--name", "reused"}, test::runner_env(home.path()));
    CHECK(stop.exit_code == 0);
    CHECK_THAT(stop.out, Catch::Contains("removed the stale PID file"));
    CHECK_FALSE(std::filesystem::exists(pid_file(home, "reused")));
    std::this_thread::sleep_for(200ms);
    CHECK(platform::process_alive(unrelated->pid()));
    CHECK_FALSE(unrelated->try_wait());
    unrelated->signal_group(platform::stop_signal_kill());
    test::wait_until([&] { return unrelated->try_wait().has_value(); });
}

TEST_CASE("a process whose name holds spaces and ')' is read past its name, and a zombie is not alive") {
    test::TempDir dir;
    const auto tricky = dir.path() / "a) Z (b 1 2";
    std::filesystem::copy_file("/bin/sh", tricky);
    std::filesystem::permissions(tricky, std::filesystem::perms::owner_all);
    auto spawned = platform::ChildGroup::spawn({{tricky.string(), "-c", "sleep 30; true"}, {}});
    REQUIRE(spawned);
    auto child = std::move(*spawned);
    const auto started = platform::process_start_time(child->pid());
    REQUIRE(started);
    // Once it runs the copy, /proc shows the new name; the start time stays.
    REQUIRE(test::wait_until(
        [&] { return platform::read_file("/proc/" + std::to_string(child->pid()) + "/comm") == "a) Z (b 1 2\n"; }));
    CHECK(platform::process_start_time(child->pid()) == started);
    CHECK(platform::process_alive(child->pid()));
    REQUIRE(child->signal_group(platform::stop_signal_kill()));
    // Ended but not reaped: a zombie, which is not alive.
    CHECK(test::wait_until([&] { return !platform::process_alive(child->pid()); }, 5s));
    CHECK(child->try_wait() == 137);
    CHECK_FALSE(platform::process_start_time(child->pid()));
}

TEST_CASE("ductor stop ends a runner started in the background, with its program") {
    test::TempDir home;
    auto runner = start_sleeper(home, "bg");
    auto record = running_record(home, "bg");
    REQUIRE(record);
    auto child = record->child->pid;
    REQUIRE(platform::process_alive(child));
    auto stop = test::run_ductor({"stop", "--name", "bg"}, test::runner_env(home.path()));
    INFO(stop.err);
    CHECK(stop.exit_code == 0);
    CHECK_THAT(stop.out, Catch::Contains("stopped the runner (PID " + std::to_string(runner.pid()) + ")"));
    CHECK(runner.wait(5s) == 143);
    CHECK(test::wait_until([&] { return !platform::process_alive(child); }, 2s));
    CHECK_FALSE(std::filesystem::exists(pid_file(home, "bg")));

    auto again = test::run_ductor({"stop", "--name", "bg"}, test::runner_env(home.path()));
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::Contains("no runner is running"));
}

TEST_CASE("ductor stop ends the program group a killed runner left behind") {
    test::TempDir home;
    auto runner = start_sleeper(home, "orphan");
    auto record = running_record(home, "orphan");
    REQUIRE(record);
    auto child = record->child->pid;
    platform::send_signal(runner.pid(), platform::stop_signal_kill(), platform::Target::process);
    runner.wait(5s);
    REQUIRE(platform::process_alive(child));
    auto stop = test::run_ductor({"stop", "--name", "orphan"}, test::runner_env(home.path()));
    CHECK(stop.exit_code == 0);
    CHECK_THAT(stop.out, Catch::Contains("left by a dead runner"));
    CHECK(test::wait_until([&] { return !platform::process_alive(child); }, 2s));
    CHECK_FALSE(std::filesystem::exists(pid_file(home, "orphan")));
}

TEST_CASE("ductor stop ends a program group whose leader and runner are both gone") {
    test::TempDir home;
    auto bg_file = home.path() / "bg.pid";
    // The leader starts a long sleep in its group, records it, and exits soon after.
    auto script =
        test::write_script(home.path(), "leader.sh", "sleep 300 & echo $! > '" + bg_file.string() + "'; sleep 1");
    test::Background runner({"run", "--name", "leaderless", "--grace", "2", "--", script.string()},
                            test::runner_env(home.path()));
    auto record = running_record(home, "leaderless");
    REQUIRE(record);
    auto leader = record->child->pid;
    // The runner records the leader before the leader has written its file: wait for the file.
    REQUIRE(test::wait_until([&] { return test::read_pid(bg_file).has_value(); }, 5s));
    auto straggler = test::read_pid(bg_file);
    REQUIRE(straggler);
    platform::send_signal(runner.pid(), platform::stop_signal_kill(), platform::Target::process);
    runner.wait(5s);
    REQUIRE(test::wait_until([&] { return !platform::process_alive(leader); }, 5s));
    REQUIRE(platform::process_alive(*straggler));
    auto stop = test::run_ductor({"stop", "--name", "leaderless"}, test::runner_env(home.path()));
    INFO(stop.out << stop.err);
    CHECK(stop.exit_code == 0);
    CHECK_THAT(stop.out, Catch::Contains("left by a dead runner"));
    CHECK(test::wait_until([&] { return !platform::process_alive(*straggler); }, 3s));
    CHECK_FALSE(std::filesystem::exists(pid_file(home, "leaderless")));
}
