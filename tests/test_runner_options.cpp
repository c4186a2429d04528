// The runner's pure parts: options, the restart decision, the PID record,
// and how the command line reaches them.
#include <catch2/catch.hpp>

#include <ductor/cli/invocation.hpp>
#include <ductor/runner/options.hpp>
#include <ductor/runner/pid_file.hpp>
#include <ductor/runner/supervisor.hpp>

using namespace ductor;

namespace {

runner::RunOptions options_with(sdk::RestartPolicy policy, runner::Supervised supervised) {
    runner::RunOptions options;
    options.program = {"/bin/true"};
    options.restart = policy;
    options.supervised = supervised;
    options.restart_delay = std::chrono::seconds(3);
    options.crash_loop_limit = 2;
    return options;
}

cli::Invocation parse(const std::vector<std::string>& args) { return cli::parse_command_line(args, std::nullopt); }

}  // namespace

TEST_CASE("log sizes take K, M and G suffixes in powers of 1024") {
    CHECK(runner::parse_size("4096") == 4096U);
    CHECK(runner::parse_size("512K") == 512U * 1024U);
    CHECK(runner::parse_size("10M") == 10U * 1024U * 1024U);
    CHECK(runner::parse_size("1g") == 1ULL << 30U);
    CHECK_FALSE(runner::parse_size(""));
    CHECK_FALSE(runner::parse_size("M"));
    CHECK_FALSE(runner::parse_size("10MB"));
    CHECK_FALSE(runner::parse_size("-5"));
    CHECK_FALSE(runner::parse_size("99999999999999999999999"));
    // Sizes past 1 TiB are refused, never wrapped around to a small one.
    CHECK(runner::parse_size("1024G") == 1ULL << 40U);
    CHECK_FALSE(runner::parse_size("1025G"));
    CHECK_FALSE(runner::parse_size("17179869184G"));
    CHECK_FALSE(runner::parse_size("1099511627777"));
}

TEST_CASE("the runner counts as supervised under DUCTOR_SUPERVISOR=1 or a systemd INVOCATION_ID") {
    CHECK(runner::supervised_from(std::string("1"), std::nullopt) == runner::Supervised::yes);
    CHECK(runner::supervised_from(std::nullopt, std::string("0123abcd")) == runner::Supervised::yes);
    CHECK(runner::supervised_from(std::string(""), std::string("")) == runner::Supervised::no);
    CHECK(runner::supervised_from(std::string("0"), std::nullopt) == runner::Supervised::no);
    CHECK(runner::supervised_from(std::nullopt, std::nullopt) == runner::Supervised::no);
}

TEST_CASE("exit 42 restarts at once standalone and goes up under a supervisor") {
    auto alone = runner::decide(options_with(sdk::RestartPolicy::never, runner::Supervised::no), 42, 1);
    CHECK(alone.next == runner::Next::restart);
    CHECK(alone.delay == std::chrono::seconds(0));
    CHECK_THAT(alone.reason, Catch::Contains("restarting it now"));
    auto managed = runner::decide(options_with(sdk::RestartPolicy::always, runner::Supervised::yes), 42, 1);
    CHECK(managed.next == runner::Next::exit);
    CHECK_THAT(managed.reason, Catch::Contains("service manager"));
}

TEST_CASE("the restart policy decides after other exit codes") {
    using runner::Next;
    auto never = options_with(sdk::RestartPolicy::never, runner::Supervised::no);
    auto on_failure = options_with(sdk::RestartPolicy::on_failure, runner::Supervised::no);
    auto always = options_with(sdk::RestartPolicy::always, runner::Supervised::no);
    CHECK(runner::decide(never, 1, 0).next == Next::exit);
    CHECK(runner::decide(on_failure, 0, 0).next == Next::exit);
    CHECK(runner::decide(on_failure, 1, 0).next == Next::restart);
    CHECK(runner::decide(on_failure, 143, 0).next == Next::restart);
    CHECK(runner::decide(on_failure, 1, 0).delay == std::chrono::seconds(3));
    CHECK(runner::decide(always, 0, 0).next == Next::restart);
}

TEST_CASE("a crash loop beyond the limit ends the restarts and says so") {
    auto options = options_with(sdk::RestartPolicy::on_failure, runner::Supervised::no);
    CHECK(runner::decide(options, 1, 2).next == runner::Next::restart);
    auto given_up = runner::decide(options, 1, 3);
    CHECK(given_up.next == runner::Next::exit);
    CHECK_THAT(given_up.reason, Catch::Contains("crash loop"));
    CHECK(runner::decide(options, 42, 3).next == runner::Next::exit);
    options.crash_loop_limit = 0;
    CHECK(runner::decide(options, 1, 1000).next == runner::Next::restart);
}

TEST_CASE("a PID record survives formatting and parsing") {
    runner::PidRecord record{{4242, 99887766}, runner::ProcessId{4250, 99887770}, 7, 0, std::nullopt, std::nullopt, {}};
    auto text = runner::format_pid_record(record);
    CHECK(text == "runner=4242 99887766\nchild=4250 99887770\ngrace=7\n");
    CHECK(runner::parse_pid_record(text) == record);
    record.child.reset();
    CHECK(runner::parse_pid_record(runner::format_pid_record(record)) == record);
}

TEST_CASE("PID records that are empty, torn or foreign are rejected") {
    CHECK_FALSE(runner::parse_pid_record(""));
    CHECK_FALSE(runner::parse_pid_record("runner=42"));
    CHECK_FALSE(runner::parse_pid_record("12345\n"));
    CHECK_FALSE(runner::parse_pid_record("runner=-3 5\n"));
    CHECK_FALSE(runner::parse_pid_record("grace=10\n"));
    CHECK_FALSE(runner::parse_pid_record("runner=1 2\nchild=x\n"));
}

TEST_CASE("run options are checked and the files land under the ductor home") {
    cli::RunCommand command;
    command.name = "bot";
    command.program = {"/bin/true"};
    auto built = runner::make_options(command, "/home/u/.ductor", runner::Supervised::no);
    REQUIRE(built.has_value());
    const auto& options = *built;
    CHECK(options.pid_file == "/home/u/.ductor/run/bot.pid");
    CHECK(options.log.directory == "/home/u/.ductor/logs");
    CHECK(options.log.max_bytes == 10U << 20U);
    CHECK(options.log.max_files == 5);
    CHECK(options.grace == std::chrono::seconds(10));
    CHECK(options.restart == sdk::RestartPolicy::never);

    auto bad = [&](auto change) {
        auto copy = command;
        change(copy);
        auto result = runner::make_options(copy, "/h", runner::Supervised::no);
        return result ? std::string() : result.error();
    };
    CHECK_THAT(bad([](cli::RunCommand& c) { c.name = "../x"; }), Catch::Contains("name"));
    CHECK_THAT(bad([](cli::RunCommand& c) { c.log_to = "syslog"; }), Catch::Contains("--log-to"));
    CHECK_THAT(bad([](cli::RunCommand& c) { c.log_size = "12"; }), Catch::Contains("--log-size"));
    CHECK_THAT(bad([](cli::RunCommand& c) { c.log_files = 0; }), Catch::Contains("--log-files"));
    CHECK_THAT(bad([](cli::RunCommand& c) { c.grace = -1; }), Catch::Contains("--grace"));
    CHECK_THAT(bad([](cli::RunCommand& c) { c.restart = "sometimes"; }), Catch::Contains("--restart"));
    CHECK_THAT(bad([](cli::RunCommand& c) { c.restart_delay = 100000; }), Catch::Contains("--restart-delay"));
    CHECK_THAT(bad([](cli::RunCommand& c) { c.backoff_max = -1; }), Catch::Contains("--backoff-max"));
    CHECK_THAT(bad([](cli::RunCommand& c) { c.workdir = "/no/such/folder"; }), Catch::Contains("--workdir"));
    auto relative_home = runner::make_options(command, "relative/home", runner::Supervised::no);
    REQUIRE_FALSE(relative_home.has_value());
    CHECK_THAT(relative_home.error(), Catch::Contains("not an absolute path"));
}

TEST_CASE("run --home replaces the environment's ductor home and must be absolute") {
    cli::RunCommand command;
    command.name = "bot";
    command.program = {"/bin/true"};
    command.home = "/srv/ductor home";
    auto moved = runner::make_options(command, "/home/u/.ductor", runner::Supervised::no);
    REQUIRE(moved.has_value());
    CHECK(moved->pid_file == std::filesystem::path("/srv/ductor home") / "run" / "bot.pid");
    CHECK(moved->log.directory == std::filesystem::path("/srv/ductor home") / "logs");
    command.log_dir = "/var/log/bot";
    CHECK(runner::make_options(command, "/home/u/.ductor", runner::Supervised::no)->log.directory ==
          std::filesystem::absolute("/var/log/bot"));  // --log-dir still names the log folder
    // An absolute --home stands in for a relative DUCTOR_HOME, as DUCTOR_HOME=DIR would.
    CHECK(runner::make_options(command, "relative/home", runner::Supervised::no).has_value());
    for (const char* bad : {"relative/home", "", "./x"}) {
        command.home = bad;
        auto refused = runner::make_options(command, "/home/u/.ductor", runner::Supervised::no);
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error() == "--home '" + std::string(bad) + "': the ductor home must be an absolute path");
    }
}

TEST_CASE("ductor run reads --home before '--', and --definition takes no --home beside it") {
    auto inv = parse({"run", "--home", "/srv/d", "--name", "bot", "--", "/usr/bin/my-bot", "--home", "x"});
    auto* run = std::get_if<cli::RunCommand>(&inv.command);
    REQUIRE(run != nullptr);
    CHECK(run->home == std::optional<std::string>("/srv/d"));
    CHECK(run->program == std::vector<std::string>{"/usr/bin/my-bot", "--home", "x"});
    CHECK_FALSE(std::get<cli::RunCommand>(parse({"run", "--", "/usr/bin/my-bot"}).command).home);
    CHECK_THROWS_WITH(parse({"run", "--definition", "/x.run", "--home", "/srv/d"}), Catch::Contains("--home"));
}

TEST_CASE("with --backoff-max the delay doubles per short run up to the cap and never gives up") {
    runner::RunOptions options;
    options.restart = sdk::RestartPolicy::on_failure;
    options.restart_delay = std::chrono::seconds(1);
    options.crash_loop_limit = 0;
    options.backoff_max = std::chrono::seconds(300);
    const long long expected[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300};
    for (unsigned rapid = 1; rapid <= 11; ++rapid) {
        auto decision = runner::decide(options, 1, rapid);
        CHECK(decision.next == runner::Next::restart);
        CHECK(decision.delay.count() == expected[rapid - 1]);
    }
    CHECK(runner::decide(options, 1, 1000).delay == std::chrono::seconds(300));
    CHECK(runner::decide(options, 1, 0).delay == std::chrono::seconds(1));   // a long run resets it
    CHECK(runner::decide(options, 42, 9).delay == std::chrono::seconds(0));  // exit 42 restarts at once
}

TEST_CASE("ductor run takes its options before '--' and the program after it") {
    auto inv = parse({"run", "--name", "bot", "--grace", "3", "--log-to", "file", "--restart", "on-failure", "--",
                      "/usr/bin/my-bot", "--grace", "x"});
    auto* run = std::get_if<cli::RunCommand>(&inv.command);
    REQUIRE(run != nullptr);
    CHECK(run->name == "bot");
    CHECK(run->grace == 3);
    CHECK(run->log_to == "file");
    CHECK(run->restart == "on-failure");
    CHECK(run->program == std::vector<std::string>{"/usr/bin/my-bot", "--grace", "x"});
}

TEST_CASE("ductor run without a program or with one before '--' is a usage error") {
    CHECK_THROWS_AS(parse({"run"}), cli::UsageError);
    CHECK_THROWS_WITH(parse({"run", "/usr/bin/my-bot"}), Catch::Contains("after '--'"));
    CHECK_THROWS_AS(parse({"run", "--grace", "soon", "--", "x"}), cli::UsageError);
}

TEST_CASE("ductor stop takes a name and no program") {
    auto inv = parse({"stop", "--name", "bot"});
    auto* stop = std::get_if<cli::StopCommand>(&inv.command);
    REQUIRE(stop != nullptr);
    CHECK(stop->name == "bot");
    CHECK_THROWS_AS(parse({"stop", "--", "x"}), cli::UsageError);
}

TEST_CASE("run and stop explain themselves with examples") {
    auto run_help = std::get<cli::HelpRequest>(parse({"run", "--help"}).command).text;
    CHECK_THAT(run_help, Catch::Contains("Examples:") && Catch::Contains("--log-to") && Catch::Contains("42"));
    auto stop_help = std::get<cli::HelpRequest>(parse({"stop", "--help"}).command).text;
    CHECK_THAT(stop_help, Catch::Contains("Examples:") && Catch::Contains("stale PID file"));
}
