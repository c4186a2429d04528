// Whether a service command changes anything, through the built executable
// with the standalone backend and real processes: an install that matches
// writes nothing and restarts nothing, --dry-run --json says what would
// change, --json reports every action.
#include "run_ductor.hpp"
#include "runner_helpers.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>

#include <catch2/catch.hpp>

#include <regex>

using namespace ductor;
using namespace std::chrono_literals;

namespace {

struct Sandbox {
    test::TempDir dir;
    std::filesystem::path home() const { return dir.path() / "home"; }
    test::Env env() const {
        auto env = test::runner_env(home());
        env.emplace_back("DUCTOR_PLUGIN_PATH", DUCTOR_TEST_BUILD_PLUGIN_DIR);
        env.emplace_back("XDG_CURRENT_DESKTOP", "");
        env.emplace_back("DISPLAY", "");
        return env;
    }
    sdk::ProcessResult ductor(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--backend", "standalone"});
        auto result = test::run_ductor(args, env());
        INFO("ductor " << args[3] << ": " << result.out << result.err);
        CHECK_FALSE(result.timed_out);
        return result;
    }
    std::filesystem::path program() const {
        return test::write_script(dir.path(), "bot.sh",
                                  "echo $$ > '" + (dir.path() / "pid").string() + "'\nexec sleep 600\n");
    }
    std::optional<long long> pid() const { return test::read_pid(dir.path() / "pid"); }
    std::optional<std::string> record() const { return platform::read_file(home() / "services" / "s.record"); }
    ~Sandbox() { test::run_ductor({"stop", "--name", "s"}, env()); }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("install again with the same definition writes nothing and restarts nothing") {
    Sandbox box;
    const auto program = box.program().string();
    REQUIRE(box.ductor({"service", "install", "--name", "s", "--env", "A=1", "--", program}).exit_code == 0);
    REQUIRE(test::wait_until([&] { return box.pid().has_value(); }, 30s));
    const auto pid = box.pid();
    const auto record = box.record();
    const auto definition = box.home() / "standalone" / "s.args";
    const auto written = std::filesystem::last_write_time(definition);

    auto again = box.ductor({"service", "install", "--name", "s", "--env", "A=1", "--", program});
    CHECK(again.exit_code == 0);
    CHECK(has(again.out, "Unchanged: 's' (standalone) is installed with this definition and running."));
    auto json = box.ductor({"service", "install", "--json", "--name", "s", "--env", "A=1", "--", program});
    CHECK(json.exit_code == 0);
    CHECK(has(json.out, "\"changed\": false"));
    CHECK(has(json.out, "\"state\": \"running\""));
    CHECK(box.pid() == pid);
    CHECK(box.record() == record);  // installed_at too: the record was not written
    CHECK(std::filesystem::last_write_time(definition) == written);
}

TEST_CASE("install --dry-run --json says what would change and changes nothing") {
    Sandbox box;
    const auto program = box.program().string();
    REQUIRE(box.ductor({"service", "install", "--name", "s", "--", program}).exit_code == 0);
    REQUIRE(test::wait_until([&] { return box.pid().has_value(); }, 30s));
    const auto pid = box.pid();
    const auto record = box.record();

    auto dry = box.ductor({"service", "install", "--dry-run", "--json", "--name", "s", "--", program, "--verbose"});
    CHECK(dry.exit_code == 0);
    CHECK(has(dry.out, "\"dry_run\": true"));
    CHECK(has(dry.out, "\"changed\": true"));
    CHECK(std::regex_search(dry.out, std::regex(R"("reasons": \[\s*"definition",\s*"record"\s*\])")));
    CHECK(has(dry.out, "\"change\": \"updated\""));
    CHECK(has(dry.out, R"(+--verbose\n)"));  // in the unified diff
    CHECK(has(dry.out, "\"commands\""));
    CHECK(box.pid() == pid);
    CHECK(box.record() == record);

    auto text = box.ductor({"service", "install", "--dry-run", "--name", "s", "--", program, "--verbose"});
    CHECK(has(text.out, "# Would install 's' (standalone): the definition is new or differs"));

    auto applied = box.ductor({"service", "install", "--json", "--name", "s", "--", program, "--verbose"});
    CHECK(applied.exit_code == 0);
    CHECK(has(applied.out, "\"changed\": true"));
    CHECK(has(applied.out, "\"running\": true"));
    CHECK(test::wait_until([&] { return box.pid() != pid; }, 30s));  // the new definition runs
}

TEST_CASE("stop, start, restart and uninstall report whether they changed anything") {
    Sandbox box;
    REQUIRE(box.ductor({"service", "install", "--name", "s", "--", box.program().string()}).exit_code == 0);

    auto dry_stop = box.ductor({"service", "stop", "--name", "s", "--dry-run"});
    CHECK(has(dry_stop.out, "Would stop 's' (standalone): it is running"));
    CHECK(box.ductor({"service", "status", "--name", "s"}).exit_code == 0);  // still running

    auto stop = box.ductor({"service", "stop", "--name", "s", "--json"});
    CHECK(stop.exit_code == 0);
    CHECK(has(stop.out, "\"changed\": true"));
    CHECK(has(stop.out, "\"state\": \"stopped\""));
    auto again = box.ductor({"service", "stop", "--name", "s", "--json"});
    CHECK(has(again.out, "\"changed\": false"));
    CHECK(has(box.ductor({"service", "stop", "--name", "s"}).out, "Unchanged: 's' (standalone) is already stopped."));

    // install while stopped by 'service stop': the same definition, but it must run again.
    auto install = box.ductor({"service", "install", "--json", "--name", "s", "--", box.program().string()});
    CHECK(std::regex_search(install.out, std::regex(R"("reasons": \[\s*"not-running",\s*"stopped"\s*\])")));
    CHECK(has(install.out, "\"state\": \"running\""));
    CHECK(has(box.ductor({"service", "start", "--name", "s", "--json"}).out, "\"changed\": false"));
    CHECK(has(box.ductor({"service", "restart", "--name", "s", "--json"}).out, "\"changed\": true"));

    auto removed = box.ductor({"service", "uninstall", "--name", "s", "--json"});
    CHECK(removed.exit_code == 0);
    CHECK(has(removed.out, "\"changed\": true"));
    CHECK(has(removed.out, "\"state\": \"not-installed\""));
    auto twice = box.ductor({"service", "uninstall", "--name", "s", "--json"});
    CHECK(twice.exit_code == 0);
    CHECK(has(twice.out, "\"changed\": false"));
}
