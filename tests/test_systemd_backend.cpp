#include <catch2/catch.hpp>

#include "fake_host.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/systemd/backend.hpp>
#include <ductor/systemd/unit_file.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace ductor;
using namespace ductor::systemd;
using Lines = std::vector<std::string>;

namespace {

sdk::ServiceSpec bot_spec() {
    sdk::ServiceSpec spec;
    spec.name = "bot";
    spec.argv = {"/usr/bin/bot", "--serve"};
    return spec;
}

const std::string k_show =
    "systemctl --user show -p LoadState -p ActiveState -p SubState -p Result -p UnitFileState "
    "-p MainPID -p ExecMainCode -p ExecMainStatus -p NRestarts -p LoadError -p NeedDaemonReload -p FragmentPath "
    "bot.service";
const std::string k_load = "systemctl --user show -p LoadState -p LoadError bot.service";

// The manager loads every unit it is given.
void manager_loads(test::FakeHost& host) {
    host.respond({"systemctl", "--user", "show", "-p", "LoadState", "-p", "LoadError"},
                 test::FakeHost::exited(0, "LoadState=loaded\nLoadError=\n"));
}

void manager_says_stopped(test::FakeHost& host) {
    manager_loads(host);
    host.respond({"systemctl", "--user", "is-active"}, test::FakeHost::exited(3, "inactive\n"));
}

}  // namespace

TEST_CASE("systemd is available only with a booted systemd and a user manager socket, without running anything") {
    test::FakeHost host;
    SystemdBackend backend(host);
    host.set_env("XDG_RUNTIME_DIR", "/run/user/1000");
    host.pretend_exists("/run/user/1000/systemd/private");
    CHECK_FALSE(backend.is_service_available().available);
    CHECK_THAT(backend.is_service_available().reason, Catch::Contains("/run/systemd/system"));
    host.pretend_exists("/run/systemd/system");
    CHECK(backend.is_service_available().available);

    test::FakeHost bus_only;
    SystemdBackend bus_backend(bus_only);
    bus_only.pretend_exists("/run/systemd/system");
    CHECK_FALSE(bus_backend.is_service_available().available);
    bus_only.pretend_exists("/run/user/1000/bus");  // no XDG_RUNTIME_DIR: /run/user/<uid>
    CHECK(bus_backend.is_service_available().available);
    CHECK(host.calls().empty());
    CHECK(bus_only.calls().empty());
}

TEST_CASE("install writes the unit atomically and runs daemon-reload, enable, start") {
    test::FakeHost host;
    manager_says_stopped(host);
    SystemdBackend backend(host);
    auto spec = bot_spec();
    auto result = backend.install_service(spec);
    REQUIRE(result.ok);
    CHECK(host.call_lines() == Lines{"systemctl --user is-active bot.service", "systemctl --user daemon-reload", k_load,
                                     "systemctl --user enable bot.service", "systemctl --user start bot.service",
                                     k_show});
    const auto path = host.home_directory() / ".config/systemd/user/bot.service";
    CHECK(backend.unit_path(spec) == path);
    CHECK(platform::read_file(path) == backend.render(spec).files.front().content);
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) == std::filesystem::perms(0644));
    CHECK(backend.is_service_installed(spec));
}

TEST_CASE("re-installing a running service restarts it so the new unit applies") {
    test::FakeHost host;
    manager_loads(host);
    SystemdBackend backend(host);
    REQUIRE(backend.install_service(bot_spec()).ok);  // is-active answers 0: running
    const auto lines = host.call_lines();
    CHECK(std::find(lines.begin(), lines.end(), "systemctl --user restart bot.service") != lines.end());
}

TEST_CASE("install reports systemctl's own message and stops at the failing step") {
    test::FakeHost host;
    manager_says_stopped(host);
    host.respond({"systemctl", "--user", "enable"},
                 test::FakeHost::exited(1, "", "Failed to enable unit: Unit file bot.service does not exist.\n"));
    SystemdBackend backend(host);
    auto result = backend.install_service(bot_spec());
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("Failed to enable unit: Unit file bot.service does not exist."));
    CHECK_THAT(result.error, Catch::Contains("systemctl --user enable bot.service"));
    const auto lines = host.call_lines();
    CHECK(std::find(lines.begin(), lines.end(), "systemctl --user start bot.service") == lines.end());
    // All or nothing: a first install that fails leaves no unit behind.
    CHECK_FALSE(std::filesystem::exists(host.home_directory() / ".config/systemd/user/bot.service"));
    CHECK(lines.back() == "systemctl --user reset-failed bot.service");
}

TEST_CASE("a unit the manager refuses puts the previous unit back and says why") {
    test::FakeHost host;
    host.respond({"systemctl", "--user", "show", "-p", "LoadState", "-p", "LoadError"},
                 test::FakeHost::exited(0, "LoadState=loaded\n"), true);  // the first install only
    host.respond({"systemctl", "--user", "is-active"}, test::FakeHost::exited(3, "inactive\n"));
    SystemdBackend backend(host);
    auto spec = bot_spec();
    REQUIRE(backend.install_service(spec).ok);
    const auto path = backend.unit_path(spec);
    const auto working = platform::read_file(path);
    host.respond({"systemctl", "--user", "show", "-p", "LoadState", "-p", "LoadError"},
                 test::FakeHost::exited(0,
                                        "LoadState=bad-setting\nLoadError=org.freedesktop.systemd1.BadSetting "
                                        "\"Unit bot.service has a bad unit file setting.\"\n"),
                 true);
    spec.argv.push_back("--changed");
    auto result = backend.install_service(spec);
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("LoadState=bad-setting") && Catch::Contains("bad unit file setting"));
    CHECK(platform::read_file(path) == working);
    CHECK_THAT(result.notes.back(), Catch::Contains("previous unit file was put back"));
}

TEST_CASE("a service that fails at once makes install fail and removes the new unit") {
    test::FakeHost host;
    manager_says_stopped(host);
    host.respond({"systemctl", "--user", "show", "-p", "LoadState", "-p", "ActiveState"},
                 test::FakeHost::exited(0,
                                        "LoadState=loaded\nActiveState=activating\nSubState=auto-restart\n"
                                        "ExecMainCode=1\nExecMainStatus=203\n"));
    SystemdBackend backend(host);
    auto result = backend.install_service(bot_spec());
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("did not stay up") && Catch::Contains("exit 203"));
    CHECK_FALSE(std::filesystem::exists(backend.unit_path(bot_spec())));
}

TEST_CASE("install refuses a unit of that name that ductor did not write, unless forced") {
    test::FakeHost host;
    manager_says_stopped(host);
    SystemdBackend backend(host);
    auto spec = bot_spec();
    const auto path = backend.unit_path(spec);
    REQUIRE(
        platform::write_file_atomic(path, "[Service]\nExecStart=/usr/bin/theirs\n", std::filesystem::perms(0644)).ok);
    auto rendering = backend.render(spec);
    CHECK_THAT(rendering.error, Catch::Contains("not written by ductor") && Catch::Contains("--force"));
    CHECK_FALSE(backend.install_service(spec).ok);
    CHECK(platform::read_file(path) == "[Service]\nExecStart=/usr/bin/theirs\n");
    spec.overwrite = sdk::Overwrite::allow;
    CHECK(backend.render(spec).error.empty());

    test::FakeHost system;
    system.pretend_exists("/usr/lib/systemd/user/dbus.service");
    SystemdBackend system_backend(system);
    auto dbus = bot_spec();
    dbus.name = "dbus";
    CHECK_THAT(system_backend.render(dbus).error, Catch::Contains("a unit of the system"));
    dbus.overwrite = sdk::Overwrite::allow;
    CHECK(system_backend.render(dbus).error.empty());
}

TEST_CASE("install explains missing linger, and enables it only when asked") {
    test::FakeHost host;
    manager_says_stopped(host);
    SystemdBackend backend(host);
    auto spec = bot_spec();
    auto reported = backend.install_service(spec);
    REQUIRE(reported.ok);
    REQUIRE_FALSE(reported.notes.empty());
    CHECK_THAT(reported.notes.front(), Catch::Contains("loginctl enable-linger tester"));
    CHECK_THAT(reported.notes.front(), Catch::Contains("logout"));
    for (const auto& line : host.call_lines())
        CHECK_THAT(line, !Catch::Contains("loginctl") && !Catch::Contains("sudo"));

    test::FakeHost asked;
    manager_says_stopped(asked);
    SystemdBackend asked_backend(asked);
    spec.linger = sdk::Linger::enable;
    REQUIRE(asked_backend.install_service(spec).ok);
    CHECK(asked.call_lines().front() == "loginctl enable-linger tester");

    test::FakeHost lingering;
    lingering.pretend_exists("/var/lib/systemd/linger/tester");
    manager_says_stopped(lingering);
    SystemdBackend lingering_backend(lingering);
    auto quiet = lingering_backend.install_service(spec);
    REQUIRE(quiet.ok);
    for (const auto& line : lingering.call_lines()) CHECK_THAT(line, !Catch::Contains("loginctl"));
    for (const auto& note : quiet.notes) CHECK_THAT(note, !Catch::Contains("linger"));
}

TEST_CASE("install refuses a spec the unit cannot carry and writes nothing") {
    test::FakeHost host;
    SystemdBackend backend(host);
    auto spec = bot_spec();
    spec.argv.push_back("bad\nline");
    auto result = backend.install_service(spec);
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("line break"));
    CHECK(host.calls().empty());
    CHECK_FALSE(backend.is_service_installed(spec));
}

TEST_CASE("render writes and runs nothing and lists the commands install runs") {
    test::FakeHost host;
    std::filesystem::create_directories(host.home_directory() / ".nvm/versions/node/v9.11.2/bin");
    std::filesystem::create_directories(host.home_directory() / ".nvm/versions/node/v22.1.0/bin");
    host.set_env("XDG_CONFIG_HOME", (host.root() / "cfg").string());
    SystemdBackend backend(host);
    auto rendering = backend.render(bot_spec());
    REQUIRE(rendering.error.empty());
    CHECK(host.calls().empty());
    REQUIRE(rendering.files.size() == 1);
    CHECK(rendering.files.front().path == host.root() / "cfg/systemd/user/bot.service");
    CHECK_FALSE(std::filesystem::exists(rendering.files.front().path));
    const auto home = host.home_directory().string();
    CHECK_THAT(rendering.files.front().content,
               Catch::Contains("Environment=\"PATH=" + home + "/.local/bin:" + home +
                               "/.nvm/versions/node/v22.1.0/bin:" + home +
                               "/.nvm/versions/node/v9.11.2/bin:/usr/local/bin:/usr/bin:/bin\""));
    REQUIRE(rendering.commands.size() == 3);
    CHECK(rendering.commands[1] == std::vector<std::string>{"systemctl", "--user", "enable", "bot.service"});
}

TEST_CASE("start, stop and restart are the systemctl verbs") {
    test::FakeHost host;
    SystemdBackend backend(host);
    REQUIRE(backend.start_service(bot_spec()).ok);
    REQUIRE(backend.stop_service(bot_spec()).ok);
    REQUIRE(backend.restart_service(bot_spec()).ok);
    CHECK(host.call_lines() == Lines{"systemctl --user start bot.service", "systemctl --user stop bot.service",
                                     "systemctl --user restart bot.service"});
    host.respond({"systemctl", "--user", "stop"}, test::FakeHost::exited(5, "", "Unit bot.service not loaded.\n"));
    CHECK_THAT(backend.stop_service(bot_spec()).error, Catch::Contains("Unit bot.service not loaded."));
}

TEST_CASE("uninstall stops, disables, removes, reloads and resets; a second uninstall says not installed") {
    test::FakeHost host;
    manager_says_stopped(host);
    SystemdBackend backend(host);
    auto spec = bot_spec();
    REQUIRE(backend.install_service(spec).ok);
    host.respond({"systemctl", "--user", "show"}, test::FakeHost::exited(0, "LoadState=loaded\nActiveState=active\n"),
                 true);
    const auto before = host.calls().size();
    REQUIRE(backend.uninstall_service(spec).ok);
    const auto all = host.call_lines();
    Lines lines(all.begin() + static_cast<std::ptrdiff_t>(before), all.end());
    CHECK(lines == Lines{k_show, "systemctl --user stop bot.service", "systemctl --user disable bot.service",
                         "systemctl --user daemon-reload", "systemctl --user reset-failed bot.service"});
    CHECK_FALSE(backend.is_service_installed(spec));

    host.respond({"systemctl", "--user", "show"},
                 test::FakeHost::exited(0, "LoadState=not-found\nActiveState=inactive\n"));
    auto again = backend.uninstall_service(spec);
    REQUIRE(again.ok);
    REQUIRE(again.notes.size() == 1);
    CHECK_THAT(again.notes.front(), Catch::Contains("not installed"));
    CHECK(host.call_lines().back() == k_show);
}

TEST_CASE("status reports a unit that runs without its file, one not reloaded, and one the manager refuses") {
    auto problem_of = [](const sdk::ServiceStatus& status) {
        for (const auto& field : status.detail) {
            if (field.key == sdk::k_problem_detail) return field.value;
        }
        return std::string();
    };
    test::FakeHost host;
    SystemdBackend backend(host);
    host.respond({"systemctl", "--user", "show"},
                 test::FakeHost::exited(0, "LoadState=not-found\nActiveState=active\nSubState=running\nMainPID=77\n"),
                 true);
    auto orphan = backend.service_status(bot_spec());
    CHECK(orphan.state == sdk::ServiceState::running);
    CHECK_THAT(problem_of(orphan), Catch::Contains("orphaned"));
    host.respond({"systemctl", "--user", "show"},
                 test::FakeHost::exited(0, "LoadState=not-found\nActiveState=active\nSubState=running\n"), true);
    CHECK(backend.is_service_installed(bot_spec()));  // so that stop and uninstall reach it

    REQUIRE(platform::write_file_atomic(backend.unit_path(bot_spec()), std::string(k_unit_marker) + "\n",
                                        std::filesystem::perms(0644))
                .ok);
    host.respond({"systemctl", "--user", "show"},
                 test::FakeHost::exited(0, "LoadState=loaded\nActiveState=active\nNeedDaemonReload=yes\n"), true);
    CHECK_THAT(problem_of(backend.service_status(bot_spec())), Catch::Contains("NeedDaemonReload=yes"));
    host.respond({"systemctl", "--user", "show"},
                 test::FakeHost::exited(0, "LoadState=masked\nActiveState=inactive\nLoadError=masked unit\n"), true);
    CHECK_THAT(problem_of(backend.service_status(bot_spec())), Catch::Contains("LoadState=masked"));
    host.respond({"systemctl", "--user", "show"},
                 test::FakeHost::exited(0, "LoadState=loaded\nActiveState=active\nNeedDaemonReload=no\n"), true);
    CHECK(problem_of(backend.service_status(bot_spec())).empty());
}

TEST_CASE("status asks systemctl show for machine-readable properties") {
    test::FakeHost host;
    host.respond({"systemctl", "--user", "show"},
                 test::FakeHost::exited(0, "LoadState=not-found\nActiveState=inactive\nSubState=dead\n"));
    SystemdBackend backend(host);
    CHECK(backend.service_status(bot_spec()).state == sdk::ServiceState::not_installed);
    CHECK(host.call_lines() == Lines{k_show});
    CHECK(host.calls().front().environment ==
          std::vector<std::pair<std::string, std::string>>{{"LC_ALL", "C"}, {"SYSTEMD_PAGER", ""}});
}

TEST_CASE("status of an installed unit the manager cannot be asked about is unknown with the reason") {
    test::FakeHost host;
    manager_says_stopped(host);
    SystemdBackend backend(host);
    REQUIRE(backend.install_service(bot_spec()).ok);
    host.respond({"systemctl", "--user", "show"},
                 test::FakeHost::exited(1, "", "Failed to connect to bus: No medium found\n"));
    auto status = backend.service_status(bot_spec());
    CHECK(status.state == sdk::ServiceState::unknown);
    CHECK_THAT(status.error, Catch::Contains("Failed to connect to bus"));
}

TEST_CASE("logs come from journalctl for the user's unit, without hostnames") {
    test::FakeHost host;
    host.pretend_exists("/usr/bin/journalctl");
    SystemdBackend backend(host);
    auto source = backend.service_logs(bot_spec(), sdk::LogRequest{20, true});
    CHECK(source.error.empty());
    CHECK(source.command == std::vector<std::string>{"/usr/bin/journalctl", "--user", "--unit=bot.service",
                                                     "--no-hostname", "--no-pager", "--lines=20", "--follow"});
    host.set_user_id(0);
    auto root = backend.service_logs(bot_spec(), sdk::LogRequest{});
    CHECK(root.command == std::vector<std::string>{"/usr/bin/journalctl", "--user-unit=bot.service", "--no-hostname",
                                                   "--no-pager", "--lines=50"});
    CHECK(host.calls().empty());
}

TEST_CASE("logs say clearly when journalctl is missing") {
    test::FakeHost host;
    host.set_env("PATH", "/nowhere");
    SystemdBackend backend(host);
    auto source = backend.service_logs(bot_spec(), sdk::LogRequest{});
    CHECK(source.command.empty());
    CHECK_THAT(source.error, Catch::Contains("journalctl was not found"));
}
