#include "fake_host.hpp"

#include <ductor/sdk/runner.hpp>

#include <catch2/catch.hpp>

namespace fs = std::filesystem;
namespace runner = ductor::sdk::runner;

TEST_CASE("runner log files are ordered oldest first with the live log last") {
    const fs::path dir = "logs";
    std::vector<fs::path> entries;
    for (const char* f : {"bot.log", "bot.log.1", "bot.log.10", "bot.log.2", "bot.log.x", "bot.log.0", "bot.log.-1",
                          "other.log", "bot.logs", "bot.log.2.gz", "bot.err"}) {
        entries.push_back(dir / f);
    }
    CHECK(runner::order_log_files(entries, "bot") ==
          std::vector<fs::path>{dir / "bot.log.10", dir / "bot.log.2", dir / "bot.log.1", dir / "bot.log"});
    CHECK(runner::order_log_files({dir / "bot.log.1"}, "bot") == std::vector<fs::path>{dir / "bot.log.1"});
    CHECK(runner::order_log_files({}, "bot").empty());
}

TEST_CASE("runner file names follow the documented layout") {
    CHECK(runner::pid_file("home", "bot") == fs::path("home") / "run" / "bot.pid");
    CHECK(runner::log_path("logs", "bot") == fs::path("logs") / "bot.log");
    CHECK(runner::rotated_log_path("logs", "bot", 3) == fs::path("logs") / "bot.log.3");
    ductor::test::FakeHost host;
    ductor::sdk::ServiceSpec spec;
    CHECK(runner::log_directory(host, spec) == host.ductor_home() / "logs");
    spec.log_directory = fs::path("elsewhere");
    CHECK(runner::log_directory(host, spec) == fs::path("elsewhere"));
}

TEST_CASE("runner arguments put the program after -- untouched") {
    runner::Invocation inv;
    inv.name = "bot";
    CHECK(runner::run_arguments(inv, {"/bin/x", "--name", "--"}) ==
          std::vector<std::string>{"run", "--name", "bot", "--log-to", "file", "--", "/bin/x", "--name", "--"});
    inv.log_to = "both";
    inv.log_directory = fs::path("d");
    inv.restart = ductor::sdk::RestartPolicy::on_failure;
    inv.restart_delay = std::chrono::seconds(3);
    inv.environment = {{"A", "1 2"}, {"B", ""}};
    CHECK(runner::run_arguments(inv, {"p"}) ==
          std::vector<std::string>{"run", "--name", "bot", "--log-to", "both", "--log-dir", "d", "--restart",
                                   "on-failure", "--restart-delay", "3", "--env", "A=1 2", "--env", "B=", "--", "p"});
}

TEST_CASE("runner arguments carry a moved ductor home as --home, after --workdir and before --env") {
    runner::Invocation inv;
    inv.name = "bot";
    inv.working_directory = fs::path("w");
    inv.environment = {{"A", "1"}};
    CHECK(runner::run_arguments(inv, {"p"}) == std::vector<std::string>{"run", "--name", "bot", "--log-to", "file",
                                                                        "--workdir", "w", "--env", "A=1", "--", "p"});
    inv.home = fs::path("/srv/my ductor");
    CHECK(runner::run_arguments(inv, {"p"}) == std::vector<std::string>{"run", "--name", "bot", "--log-to", "file",
                                                                        "--workdir", "w", "--home", "/srv/my ductor",
                                                                        "--env", "A=1", "--", "p"});
}

TEST_CASE("the PID record round-trips and rejects foreign text") {
    runner::PidRecord record{{4242, 99}, runner::ProcessId{4250, 100}, 7, 0, std::nullopt, std::nullopt, {}};
    CHECK(runner::parse_pid_record(runner::format_pid_record(record)) == record);
    record.child.reset();
    CHECK(runner::parse_pid_record(runner::format_pid_record(record)) == record);
    record.restarts = 12;
    record.last_exit = 137;
    record.next_start = 1764658000;
    record.log_problem = "cannot rotate: the log folder is read-only";
    CHECK(runner::parse_pid_record(runner::format_pid_record(record)) == record);
    CHECK(runner::parse_pid_record("runner=1 2\nsome_future_key=3\n"));  // unknown keys are ignored
    for (const char* foreign : {"", "4242", "runner=0 1\n", "runner=1\n", "child=1 2\n", "runner=1 2\ngrace=-1\n"}) {
        INFO(foreign);
        CHECK_FALSE(runner::parse_pid_record(foreign));
    }
}

TEST_CASE("a run definition gives back every argument, empty and hostile ones included") {
    const std::vector<std::string> arguments{"--name",      "bot",    "--",    "C:\\bots\\bot.exe", "", "%TEMP%",
                                             " a \"b\" \\", "é 日本", "\t\x1b"};
    auto text = runner::format_definition(arguments);
    REQUIRE(text);
    CHECK(text->rfind(std::string(runner::k_definition_header) + "\n--name\nbot\n", 0) == 0);
    CHECK(runner::parse_definition(*text) == arguments);
    CHECK(runner::parse_definition(std::string(runner::k_definition_header) + "\n") == std::vector<std::string>{});
}

TEST_CASE("a run definition refuses arguments it cannot carry and text that is not one") {
    CHECK_FALSE(runner::format_definition({"a\nb"}));
    CHECK_FALSE(runner::format_definition({"a\rb"}));
    CHECK_FALSE(runner::format_definition({std::string("a\0b", 3)}));
    const std::string header(runner::k_definition_header);
    for (const std::string& foreign : {std::string(), header, header + "\nx", header + "\r\nx\n", "x\n" + header + "\n",
                                       header + "\nx\r\n", header + "\n" + std::string("a\0b\n", 4)}) {
        INFO(foreign);
        CHECK_FALSE(runner::parse_definition(foreign));
    }
}

TEST_CASE("batch programs are recognised whatever the case and trailing dots or blanks") {
    for (const char* batch : {"C:\\b\\run.bat", "C:\\b\\RUN.CMD", "run.Bat. .", "x.cmd "}) {
        INFO(batch);
        CHECK(runner::is_batch_program(batch));
    }
    for (const char* other : {"C:\\b\\run.exe", "run.bat.exe", "bat", ".ba", "C:\\b.bat\\run.exe", ""}) {
        INFO(other);
        CHECK_FALSE(runner::is_batch_program(other));
    }
}
