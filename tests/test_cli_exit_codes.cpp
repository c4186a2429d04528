// The real ductor binary: exit codes, messages, and no crash whatever plugins do.
#include "run_ductor.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using ductor::test::run_ductor;

namespace {

const std::string k_fixtures = DUCTOR_TEST_FIXTURE_DIR;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// An empty folder as the only extra plugin folder and a system folder that
// holds nothing usable on this machine: the in-tree plugins are found beside
// the executable, and on a machine without a user manager none is available.
std::vector<std::pair<std::string, std::string>> isolated_home(const ductor::test::TempDir& dir) {
    return {{"HOME", dir.path().string()}, {"XDG_RUNTIME_DIR", (dir.path() / "no-runtime").string()}};
}

}  // namespace

TEST_CASE("help and version exit 0 and teach") {
    auto help = run_ductor({"--help"});
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "Usage:"));
    CHECK(contains(help.out, "Exit codes"));
    auto install_help = run_ductor({"service", "install", "--help"});
    CHECK(install_help.exit_code == 0);
    CHECK(contains(install_help.out, "-- PROGRAM [ARGS...]"));
    auto version = run_ductor({"--version"});
    CHECK(version.exit_code == 0);
    CHECK(contains(version.out, "ductor "));
}

TEST_CASE("usage errors exit 2 and point at the right --help") {
    auto none = run_ductor({});
    CHECK(none.exit_code == 2);
    CHECK(contains(none.err, "Try 'ductor --help'"));
    auto bad = run_ductor({"service", "logs", "--lines", "x"});
    CHECK(bad.exit_code == 2);
    CHECK(contains(bad.err, "Try 'ductor service logs --help'"));
    auto name = run_ductor({"service", "status", "--name", "../etc"}, {});
    CHECK(name.exit_code == 2);
    CHECK(contains(name.err, "must start with a letter or digit"));
    auto program = run_ductor({"service", "install", "--", "ductor-no-such-program"});
    CHECK(program.exit_code == 2);
    CHECK(contains(program.err, "was not found on PATH"));
}

TEST_CASE("with no usable backend every service command exits 5 with the reasons") {
    ductor::test::TempDir home;
    for (std::vector<std::string> args : {std::vector<std::string>{"service", "install", "--", "/bin/true"},
                                          {"service", "start"},
                                          {"service", "stop"},
                                          {"service", "restart"},
                                          {"service", "status"},
                                          {"service", "logs"},
                                          {"service", "uninstall"}}) {
        args.insert(args.begin(), {"--plugin-dir", k_fixtures, "--backend=fx-unavailable"});
        auto result = run_ductor(args, isolated_home(home));
        INFO(args[4]);
        CHECK(result.exit_code == 5);
        CHECK(contains(result.err, "fixture: never available"));
    }
}

TEST_CASE("ductor plugins reports every fixture outcome and exits 0") {
    auto result = run_ductor({"plugins", "--plugin-dir", k_fixtures});
    CHECK(result.exit_code == 0);
    for (const char* expected :
         {"fx-available", "fx-high", "fx-unavailable", "is_service_available() threw",
          "the plugin factory threw: fixture factory failure", "ABI 99.0", "newer than this ductor",
          "ductor_create_backend is missing", "not a ductor plugin", "cannot be loaded as a shared library",
          "another plugin named 'fx-available'", "systemd", "launchd", "taskscheduler", "Selected: fx-high"}) {
        INFO(expected);
        CHECK(contains(result.out, expected));
    }
}

TEST_CASE("ductor plugins --json names the selection and every candidate") {
    auto result = run_ductor({"plugins", "--json", "--plugin-dir", k_fixtures, "--backend", "fx-available"});
    CHECK(result.exit_code == 0);
    CHECK(contains(result.out, "\"selected\": \"fx-available\""));
    CHECK(contains(result.out, "\"name\": \"fx_abi_major\""));
    CHECK(contains(result.out, "\"loaded\": false"));
    CHECK(contains(result.out, "\"origin\": \"--plugin-dir\""));
}

TEST_CASE("a plugin that throws during an operation fails the command, not ductor") {
    ductor::test::TempDir home;
    const std::vector<std::string> fixture{"--plugin-dir", k_fixtures, "--backend", "fx-available"};
    auto with = [&](std::vector<std::string> args) {
        args.insert(args.begin(), fixture.begin(), fixture.end());
        return run_ductor(args, isolated_home(home));
    };
    auto uninstall = with({"service", "uninstall"});
    CHECK(uninstall.exit_code == 0);
    CHECK(contains(uninstall.out, "note: fixture: nothing was installed"));
    // start/stop first ask whether the service is installed; the answer is the same on every backend.
    auto not_installed = with({"service", "stop"});
    CHECK(not_installed.exit_code == 1);
    CHECK(contains(not_installed.err, "is not installed"));
    REQUIRE(with({"service", "install", "--name", "throw-on-stop", "--", "/bin/true"}).exit_code == 0);
    auto thrown = with({"service", "stop", "--name", "throw-on-stop"});
    CHECK(thrown.exit_code == 1);
    CHECK(contains(thrown.err, "stop_service() threw: fixture stop failure"));
}

TEST_CASE("ductor stop stops the installed service through its backend before the runner") {
    ductor::test::TempDir home;
    auto env = isolated_home(home);
    env.emplace_back("DUCTOR_HOME", (home.path() / "dh").string());
    auto install = run_ductor({"--plugin-dir", k_fixtures, "--backend", "fx-available", "service", "install", "--name",
                               "svc", "--", "/bin/true"},
                              env);
    REQUIRE(install.exit_code == 0);
    auto stop = run_ductor({"--plugin-dir", k_fixtures, "--backend", "fx-available", "stop", "--name", "svc"}, env);
    CHECK(stop.exit_code == 0);
    CHECK(contains(stop.out, "Stopped the service 'svc' (fx-available)"));
    CHECK(std::filesystem::exists(home.path() / "dh" / "fixture-svc.stopped"));
    // Not installed there: nothing to stop through the backend, and no error.
    auto other = run_ductor({"--plugin-dir", k_fixtures, "--backend", "fx-available", "stop", "--name", "other"}, env);
    CHECK(other.exit_code == 0);
    CHECK_FALSE(contains(other.out, "Stopped the service"));
    CHECK_FALSE(std::filesystem::exists(home.path() / "dh" / "fixture-other.stopped"));
    auto thrown = run_ductor({"--plugin-dir", k_fixtures, "--backend", "fx-available", "service", "install", "--name",
                              "throw-on-stop", "--", "/bin/true"},
                             env);
    REQUIRE(thrown.exit_code == 0);
    auto failed =
        run_ductor({"--plugin-dir", k_fixtures, "--backend", "fx-available", "stop", "--name", "throw-on-stop"}, env);
    CHECK(failed.exit_code == 1);
    CHECK(contains(failed.err, "fixture stop failure"));
    // A failure without a reason is still a failure, and says which call gave none; the same for `service stop`.
    auto mute = run_ductor({"--plugin-dir", k_fixtures, "--backend", "fx-available", "service", "install", "--name",
                            "mute-stop", "--", "/bin/true"},
                           env);
    REQUIRE(mute.exit_code == 0);
    for (const auto* command : {"stop", "service stop"}) {
        INFO(command);
        std::vector<std::string> args{"--plugin-dir", k_fixtures, "--backend", "fx-available"};
        if (std::string(command) == "service stop") args.emplace_back("service");
        args.insert(args.end(), {"stop", "--name", "mute-stop", "--json"});
        auto silent = run_ductor(args, env);
        CHECK(silent.exit_code == 1);
        CHECK(contains(silent.err, "stop_service() failed and gave no reason"));
        CHECK_FALSE(contains(silent.out, "\"ok\": true"));
    }
}

TEST_CASE("a value the backend cannot carry is the same usage error with and without --dry-run") {
    ductor::test::TempDir home;
    auto env = isolated_home(home);
    env.emplace_back("DUCTOR_HOME", (home.path() / "dh").string());
    for (bool dry : {true, false}) {
        std::vector<std::string> args{"--plugin-dir", k_fixtures, "--backend", "fx-available",
                                      "service",      "install",  "--name",    "unrenderable"};
        if (dry) args.emplace_back("--dry-run");
        args.insert(args.end(), {"--", "/bin/true"});
        auto result = run_ductor(args, env);
        INFO("dry run: " << dry);
        CHECK(result.exit_code == 2);
        CHECK(contains(result.err, "fixture: cannot carry this service"));
        CHECK_FALSE(std::filesystem::exists(home.path() / "dh" / "fixture-unrenderable.installed"));
    }
}

TEST_CASE("status exit code follows the state: not installed is 4") {
    ductor::test::TempDir home;
    auto result = run_ductor({"--plugin-dir", k_fixtures, "--backend", "fx-high", "service", "status", "--json"},
                             isolated_home(home));
    CHECK(result.exit_code == 4);
    CHECK(contains(result.out, "\"state\": \"not-installed\""));
    CHECK(contains(result.out, "\"fixture\": \"fx-high\""));
}

TEST_CASE("a --dry-run previews an unavailable backend and writes nothing") {
    ductor::test::TempDir home;
    auto result = run_ductor({"--plugin-dir", k_fixtures, "--backend", "fx-unavailable", "service", "install",
                              "--dry-run", "--", "sh", "-c", "echo"},
                             isolated_home(home));
    CHECK(result.exit_code == 0);
    CHECK(contains(result.out, "dry run with the fx-unavailable backend"));
    CHECK(contains(result.out, "argv0=/"));
    CHECK(contains(result.out, "fixturectl enable ductor"));
    CHECK(std::filesystem::is_empty(home.path()));
}

TEST_CASE("with no plugin usable, the automatic choice exits 5 and lists every reason") {
    // A copy of ductor in a folder of its own has no plugins beside it.
    ductor::test::TempDir dir;
    auto exe = dir.path() / "bin" / "ductor";
    std::filesystem::create_directories(exe.parent_path());
    std::filesystem::copy_file(DUCTOR_TEST_EXE, exe);
    auto only = dir.path() / "plugins";
    std::filesystem::create_directories(only);
    std::filesystem::copy_file(k_fixtures + "/fx_unavailable.so", only / "fx_unavailable.so");
    std::filesystem::copy_file(k_fixtures + "/fx_abi_major.so", only / "fx_abi_major.so");
    for (std::vector<std::string> args : {std::vector<std::string>{"service", "status"},
                                          {"service", "install", "--", "/bin/true"},
                                          {"service", "logs"}}) {
        auto result = run_ductor(args, {{"HOME", dir.path().string()}, {"DUCTOR_PLUGIN_PATH", only.string()}}, exe);
        CHECK(result.exit_code == 5);
        CHECK(contains(result.err, "no usable service backend"));
        CHECK(contains(result.err, "fixture: never available"));
        CHECK(contains(result.err, "ABI 99.0"));
    }
    auto dry = run_ductor({"service", "install", "--dry-run", "--", "/bin/true"},
                          {{"HOME", dir.path().string()}, {"DUCTOR_PLUGIN_PATH", only.string()}}, exe);
    CHECK(dry.exit_code == 5);
    CHECK(contains(dry.err, "add --backend NAME"));
}

TEST_CASE("DUCTOR_BACKEND naming a missing backend exits 5 and says so") {
    ductor::test::TempDir home;
    std::filesystem::create_directories(home.path() / "empty");  // a --plugin-dir must exist
    auto result = run_ductor(
        {"--plugin-dir", (home.path() / "empty").string(), "service", "install", "--dry-run", "--", "/bin/true"},
        {{"HOME", home.path().string()}, {"XDG_RUNTIME_DIR", ""}, {"DUCTOR_BACKEND", "fx-nope"}});
    CHECK(result.exit_code == 5);
    CHECK(contains(result.err, "no backend named 'fx-nope'"));
}
