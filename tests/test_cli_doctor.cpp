// `ductor doctor` through the built executable: every kind of finding, its
// severity, and the exit code (0 all is well, 1 something needs attention).
#include "run_ductor.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/service/record.hpp>
#include <ductor/standalone/backend.hpp>
#include <ductor/standalone/boot_hook.hpp>

#include <catch2/catch.hpp>

#include <filesystem>

using namespace ductor;
namespace fs = std::filesystem;

namespace {

using Env = std::vector<std::pair<std::string, std::string>>;

const std::string k_fixtures = DUCTOR_TEST_FIXTURE_DIR;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// One finding of doctor's JSON: its severity and subject.
struct Found {
    std::string severity;
    std::string subject;
};

std::string string_after(const std::string& json, const std::string& key, std::size_t from) {
    auto at = json.find("\"" + key + "\": \"", from);
    if (at == std::string::npos) return {};
    at += key.size() + 5;
    return json.substr(at, json.find('"', at) - at);
}

// Every finding of `kind` (each object lists section, severity, kind, subject, message in that order).
std::vector<Found> findings(const std::string& json, const std::string& kind) {
    std::vector<Found> found;
    const std::string needle = "\"kind\": \"" + kind + "\"";
    for (auto at = json.find(needle); at != std::string::npos; at = json.find(needle, at + 1)) {
        auto severity = json.rfind("\"severity\": \"", at);
        found.push_back({string_after(json, "severity", severity), string_after(json, "subject", at)});
    }
    return found;
}

std::string severity_of(const std::string& json, const std::string& kind) {
    auto all = findings(json, kind);
    return all.empty() ? "absent" : all.front().severity;
}

// A user with no systemd user manager, no desktop, ductor's folder on PATH,
// the fixture plugins (fx-high is chosen).
struct Machine {
    test::TempDir dir;
    fs::path ductor_home() const { return dir.path() / "ductor-home"; }
    std::string path_value() const { return fs::path(DUCTOR_TEST_EXE).parent_path().string() + ":/usr/bin:/bin"; }
    Env env() const {
        return {{"HOME", dir.path().string()},
                {"DUCTOR_HOME", ductor_home().string()},
                {"XDG_RUNTIME_DIR", (dir.path() / "no-runtime").string()},
                {"PATH", path_value()},
                {"XDG_CURRENT_DESKTOP", ""},
                {"DISPLAY", ""},
                {"WAYLAND_DISPLAY", ""}};
    }
    sdk::ProcessResult doctor(std::vector<std::string> args = {}, const Env& extra = {}) const {
        args.insert(args.begin(), {"doctor", "--plugin-dir", k_fixtures});
        auto env = this->env();
        env.insert(env.end(), extra.begin(), extra.end());
        auto result = test::run_ductor(args, env);
        INFO(result.out << result.err);
        CHECK_FALSE(result.timed_out);
        return result;
    }
    sdk::ProcessResult json(const Env& extra = {}) const { return doctor({"--json"}, extra); }
    void record(const std::string& name, const std::string& backend, service::Desired desired) const {
        service::InstallRecord record;
        record.backend = backend;
        record.spec.name = name;
        record.spec.argv = {"/bin/sleep", "1000"};
        record.desired = desired;
        REQUIRE(service::save_record(ductor_home(), record));
    }
    // The definition the standalone backend would have written for `name` (no runner runs).
    void standalone_definition(const std::string& name) const {
        REQUIRE(platform::write_file_atomic(
            ductor_home() / "standalone" / (name + ".args"),
            standalone::definition_text({"run", "--name", name, "--", "/bin/sleep"}).value(),
            fs::perms::owner_read | fs::perms::owner_write));
    }
};

}  // namespace

TEST_CASE("doctor with a usable backend and nothing installed exits 0 and gives the install command") {
    Machine machine;
    auto text = machine.doctor();
    CHECK(text.exit_code == 0);
    CHECK(contains(text.out, "fx-high would be used: the usable backend with the highest priority (90)"));
    CHECK(contains(text.out, "ductor service install --plugin-dir " + k_fixtures + " -- PROGRAM [ARGS...]"));
    CHECK(contains(text.out, "All is well."));

    auto json = machine.json();
    CHECK(json.exit_code == 0);
    CHECK(contains(json.out, "\"ok\": true"));
    CHECK(contains(json.out, "\"backend\": \"fx-high\""));
    CHECK(contains(json.out, "\"next\": \"ductor service install --plugin-dir " + k_fixtures));
    CHECK(severity_of(json.out, "backend-selected") == "ok");
    CHECK(severity_of(json.out, "nothing-installed") == "note");
    CHECK(severity_of(json.out, "persistence-unknown") == "note");
    CHECK(severity_of(json.out, "path-ok") == "ok");
    CHECK(severity_of(json.out, "ductor-on-path") == "ok");
    CHECK(severity_of(json.out, "home-missing") == "note");
    CHECK(severity_of(json.out, "next-install") == "note");
    // Every other backend with its reason, and every file that did not load.
    bool standalone = false, unavailable = false;
    for (const auto& other : findings(json.out, "backend-other")) {
        CHECK(other.severity == "note");
        standalone = standalone || other.subject == "standalone";
        unavailable = unavailable || other.subject == "fx-unavailable";
    }
    CHECK(standalone);
    CHECK(unavailable);
    CHECK(contains(json.out, "fixture: never available"));
    CHECK(severity_of(json.out, "plugin-not-loaded") == "note");
}

TEST_CASE("doctor names a backend that cannot be used and exits 1 without an install command") {
    Machine machine;
    auto json = machine.doctor({"--json", "--backend", "fx-unavailable"});
    CHECK(json.exit_code == 1);
    CHECK(severity_of(json.out, "no-backend") == "attention");
    CHECK(contains(json.out, "fixture: never available"));
    CHECK(contains(json.out, "\"next\": null"));
    CHECK(contains(json.out, "\"attention\": 1"));
    auto text = machine.doctor({"--backend", "fx-unavailable"});
    CHECK(text.exit_code == 1);
    CHECK(contains(text.out, "1 thing needs your attention"));
    CHECK(contains(text.out, "! [no-backend]"));
}

TEST_CASE("doctor reports linger off when an enabled systemd service is recorded") {
    Machine machine;
    machine.record("unit", "systemd", service::Desired::enabled);
    auto json = machine.json();
    CHECK(json.exit_code == 1);
    // The machine's own linger state for this user: off is what a sandbox without systemd has.
    const auto user = platform::user_name();
    if (fs::exists(fs::path("/var/lib/systemd/linger") / user)) {
        CHECK(severity_of(json.out, "linger-on") == "ok");
    } else {
        auto linger = findings(json.out, "linger-off");
        REQUIRE(linger.size() == 1);
        CHECK(linger.front().severity == "attention");
        CHECK(contains(json.out, "loginctl enable-linger " + user));
    }
    // The systemd backend is not usable in this sandbox: the service cannot be checked.
    CHECK(severity_of(json.out, "service-problem") == "attention");
    CHECK(contains(json.out, "the systemd backend is not usable here"));
}

TEST_CASE("doctor reports the standalone boot hook from the service's status") {
    Machine machine;
    machine.record("solo", "standalone", service::Desired::stopped);
    machine.standalone_definition("solo");
    auto none = machine.json();
    CHECK(none.exit_code == 1);
    CHECK(severity_of(none.out, "no-boot-hook") == "attention");
    CHECK(severity_of(none.out, "service-ok") == "ok");  // stopped, as asked

    standalone::BootHook hook{standalone::HookKind::cron, "crontab of me", "ductor boot"};
    REQUIRE(platform::write_file_atomic(machine.ductor_home() / "standalone" / "boot-hook",
                                        standalone::format_hook_record(hook),
                                        fs::perms::owner_read | fs::perms::owner_write));
    auto cron = machine.json();
    CHECK(cron.exit_code == 0);
    CHECK(severity_of(cron.out, "boot-hook") == "ok");
    CHECK(contains(cron.out, "boot hook: cron"));
    CHECK(severity_of(cron.out, "home-ok") == "ok");
    CHECK(contains(cron.out, "\"next\": null"));  // something is installed
}

TEST_CASE("doctor marks a recorded service its manager does not know") {
    Machine machine;
    machine.record("ghost", "fx-available", service::Desired::enabled);
    auto json = machine.json();
    CHECK(json.exit_code == 1);
    auto problems = findings(json.out, "service-problem");
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().severity == "attention");
    CHECK(problems.front().subject == "ghost");
    CHECK(contains(json.out, "has no definition of it"));
    auto text = machine.doctor();
    CHECK(contains(text.out, "! [service-problem] ghost (fx-available): not-installed"));
}

TEST_CASE("doctor finds relative, empty and missing PATH entries") {
    Machine machine;
    auto json = machine.json({{"PATH", "rel/bin::" + machine.path_value() + ":/nonexistent-ductor-doctor"}});
    CHECK(json.exit_code == 1);
    auto relative = findings(json.out, "path-relative");
    REQUIRE(relative.size() == 2);
    CHECK(relative[0].subject == "rel/bin");
    CHECK(relative[0].severity == "attention");
    CHECK(relative[1].subject.empty());
    auto missing = findings(json.out, "path-missing");
    REQUIRE(missing.size() == 1);
    CHECK(missing.front().severity == "note");
    CHECK(missing.front().subject == "/nonexistent-ductor-doctor");
    CHECK(severity_of(json.out, "path-ok") == "absent");

    auto unset = machine.json({{"PATH", ""}});
    CHECK(unset.exit_code == 1);
    CHECK(severity_of(unset.out, "path-unset") == "attention");
}

TEST_CASE("doctor says when ductor's folder is not on PATH and when another ductor comes first") {
    Machine machine;
    const auto empty = machine.dir.path() / "empty-bin";
    fs::create_directories(empty);
    auto away = machine.json({{"PATH", empty.string()}});
    CHECK(away.exit_code == 0);
    CHECK(severity_of(away.out, "ductor-not-on-path") == "note");
    // The install command then names this ductor by its full path.
    CHECK(contains(away.out, "\"next\": \"" + std::string(DUCTOR_TEST_EXE) + " service install"));

    const auto other = machine.dir.path() / "other-bin";
    REQUIRE(platform::write_file_atomic(other / "ductor", "#!/bin/sh\nexit 0\n", fs::perms(0755)));
    auto shadowed = machine.json({{"PATH", other.string() + ":" + machine.path_value()}});
    CHECK(shadowed.exit_code == 1);
    auto found = findings(shadowed.out, "path-other-ductor");
    REQUIRE(found.size() == 1);
    CHECK(found.front().severity == "attention");
    CHECK(found.front().subject == (other / "ductor").string());
}

TEST_CASE("doctor checks the ductor home and reports an unusable one instead of refusing to run") {
    Machine machine;
    auto relative = machine.json({{"DUCTOR_HOME", "relative-home"}});
    CHECK(relative.exit_code == 1);  // not the usage error (2) of the other commands
    CHECK(severity_of(relative.out, "home-relative") == "attention");
    CHECK(severity_of(relative.out, "services-unchecked") == "attention");
    CHECK(contains(relative.out, "\"next\": null"));

    const auto file = machine.dir.path() / "a-file";
    REQUIRE(platform::write_file_atomic(file, "x", fs::perms(0644)));
    auto not_folder = machine.json({{"DUCTOR_HOME", file.string()}});
    CHECK(not_folder.exit_code == 1);
    CHECK(severity_of(not_folder.out, "home-not-folder") == "attention");

    // A folder this user cannot write: mode 0500, or for root (who may write
    // there anyway) a folder of /proc, which nobody can create files in.
    const auto locked = machine.dir.path() / "locked";
    fs::create_directories(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    auto unwritable = platform::can_create_files_in(locked) ? fs::path("/proc/self") : locked;
    if (platform::can_create_files_in(unwritable) || !fs::is_directory(unwritable)) {
        WARN("SKIPPED: no folder here that this user cannot write");
    } else {
        auto read_only = machine.json({{"DUCTOR_HOME", unwritable.string()}});
        CHECK(read_only.exit_code == 1);
        CHECK(severity_of(read_only.out, "home-not-writable") == "attention");
        auto below = machine.json({{"DUCTOR_HOME", (unwritable / "ductor-home").string()}});
        CHECK(below.exit_code == 1);
        CHECK(severity_of(below.out, "home-not-writable") == "attention");
    }
    fs::permissions(locked, fs::perms::owner_all);

    fs::create_directories(machine.ductor_home());
    auto ok = machine.json();
    CHECK(ok.exit_code == 0);
    CHECK(severity_of(ok.out, "home-ok") == "ok");
}

TEST_CASE("doctor escapes what it quotes from the environment") {
    Machine machine;
    auto text = machine.doctor({}, {{"PATH", "rel\x1b[31m\x9b" + std::string(":") + machine.path_value()}});
    CHECK(text.exit_code == 1);
    CHECK(contains(text.out, "'rel\\x1b[31m\\x9b'"));
    CHECK_FALSE(contains(text.out, "\x1b"));
    CHECK_FALSE(contains(text.out, "\x9b"));
}

TEST_CASE("doctor takes no program and has its own help") {
    auto help = test::run_ductor({"doctor", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "Usage: ductor doctor [--json]"));
    auto program = test::run_ductor({"doctor", "--", "/bin/true"});
    CHECK(program.exit_code == 2);
    CHECK(contains(program.err, "'doctor' takes no program"));
}
