#include <catch2/catch.hpp>

#include "fake_host.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/systemd/backend.hpp>
#include <ductor/systemd/bus_manager.hpp>
#include <ductor/systemd/status.hpp>
#include <ductor/systemd/unit_file.hpp>

#include <algorithm>
#include <memory>
#include <sstream>
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

// What the scripted manager is asked and answers; the test keeps it, the backend owns the FakeManager.
struct Script {
    std::vector<std::string> calls;           // "reload", "enable bot.service", "properties bot.service: A B", ...
    Properties unit;                          // the unit's properties; properties() answers those asked for
    std::map<std::string, std::string> fail;  // call line -> the manager's words when that call fails
    std::string unreachable;                  // set: properties() cannot ask the manager, and says this
    std::string journal;                      // what journal_tail() answers
};

class FakeManager final : public Manager {
public:
    explicit FakeManager(Script& script) : m_script(script) {}
    sdk::Expected<void> check_usable() override { return {}; }
    sdk::Expected<Properties> properties(const std::string& unit, const std::vector<std::string>& names) override {
        std::string line = "properties " + unit + ":";
        for (const auto& name : names) line += " " + name;
        m_script.calls.push_back(line);
        if (!m_script.unreachable.empty()) return sdk::unexpected(m_script.unreachable);
        Properties answer;
        for (const auto& name : names) {
            if (auto it = m_script.unit.find(name); it != m_script.unit.end()) answer[name] = it->second;
        }
        return answer;
    }
    sdk::Expected<void> reload() override { return call("reload"); }
    sdk::Expected<void> enable(const std::string& unit) override { return call("enable " + unit); }
    sdk::Expected<void> disable(const std::string& unit) override { return call("disable " + unit); }
    sdk::Expected<void> run_job(JobVerb verb, const std::string& unit) override {
        return call(std::string(verb_name(verb)) + " " + unit);
    }
    sdk::Expected<void> reset_failed(const std::string& unit) override { return call("reset-failed " + unit); }
    std::string journal_tail(const std::string& unit, unsigned lines) override {
        m_script.calls.push_back("journal " + unit + " " + std::to_string(lines));
        return m_script.journal;
    }
    sdk::Expected<void> write_journal(const std::string& unit, unsigned lines, bool follow,
                                      std::ostream& out) override {
        m_script.calls.push_back("write-journal " + unit + " " + std::to_string(lines) + (follow ? " follow" : ""));
        out << m_script.journal;
        return {};
    }

private:
    sdk::Expected<void> call(const std::string& line) {
        m_script.calls.push_back(line);
        if (auto it = m_script.fail.find(line); it != m_script.fail.end()) return sdk::unexpected(it->second);
        return {};
    }
    Script& m_script;
};

// A backend on `host` that talks to the scripted manager.
struct Fixture {
    test::FakeHost host;
    Script manager;
    SystemdBackend backend{host, std::make_unique<FakeManager>(manager)};
};

std::string asked(const std::vector<std::string>& names) {
    std::string line = "properties bot.service:";
    for (const auto& name : names) line += " " + name;
    return line;
}
const std::string k_status = asked(k_status_properties);
const std::string k_load = asked({"LoadState", "LoadError"});
const std::string k_active = asked({"ActiveState"});

// The manager loads every unit it is given, and the service is not running.
void manager_says_stopped(Script& manager) {
    manager.unit = {{"LoadState", "loaded"}, {"ActiveState", "inactive"}, {"SubState", "dead"}};
}

}  // namespace

TEST_CASE("systemd is available only with a booted systemd and a user manager socket, without running anything") {
    Fixture f;
    f.host.set_env("XDG_RUNTIME_DIR", "/run/user/1000");
    f.host.pretend_exists("/run/user/1000/systemd/private");
    CHECK_FALSE(f.backend.is_service_available().available);
    CHECK_THAT(f.backend.is_service_available().reason, Catch::Contains("/run/systemd/system"));
    f.host.pretend_exists("/run/systemd/system");
    CHECK(f.backend.is_service_available().available);

    Fixture bus_only;
    bus_only.host.pretend_exists("/run/systemd/system");
    CHECK_FALSE(bus_only.backend.is_service_available().available);
    bus_only.host.pretend_exists("/run/user/1000/bus");  // no XDG_RUNTIME_DIR: /run/user/<uid>
    CHECK(bus_only.backend.is_service_available().available);
    CHECK(f.host.calls().empty());
    CHECK(bus_only.host.calls().empty());
    CHECK(f.manager.calls.empty());  // nor asks the manager anything
    CHECK(bus_only.manager.calls.empty());
}

TEST_CASE("without libsystemd the backend loads, is unavailable with the reason, and fails every call with it") {
    test::FakeHost host;
    host.pretend_exists("/run/systemd/system");
    host.pretend_exists("/run/user/1000/systemd/private");
    SystemdBackend backend(host, make_bus_manager(host, "libsystemd-absent-for-this-test.so.0"));
    auto availability = backend.is_service_available();
    CHECK_FALSE(availability.available);
    CHECK_THAT(availability.reason,
               Catch::Contains("libsystemd-absent-for-this-test.so.0") && Catch::Contains("libsystemd0"));
    auto status = backend.service_status(bot_spec());
    CHECK(status.state == sdk::ServiceState::not_installed);  // no unit file, and no manager to say otherwise
    auto started = backend.start_service(bot_spec());
    CHECK_FALSE(started.ok);
    CHECK_THAT(started.error, Catch::Contains("libsystemd-absent-for-this-test.so.0"));
    CHECK(host.calls().empty());
}

TEST_CASE("install writes the unit atomically, then enables, reloads and starts it") {
    Fixture f;
    manager_says_stopped(f.manager);
    auto spec = bot_spec();
    auto result = f.backend.install_service(spec);
    REQUIRE(result.ok);
    CHECK(f.manager.calls == Lines{k_active, "enable bot.service", "reload", k_load, "start bot.service", k_status});
    CHECK(f.host.calls().empty());  // no systemctl: every step is a call to the manager
    const auto path = f.host.home_directory() / ".config/systemd/user/bot.service";
    CHECK(f.backend.unit_path(spec) == path);
    CHECK(platform::read_file(path) == f.backend.render(spec).files.front().content);
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) == std::filesystem::perms(0644));
    CHECK(f.backend.is_service_installed(spec));
}

TEST_CASE("re-installing a running service restarts it so the new unit applies") {
    Fixture f;
    f.manager.unit = {{"LoadState", "loaded"}, {"ActiveState", "active"}, {"SubState", "running"}};
    REQUIRE(f.backend.install_service(bot_spec()).ok);
    const auto& lines = f.manager.calls;
    CHECK(std::find(lines.begin(), lines.end(), "restart bot.service") != lines.end());
    CHECK(std::find(lines.begin(), lines.end(), "start bot.service") == lines.end());
}

TEST_CASE("install reports the manager's own message and stops at the failing step") {
    Fixture f;
    manager_says_stopped(f.manager);
    f.manager.fail["enable bot.service"] =
        "systemd could not enable bot.service: Unit file bot.service does not exist.";
    auto result = f.backend.install_service(bot_spec());
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("could not enable bot.service: Unit file bot.service does not exist."));
    const auto& lines = f.manager.calls;
    CHECK(std::find(lines.begin(), lines.end(), "start bot.service") == lines.end());
    // All or nothing: a first install that fails leaves no unit behind.
    CHECK_FALSE(std::filesystem::exists(f.host.home_directory() / ".config/systemd/user/bot.service"));
    CHECK(lines.back() == "reset-failed bot.service");
}

TEST_CASE("a unit the manager refuses puts the previous unit back and says why") {
    Fixture f;
    manager_says_stopped(f.manager);
    auto spec = bot_spec();
    REQUIRE(f.backend.install_service(spec).ok);
    const auto path = f.backend.unit_path(spec);
    const auto working = platform::read_file(path);
    f.manager.unit["LoadState"] = "bad-setting";
    f.manager.unit["LoadError"] =
        "org.freedesktop.systemd1.BadSetting \"Unit bot.service has a bad unit file setting.\"";
    spec.argv.push_back("--changed");
    auto result = f.backend.install_service(spec);
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("LoadState=bad-setting") && Catch::Contains("bad unit file setting"));
    CHECK(platform::read_file(path) == working);
    CHECK_THAT(result.notes.back(), Catch::Contains("previous unit file was put back"));
    CHECK(f.manager.calls.back() == "reload");  // the manager reads the previous unit again
}

TEST_CASE("a service that fails at once makes install fail with its last words and removes the new unit") {
    Fixture f;
    f.manager.unit = {{"LoadState", "loaded"}, {"ActiveState", "activating"}, {"SubState", "auto-restart"},
                      {"Result", "exit-code"}, {"ExecMainCode", "1"},         {"ExecMainStatus", "203"}};
    f.manager.journal = "Dec 02 11:00:00 bot[42]: cannot open the config\n";
    auto result = f.backend.install_service(bot_spec());
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("did not stay up") && Catch::Contains("exit 203"));
    CHECK_THAT(result.error, Catch::Contains("SubState=auto-restart") && Catch::Contains("Result=exit-code"));
    CHECK_THAT(result.error, Catch::Contains("last log lines:\nDec 02 11:00:00 bot[42]: cannot open the config"));
    CHECK_FALSE(std::filesystem::exists(f.backend.unit_path(bot_spec())));
    const auto& lines = f.manager.calls;
    CHECK(std::find(lines.begin(), lines.end(), "journal bot.service 10") != lines.end());
    CHECK(std::find(lines.begin(), lines.end(), "disable bot.service") != lines.end());
}

TEST_CASE("a start job that fails makes install fail and removes the new unit") {
    Fixture f;
    manager_says_stopped(f.manager);
    f.manager.fail["start bot.service"] = "systemd could not start bot.service (job result: failed)";
    auto result = f.backend.install_service(bot_spec());
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("job result: failed"));
    CHECK_FALSE(std::filesystem::exists(f.backend.unit_path(bot_spec())));
    CHECK_THAT(result.notes.back(), Catch::Contains("nothing of the new service was left"));
}

TEST_CASE("install refuses a unit of that name that ductor did not write, unless forced") {
    Fixture f;
    manager_says_stopped(f.manager);
    auto spec = bot_spec();
    const auto path = f.backend.unit_path(spec);
    REQUIRE(platform::write_file_atomic(path, "[Service]\nExecStart=/usr/bin/theirs\n", std::filesystem::perms(0644)));
    auto rendering = f.backend.render(spec);
    CHECK_THAT(rendering.error, Catch::Contains("not written by ductor") && Catch::Contains("--force"));
    CHECK_FALSE(f.backend.install_service(spec).ok);
    CHECK(platform::read_file(path) == "[Service]\nExecStart=/usr/bin/theirs\n");
    CHECK(f.manager.calls.empty());
    spec.overwrite = sdk::Overwrite::allow;
    CHECK(f.backend.render(spec).error.empty());
    // Something in its place that cannot be read is not taken for ductor's: a folder, a symlink
    // to nothing.
    spec.overwrite = sdk::Overwrite::refuse_foreign;
    std::filesystem::remove(path);
    std::filesystem::create_directory(path);
    CHECK_THAT(f.backend.render(spec).error,
               Catch::Contains("exists but cannot be read") && Catch::Contains("--force"));
    std::filesystem::remove(path);
    std::filesystem::create_symlink(path.parent_path() / "gone", path);
    CHECK_THAT(f.backend.render(spec).error, Catch::Contains("exists but cannot be read"));
    std::filesystem::remove(path);
    CHECK(f.backend.render(spec).error.empty());

    Fixture system;
    system.host.pretend_exists("/usr/lib/systemd/user/dbus.service");
    auto dbus = bot_spec();
    dbus.name = "dbus";
    CHECK_THAT(system.backend.render(dbus).error, Catch::Contains("a unit of the system"));
    dbus.overwrite = sdk::Overwrite::allow;
    CHECK(system.backend.render(dbus).error.empty());
}

TEST_CASE("linger: read from logind's marker, explained, and enabled only through enable_linger()") {
    Fixture f;
    CHECK_FALSE(f.backend.lingers());
    CHECK_THAT(f.backend.linger_explanation(), Catch::Contains("loginctl enable-linger tester"));
    CHECK_THAT(f.backend.linger_explanation(), Catch::Contains("logout"));
    CHECK(f.backend.enable_linger_command() == Lines{"loginctl", "enable-linger", "tester"});
    // install and render leave linger to the core (sdk::LingerControl).
    manager_says_stopped(f.manager);
    auto spec = bot_spec();
    auto installed = f.backend.install_service(spec);
    REQUIRE(installed.ok);
    for (const auto& note : installed.notes) CHECK_THAT(note, !Catch::Contains("linger"));
    auto rendering = f.backend.render(spec);
    for (const auto& note : rendering.notes) CHECK_THAT(note, !Catch::Contains("linger"));
    for (const auto& command : rendering.commands) CHECK(command.front() != "loginctl");
    for (const auto& line : f.host.call_lines())
        CHECK_THAT(line, !Catch::Contains("loginctl") && !Catch::Contains("sudo"));

    Fixture asked_for;
    REQUIRE(asked_for.backend.enable_linger().ok);
    CHECK(asked_for.host.call_lines() == Lines{"loginctl enable-linger tester"});

    Fixture lingering;
    lingering.host.pretend_exists("/var/lib/systemd/linger/tester");
    CHECK(lingering.backend.lingers());
}

TEST_CASE("install refuses a spec the unit cannot carry and writes nothing") {
    Fixture f;
    auto spec = bot_spec();
    spec.argv.push_back("bad\nline");
    auto result = f.backend.install_service(spec);
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("line break"));
    CHECK(f.host.calls().empty());
    CHECK(f.manager.calls.empty());
    CHECK_FALSE(f.backend.is_service_installed(spec));
}

TEST_CASE("render writes and runs nothing and lists the systemctl equivalents of what install does") {
    Fixture f;
    std::filesystem::create_directories(f.host.home_directory() / ".nvm/versions/node/v9.11.2/bin");
    std::filesystem::create_directories(f.host.home_directory() / ".nvm/versions/node/v22.1.0/bin");
    f.host.set_env("XDG_CONFIG_HOME", (f.host.root() / "cfg").string());
    auto rendering = f.backend.render(bot_spec());
    REQUIRE(rendering.error.empty());
    CHECK(f.host.calls().empty());
    CHECK(f.manager.calls.empty());
    REQUIRE(rendering.files.size() == 1);
    CHECK(rendering.files.front().path == f.host.root() / "cfg/systemd/user/bot.service");
    CHECK_FALSE(std::filesystem::exists(rendering.files.front().path));
    const auto home = f.host.home_directory().string();
    CHECK_THAT(rendering.files.front().content,
               Catch::Contains("Environment=\"PATH=" + home + "/.local/bin:" + home +
                               "/.nvm/versions/node/v22.1.0/bin:" + home +
                               "/.nvm/versions/node/v9.11.2/bin:/usr/local/bin:/usr/bin:/bin\""));
    CHECK(rendering.commands == std::vector<std::vector<std::string>>{{"systemctl", "--user", "enable", "bot.service"},
                                                                      {"systemctl", "--user", "daemon-reload"},
                                                                      {"systemctl", "--user", "start", "bot.service"}});
}

TEST_CASE("start, stop and restart are the manager's jobs") {
    Fixture f;
    REQUIRE(f.backend.start_service(bot_spec()).ok);
    REQUIRE(f.backend.stop_service(bot_spec()).ok);
    REQUIRE(f.backend.restart_service(bot_spec()).ok);
    CHECK(f.manager.calls == Lines{"start bot.service", "stop bot.service", "restart bot.service"});
    f.manager.fail["stop bot.service"] = "systemd could not stop bot.service: Unit bot.service not loaded.";
    CHECK_THAT(f.backend.stop_service(bot_spec()).error, Catch::Contains("Unit bot.service not loaded."));
    CHECK(f.host.calls().empty());
}

TEST_CASE("uninstall stops, disables, removes, reloads and resets; a second uninstall says not installed") {
    Fixture f;
    manager_says_stopped(f.manager);
    auto spec = bot_spec();
    REQUIRE(f.backend.install_service(spec).ok);
    f.manager.unit = {{"LoadState", "loaded"}, {"ActiveState", "active"}};
    const auto before = f.manager.calls.size();
    REQUIRE(f.backend.uninstall_service(spec).ok);
    Lines lines(f.manager.calls.begin() + static_cast<std::ptrdiff_t>(before), f.manager.calls.end());
    CHECK(lines == Lines{k_status, "stop bot.service", "disable bot.service", "reload", "reset-failed bot.service"});
    CHECK_FALSE(std::filesystem::exists(f.backend.unit_path(spec)));
    f.manager.unit = {{"LoadState", "not-found"}, {"ActiveState", "inactive"}};
    CHECK_FALSE(f.backend.is_service_installed(spec));

    auto again = f.backend.uninstall_service(spec);
    REQUIRE(again.ok);
    REQUIRE(again.notes.size() == 1);
    CHECK_THAT(again.notes.front(), Catch::Contains("not installed"));
    CHECK(f.manager.calls.back() == k_status);
    CHECK(f.host.calls().empty());
}

TEST_CASE("status reports a unit that runs without its file, one not reloaded, and one the manager refuses") {
    auto problem_of = [](const sdk::ServiceStatus& status) {
        for (const auto& field : status.detail) {
            if (field.key == sdk::k_problem_detail) return field.value;
        }
        return std::string();
    };
    Fixture f;
    f.manager.unit = {
        {"LoadState", "not-found"}, {"ActiveState", "active"}, {"SubState", "running"}, {"MainPID", "77"}};
    auto orphan = f.backend.service_status(bot_spec());
    CHECK(orphan.state == sdk::ServiceState::running);
    CHECK(orphan.pid == 77);
    CHECK_THAT(problem_of(orphan), Catch::Contains("orphaned"));
    CHECK(f.backend.is_service_installed(bot_spec()));  // so that stop and uninstall reach it

    REQUIRE(platform::write_file_atomic(f.backend.unit_path(bot_spec()), std::string(k_unit_marker) + "\n",
                                        std::filesystem::perms(0644)));
    f.manager.unit = {{"LoadState", "loaded"}, {"ActiveState", "active"}, {"NeedDaemonReload", "yes"}};
    CHECK_THAT(problem_of(f.backend.service_status(bot_spec())), Catch::Contains("NeedDaemonReload=yes"));
    f.manager.unit = {{"LoadState", "masked"}, {"ActiveState", "inactive"}, {"LoadError", "masked unit"}};
    CHECK_THAT(problem_of(f.backend.service_status(bot_spec())), Catch::Contains("LoadState=masked"));
    f.manager.unit = {{"LoadState", "loaded"}, {"ActiveState", "active"}, {"NeedDaemonReload", "no"}};
    CHECK(problem_of(f.backend.service_status(bot_spec())).empty());
}

TEST_CASE("status asks the manager for the unit's properties and runs no process") {
    Fixture f;
    f.manager.unit = {{"LoadState", "not-found"}, {"ActiveState", "inactive"}, {"SubState", "dead"}};
    CHECK(f.backend.service_status(bot_spec()).state == sdk::ServiceState::not_installed);
    CHECK(f.manager.calls == Lines{k_status});
    CHECK(f.host.calls().empty());

    REQUIRE(platform::write_file_atomic(f.backend.unit_path(bot_spec()), std::string(k_unit_marker) + "\n",
                                        std::filesystem::perms(0644)));
    f.manager.unit = {
        {"LoadState", "loaded"}, {"ActiveState", "failed"}, {"SubState", "failed"},   {"Result", "exit-code"},
        {"MainPID", "0"},        {"ExecMainCode", "1"},     {"ExecMainStatus", "42"}, {"UnitFileState", "enabled"}};
    auto failed = f.backend.service_status(bot_spec());
    CHECK(failed.state == sdk::ServiceState::stopped);
    CHECK_FALSE(failed.pid);
    CHECK(failed.last_exit_code == 42);
}

TEST_CASE("status of an installed unit the manager cannot be asked about is unknown with the reason") {
    Fixture f;
    manager_says_stopped(f.manager);
    REQUIRE(f.backend.install_service(bot_spec()).ok);
    f.manager.unreachable =
        "cannot connect to the systemd user manager (/run/user/1000/systemd/private): "
        "Connection refused";
    auto status = f.backend.service_status(bot_spec());
    CHECK(status.state == sdk::ServiceState::unknown);
    CHECK_THAT(status.error, Catch::Contains("Connection refused"));
}

TEST_CASE("logs come from journalctl for the user's unit, without hostnames") {
    Fixture f;
    auto& host = f.host;
    auto& backend = f.backend;
    host.pretend_exists("/usr/bin/journalctl");
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

TEST_CASE("logs are read from the journal in-process, with the lines asked for and follow") {
    Fixture f;
    f.manager.journal = "Dec 02 11:00:00 bot[42]: hello\n";
    sdk::Backend& backend = f.backend;
    auto* writer = dynamic_cast<sdk::LogWriter*>(&backend);
    REQUIRE(writer != nullptr);
    std::ostringstream out;
    REQUIRE(writer->write_logs(bot_spec(), sdk::LogRequest{20, true}, out).ok);
    REQUIRE(writer->write_logs(bot_spec(), sdk::LogRequest{}, out).ok);
    CHECK(out.str() == f.manager.journal + f.manager.journal);
    CHECK(f.manager.calls == Lines{"write-journal bot.service 20 follow", "write-journal bot.service 50"});
    CHECK(f.host.calls().empty());
}

TEST_CASE("logs say clearly when journalctl is missing") {
    Fixture f;
    auto& backend = f.backend;
    f.host.set_env("PATH", "/nowhere");
    auto source = backend.service_logs(bot_spec(), sdk::LogRequest{});
    CHECK(source.command.empty());
    CHECK_THAT(source.error, Catch::Contains("journalctl was not found"));
}
