#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/platform/process.hpp>
#include <ductor/systemd/unit_file.hpp>

#include <filesystem>
#include <string>

using namespace ductor;
using namespace ductor::systemd;

namespace {

const UnitContext k_alice{
    "/home/alice/.local/bin:/home/alice/.nvm/versions/node/v22.1.0/bin:/home/alice/.nvm/versions/node/v9.11.2/bin:"
    "/usr/local/bin:/usr/bin:/bin",
    "/home/alice"};

std::string golden(const std::string& name) {
    auto text = platform::read_file(std::filesystem::path(DUCTOR_TEST_SOURCE_DIR) / "golden" / "systemd" / name);
    REQUIRE(text);
    return *text;
}

sdk::ServiceSpec default_spec() {
    sdk::ServiceSpec spec;
    spec.argv = {"/usr/bin/python3", "-m", "bot"};
    return spec;
}

sdk::ServiceSpec full_spec() {
    sdk::ServiceSpec spec;
    spec.name = "my-bot.2";
    spec.description = "My bot (100% up)";
    spec.argv = {"/opt/my bot/run", "--greeting", "say \"hi\" it's $HOME ${X}", "", "C:\\path\\", "%n"};
    spec.working_directory = "/srv/my bot";
    spec.environment = {{"PATH", "/usr/bin"}, {"TOKEN", "a b$c\"d\\e%f"}};
    spec.restart = sdk::RestartPolicy::always;
    spec.restart_delay = std::chrono::seconds(2);
    return spec;
}

// systemd-analyze verify --user on `text` saved as <dir>/<name>; returns exit code and stderr.
sdk::ProcessResult verify(const std::string& name, const std::string& text) {
    test::TempDir runtime;  // mkdtemp makes it 0700, as the user manager requires
    test::TempDir units;
    const auto path = units.path() / name;
    REQUIRE(platform::write_file_atomic(path, text, std::filesystem::perms(0644)));
    sdk::ProcessRequest request;
    request.argv = {"systemd-analyze", "verify", "--user", path.string()};
    request.environment = {{"XDG_RUNTIME_DIR", runtime.path().string()},
                           {"HOME", units.path().string()},
                           {"XDG_CONFIG_HOME", (units.path() / "config").string()},
                           {"SYSTEMD_LOG_COLOR", "0"}};
    auto result = platform::run_captured(request);
    REQUIRE(result.started);
    return result;
}

}  // namespace

TEST_CASE("the default spec renders the original unit") {
    auto unit = render_unit(default_spec(), k_alice);
    REQUIRE(unit.has_value());
    CHECK(*unit == golden("default.service"));
}

TEST_CASE("a spec with every option renders its golden unit") {
    auto unit = render_unit(full_spec(), k_alice);
    REQUIRE(unit.has_value());
    CHECK(*unit == golden("full.service"));
}

TEST_CASE("restart policies map to systemd's Restart= values") {
    auto spec = default_spec();
    spec.restart = sdk::RestartPolicy::never;
    CHECK_THAT(render_unit(spec, k_alice).value(), Catch::Contains("\nRestart=no\n"));
    spec.restart = sdk::RestartPolicy::always;
    CHECK_THAT(render_unit(spec, k_alice).value(), Catch::Contains("\nRestart=always\n"));
}

TEST_CASE("user variables named PATH or HOME replace the defaults in place") {
    auto spec = default_spec();
    spec.environment = {{"HOME", "/elsewhere"}, {"EXTRA", "1"}};
    auto env = service_environment(spec, k_alice);
    REQUIRE(env.size() == 4);
    CHECK(env[0].key == "PATH");
    CHECK(env[1] == sdk::EnvVar{"HOME", "/elsewhere"});
    CHECK(env[2] == sdk::EnvVar{"DUCTOR_SUPERVISOR", "1"});
    CHECK(env[3] == sdk::EnvVar{"EXTRA", "1"});
}

TEST_CASE("a spec that a unit cannot carry renders an error, not a unit") {
    auto spec = default_spec();
    spec.argv.push_back("line\nbreak");
    auto unit = render_unit(spec, k_alice);
    REQUIRE_FALSE(unit.has_value());
    CHECK_THAT(unit.error(), Catch::Contains("line break"));
    spec = default_spec();
    spec.description = "ends with \\";
    CHECK_THAT(render_unit(spec, k_alice).error(), Catch::Contains("backslash"));
}

TEST_CASE("a user unit has no ordering on network-online.target, which only the system manager has") {
    auto unit = render_unit(full_spec(), k_alice);
    REQUIRE(unit.has_value());
    CHECK_THAT(*unit, !Catch::Contains("network-online"));
}

TEST_CASE("values systemd would reject or change are refused when rendering") {
    auto spec = default_spec();
    spec.argv.front() = "/home/o'brien/bin/bot";
    CHECK_THAT(render_unit(spec, k_alice).error(), Catch::Contains("an apostrophe"));
    spec = default_spec();
    spec.working_directory = "/srv/bot ";
    CHECK_THAT(render_unit(spec, k_alice).error(), Catch::Contains("ends with a space"));
    spec = default_spec();
    spec.description = " My bot";
    CHECK_THAT(render_unit(spec, k_alice).error(), Catch::Contains("starts with a space"));
}

TEST_CASE("a unit line of 1 MiB or more is refused before anything is written") {
    auto spec = default_spec();
    spec.argv.push_back(std::string(k_longest_unit_line, 'a'));
    CHECK_THAT(render_unit(spec, k_alice).error(), Catch::Contains("less than 1 MiB"));
    spec.argv.back().resize(k_longest_unit_line - 200);
    CHECK(render_unit(spec, k_alice).has_value());
    spec = default_spec();
    spec.environment.push_back({"BIG", std::string(k_longest_unit_line, 'b')});
    CHECK_THAT(render_unit(spec, k_alice).error(), Catch::Contains("less than 1 MiB"));
}

TEST_CASE("systemd-analyze verify accepts every rendered unit without a warning") {
    auto hostile = default_spec();
    hostile.argv = {"/bin/sh", "-c", "echo \"$1\" '$2' %h ${X} \\\\", "", " ", "\t", ";", "ünï ✓", "\\", "\"", "'"};
    hostile.environment = {{"Q", "\"'\\ $X ${Y} %h"}, {"EMPTY", ""}};
    auto workdir = default_spec();
    workdir.working_directory = "/tmp";
    workdir.description = "100% \"quoted\" 'desc'";
    auto full = full_spec();
    full.argv.front() = "/bin/sh";
    full.working_directory = "/tmp";
    int index = 0;
    for (auto spec : {default_spec(), full, hostile, workdir}) {
        if (spec.argv.front() != "/bin/sh") spec.argv.front() = "/bin/true";
        auto unit = render_unit(spec, k_alice);
        REQUIRE(unit.has_value());
        INFO("unit " << index++ << ":\n" << *unit);
        auto result = verify(unit_name(spec), *unit);
        CHECK(result.exit_code == 0);
        CHECK(result.err.empty());
    }
}

TEST_CASE("systemd-analyze verify is a real check: it reports a broken unit") {
    auto result = verify("broken.service", "[Service]\nExecStart=relative/path \"unterminated\nBogus=1\n");
    CHECK_FALSE(result.err.empty());
}
