#include <ductor/taskscheduler/action.hpp>
#include <ductor/taskscheduler/backend.hpp>
#include <ductor/sdk/runner.hpp>

#include "fake_host.hpp"
#include "run_ductor.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>

#include <catch2/catch.hpp>

namespace ts = ductor::taskscheduler;
using ductor::sdk::OsFamily;
using ductor::test::FakeHost;
using Paths = std::vector<std::filesystem::path>;

namespace {

void touch(FakeHost& host, const std::filesystem::path& path) {
    REQUIRE(
        host.write_file(path, "line\n", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write).ok);
}

ductor::sdk::ServiceSpec spec_for(std::vector<std::string> argv) {
    ductor::sdk::ServiceSpec spec;
    spec.argv = std::move(argv);
    return spec;
}

}  // namespace

TEST_CASE("logs are the runner's rotated files, oldest first") {
    FakeHost host;
    ts::TaskSchedulerBackend backend(host);
    const auto logs = host.ductor_home() / "logs";
    for (const char* name : {"ductor.log", "ductor.log.1", "ductor.log.10", "ductor.log.2", "ductor.log.x",
                             "ductor.log.0", "other.log", "ductor.logs"}) {
        touch(host, logs / name);
    }
    auto source = backend.service_logs(spec_for({"/bin/x"}), {});
    CHECK(source.error.empty());
    CHECK(source.command.empty());
    CHECK(source.files ==
          Paths{logs / "ductor.log.10", logs / "ductor.log.2", logs / "ductor.log.1", logs / "ductor.log"});
}

TEST_CASE("logs follow the spec's log folder and wait for a log that does not exist yet only with -f") {
    FakeHost host;
    ts::TaskSchedulerBackend backend(host);
    auto spec = spec_for({"/bin/x"});
    spec.name = "bot";
    spec.log_directory = host.root() / "elsewhere";
    auto missing = backend.service_logs(spec, {});
    CHECK(missing.error == "no log yet at " + (host.root() / "elsewhere" / "bot.log").string() +
                               ": the runner writes it once the task has started");
    auto follow = backend.service_logs(spec, {std::nullopt, true});
    CHECK(follow.error.empty());
    CHECK(follow.files == Paths{host.root() / "elsewhere" / "bot.log"});
}

TEST_CASE("render shows the UTF-16 task file with a UTF-8 preview and the commands, and runs nothing") {
    FakeHost host;
    host.set_os(OsFamily::windows);
    host.set_env("SystemRoot", R"(C:\Windows)");
    ts::TaskSchedulerBackend backend(host);
    auto spec = spec_for({R"(C:\bots\bot.exe)"});
    spec.environment = {{"TOKEN", "x"}};
    auto rendering = backend.render(spec);
    REQUIRE(rendering.error.empty());
    REQUIRE(rendering.files.size() == 2);
    const auto& definition = rendering.files.front();
    CHECK(definition.path == host.ductor_home() / "tasks" / "ductor.run");
    CHECK(definition.mode == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    const auto& file = rendering.files.back();
    CHECK(file.path == host.ductor_home() / "ductor_task.xml");
    CHECK(file.content.substr(0, 4) == std::string("\xFF\xFE<\0", 4));
    CHECK(file.content.size() == 2 + 2 * file.preview.size());  // all ASCII here
    CHECK_THAT(file.preview, Catch::Contains("<UserId>tester</UserId>") &&
                                 Catch::Contains("<Command>/opt/ductor/bin/ductor</Command>"));
    REQUIRE(rendering.commands.size() == 2);
    CHECK(rendering.commands[0] == std::vector<std::string>{R"(C:\Windows\System32\schtasks.exe)", "/Create", "/TN",
                                                            "ductor", "/XML", file.path.string(), "/F", "/HRESULT"});
    CHECK(rendering.commands[1][1] == "/Run");
    REQUIRE(rendering.notes.size() == 2);
    CHECK_THAT(rendering.notes[0], Catch::Contains("ductorw.exe is missing") && Catch::Contains("console window"));
    // Task Scheduler sets no environment: the runner applies --env, read from the definition.
    CHECK_THAT(definition.content, Catch::Contains("\n--env\nTOKEN=x\n--\nC:\\bots\\bot.exe\n"));
    CHECK_THAT(file.preview,
               Catch::Contains("<Arguments>run --definition " + definition.path.string() + "</Arguments>"));
    CHECK(host.calls().empty());
    CHECK_FALSE(host.path_exists(file.path));
}

TEST_CASE("the runner is told the ductor home only when the user moved it") {
    FakeHost host;
    CHECK_FALSE(ts::runner_home(host));
    host.set_env("DUCTOR_HOME", "");
    CHECK_FALSE(ts::runner_home(host));
    host.set_env("DUCTOR_HOME", "/somewhere/else");  // the fake Host's ductor home stays in its sandbox
    CHECK(ts::runner_home(host) == host.ductor_home());
}

TEST_CASE("render puts a moved ductor home in the definition as --home, and the task's action stays the same") {
    FakeHost host;
    host.set_os(OsFamily::windows);
    host.set_env("SystemRoot", R"(C:\Windows)");
    ts::TaskSchedulerBackend backend(host);
    const auto spec = spec_for({R"(C:\bots\bot.exe)"});
    const auto unmoved = backend.render(spec);
    REQUIRE(unmoved.error.empty());
    CHECK(unmoved.files.front().content.find("--home") == std::string::npos);
    host.set_env("DUCTOR_HOME", host.ductor_home().string());
    const auto moved = backend.render(spec);
    REQUIRE(moved.error.empty());
    REQUIRE(moved.files.size() == 2);
    CHECK_THAT(moved.files.front().content,
               Catch::Contains("\n--restart-delay\n60\n--home\n" + host.ductor_home().string() + "\n--\n"));
    CHECK(moved.files.back().preview == unmoved.files.back().preview);
    CHECK(moved.commands == unmoved.commands);
}

TEST_CASE("render refuses a spec whose text XML cannot carry") {
    FakeHost host;
    ts::TaskSchedulerBackend backend(host);
    auto spec = spec_for({R"(C:\bots\bot.exe)"});
    spec.description = "bell \x07";
    auto rendering = backend.render(spec);
    CHECK_THAT(rendering.error, Catch::StartsWith("task description: XML cannot carry the control character U+0007"));
    CHECK(rendering.files.empty());
}

TEST_CASE("render refuses what Task Scheduler or Windows would change: batch programs, '%' and long paths") {
    FakeHost host;
    host.set_os(OsFamily::windows);
    ts::TaskSchedulerBackend backend(host);
    for (const char* batch : {R"(C:\bots\run.bat)", R"(C:\bots\RUN.CMD)", R"(C:\bots\run.bat. .)"}) {
        CHECK_THAT(backend.render(spec_for({batch, "a&b"})).error,
                   Catch::Contains("is a batch file") && Catch::Contains("cmd.exe"));
    }
    CHECK(backend.render(spec_for({R"(C:\bots\run.bat.exe)"})).error.empty());
    CHECK_THAT(backend.render(spec_for({R"(C:\bots\bot.exe)", std::string(32800, 'x')})).error,
               Catch::Contains("at most 32,766 characters"));
    // A '%' in the user's argv is carried by the definition file, not the task.
    CHECK(backend.render(spec_for({R"(C:\bots\bot.exe)", "%TEMP%", "--env=P=%PATH%"})).error.empty());
}

TEST_CASE("ductor --dry-run with the built plugin prints the task XML as UTF-8 and the schtasks commands") {
    const ductor::test::TempDir home;
    auto result = ductor::test::run_ductor(
        {"--backend", "taskscheduler", "service", "install", "--dry-run", "--", "/bin/echo", "a b", "\"q\""},
        {{"DUCTOR_HOME", home.path().string()}, {"DUCTOR_PLUGIN_PATH", DUCTOR_TEST_BUILD_PLUGIN_DIR}});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("<?xml version=\"1.0\" encoding=\"UTF-16\"?>") &&
                               Catch::Contains("<Arguments>run --definition ") &&
                               Catch::Contains("\n--\n/bin/echo\na b\n\"q\"\n") &&
                               Catch::Contains("/Create /TN ductor /XML") && Catch::Contains("/Run /TN ductor"));
    CHECK(ductor::platform::list_directory(home.path()).empty());
}
