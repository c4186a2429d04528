// The launchd backend against a fake Host: the exact launchctl sequences of
// install, re-install, start, stop, restart, uninstall and status, in the GUI
// and the no-GUI domain and on a launchctl without domain verbs, plus failures.
#include "fake_host.hpp"
#include "launchd/print_samples.hpp"

#include <ductor/launchd/agent.hpp>
#include <ductor/launchd/backend.hpp>
#include <ductor/launchd/plist.hpp>
#include <ductor/platform/files.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

using namespace ductor;
using launchd::LaunchdBackend;
using test::FakeHost;
namespace samples = ductor::test::launchd;

namespace {

const std::string k_service = "gui/501/dev.ductor";
const auto k_not_found = FakeHost::exited(113, "", samples::k_print_not_found_stderr);

struct Mac {
    FakeHost host;
    LaunchdBackend backend{host, LaunchdBackend::Timing{3, std::chrono::milliseconds(0)}};
    sdk::ServiceSpec spec;

    Mac() {
        host.set_os(sdk::OsFamily::macos);
        host.pretend_exists("/bin/launchctl");
        host.set_user_id(501);
        spec.argv = {"/opt/homebrew/bin/ductor-bot"};
    }
    std::string plist() const { return (host.home_directory() / "Library/LaunchAgents/dev.ductor.plist").string(); }
    // The service answers `print` as loaded `times` times, then as not found.
    void loaded_for(int times, const std::string& target = k_service) {
        for (int i = 0; i < times; ++i) host.respond({"/bin/launchctl", "print", target}, FakeHost::exited(0), true);
        host.respond({"/bin/launchctl", "print", target}, k_not_found);
    }
    void write_plist(const std::string& text) {
        REQUIRE(platform::write_file_atomic(plist(), text, std::filesystem::perms(0644)));
    }
};

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("launchd is available only on macOS with /bin/launchctl, without running anything") {
    FakeHost host;
    LaunchdBackend backend(host);
    CHECK_FALSE(backend.is_service_available().available);
    CHECK(backend.is_service_available().reason == "launchd runs only on macOS");
    host.set_os(sdk::OsFamily::macos);
    CHECK(backend.is_service_available().reason == "/bin/launchctl is missing");
    host.pretend_exists("/bin/launchctl");
    CHECK(backend.is_service_available().available);
    CHECK(host.calls().empty());
}

TEST_CASE("a fresh install writes the plist and bootstraps it in the GUI domain") {
    Mac mac;
    mac.loaded_for(0);
    const auto result = mac.backend.install_service(mac.spec);
    REQUIRE(result.ok);
    CHECK(mac.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl print " + k_service,
                                         "/bin/launchctl enable " + k_service,
                                         "/bin/launchctl bootstrap gui/501 " + mac.plist(),
                                         "/bin/launchctl kickstart " + k_service});
    CHECK(platform::read_file(mac.plist()) == launchd::render_plist(launchd::agent_for(mac.spec, mac.host)).value());
    CHECK((std::filesystem::status(mac.plist()).permissions() & std::filesystem::perms::all) ==
          std::filesystem::perms(0644));
    CHECK(std::filesystem::is_directory(mac.host.ductor_home() / "logs"));
}

TEST_CASE("a re-install boots the loaded agent out and loads the new definition") {
    Mac mac;
    mac.write_plist("old definition");
    mac.loaded_for(2);  // is it loaded? yes; after bootout: yes once more, then gone
    mac.spec.argv.push_back("--new-flag");
    REQUIRE(mac.backend.install_service(mac.spec).ok);
    CHECK(mac.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl print " + k_service,
                                         "/bin/launchctl bootout " + k_service, "/bin/launchctl print " + k_service,
                                         "/bin/launchctl print " + k_service, "/bin/launchctl enable " + k_service,
                                         "/bin/launchctl bootstrap gui/501 " + mac.plist(),
                                         "/bin/launchctl kickstart " + k_service});
    CHECK(platform::read_file(mac.plist())->find("<string>--new-flag</string>") != std::string::npos);
}

TEST_CASE("without a GUI login the agent goes to the user domain") {
    Mac mac;
    // `launchctl print gui/<uid>` fails when no GUI session exists.
    mac.host.respond({"/bin/launchctl", "print", "gui/501"},
                     FakeHost::exited(113, "", "Bad request.\nCould not find domain for user gui: 501\n"));
    mac.loaded_for(0, "user/501/dev.ductor");
    const auto result = mac.backend.install_service(mac.spec);
    REQUIRE(result.ok);
    CHECK(mac.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl print user/501/dev.ductor",
                                         "/bin/launchctl enable user/501/dev.ductor",
                                         "/bin/launchctl bootstrap user/501 " + mac.plist(),
                                         "/bin/launchctl kickstart user/501/dev.ductor"});
    REQUIRE_FALSE(result.notes.empty());
    CHECK(result.notes.front().find("no GUI login session: loaded into user/501") == 0);
    CHECK(platform::read_file(mac.plist())
              ->find("\t<key>LimitLoadToSessionType</key>\n\t<string>Background</string>\n") != std::string::npos);
}

TEST_CASE("a launchctl without domain verbs installs with load -w") {
    Mac mac;
    mac.host.respond({"/bin/launchctl", "print"}, FakeHost::exited(1, "", "launchctl: unknown subcommand \"print\"\n"));
    REQUIRE(mac.backend.install_service(mac.spec).ok);
    CHECK(mac.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl load -w " + mac.plist()});
    CHECK(platform::read_file(mac.plist())->find("LimitLoadToSessionType") == std::string::npos);
}

TEST_CASE("a launchctl without domain verbs re-installs, stops and reports status with unload and list") {
    Mac mac;
    mac.host.respond({"/bin/launchctl", "print"}, FakeHost::exited(1, "", "Unrecognized subcommand: print\n"));
    mac.host.respond({"/bin/launchctl", "list", "dev.ductor"}, FakeHost::exited(0, samples::k_list_running));
    mac.write_plist("old");
    REQUIRE(mac.backend.install_service(mac.spec).ok);
    REQUIRE(mac.backend.stop_service(mac.spec).ok);
    const auto status = mac.backend.service_status(mac.spec);
    CHECK(mac.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl list dev.ductor",
                                         "/bin/launchctl unload " + mac.plist(),
                                         "/bin/launchctl load -w " + mac.plist(), "/bin/launchctl list dev.ductor",
                                         "/bin/launchctl unload -w " + mac.plist(), "/bin/launchctl list dev.ductor"});
    CHECK(status.state == sdk::ServiceState::running);
    CHECK(status.pid == 31317);
    CHECK(status.last_exit_code == 0);
}

TEST_CASE("stop disables and boots out, so KeepAlive cannot respawn it") {
    Mac mac;
    mac.write_plist("x");
    mac.loaded_for(1);
    const auto result = mac.backend.stop_service(mac.spec);
    REQUIRE(result.ok);
    CHECK(mac.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl disable " + k_service,
                                         "/bin/launchctl print " + k_service, "/bin/launchctl bootout " + k_service,
                                         "/bin/launchctl print " + k_service});
    REQUIRE(result.notes.size() == 1);
    CHECK(result.notes.front().find("not even at the next login") != std::string::npos);
}

TEST_CASE("stopping a stopped service only disables it") {
    Mac mac;
    mac.loaded_for(0);
    REQUIRE(mac.backend.stop_service(mac.spec).ok);
    CHECK(mac.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl disable " + k_service,
                                         "/bin/launchctl print " + k_service});
}

TEST_CASE("start undoes stop: enable, bootstrap, kickstart") {
    Mac mac;
    mac.loaded_for(0);
    REQUIRE(mac.backend.start_service(mac.spec).ok);
    CHECK(mac.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl enable " + k_service,
                                         "/bin/launchctl print " + k_service,
                                         "/bin/launchctl bootstrap gui/501 " + mac.plist(),
                                         "/bin/launchctl kickstart " + k_service});
}

TEST_CASE("start of a loaded service only enables and kickstarts it") {
    Mac mac;
    mac.loaded_for(5);
    REQUIRE(mac.backend.start_service(mac.spec).ok);
    CHECK(mac.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl enable " + k_service,
                                         "/bin/launchctl print " + k_service, "/bin/launchctl kickstart " + k_service});
}

TEST_CASE("restart kills and restarts a loaded service with kickstart -k, and starts a stopped one") {
    Mac loaded;
    loaded.loaded_for(5);
    REQUIRE(loaded.backend.restart_service(loaded.spec).ok);
    CHECK(loaded.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl print " + k_service,
                                            "/bin/launchctl kickstart -k " + k_service});
    Mac stopped;
    stopped.loaded_for(0);
    REQUIRE(stopped.backend.restart_service(stopped.spec).ok);
    CHECK(stopped.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl print " + k_service,
                                             "/bin/launchctl enable " + k_service, "/bin/launchctl print " + k_service,
                                             "/bin/launchctl bootstrap gui/501 " + stopped.plist(),
                                             "/bin/launchctl kickstart " + k_service});
}

TEST_CASE("uninstall boots out, removes the plist, clears the disable, and is idempotent") {
    Mac mac;
    mac.write_plist("x");
    mac.loaded_for(2);
    const auto result = mac.backend.uninstall_service(mac.spec);
    REQUIRE(result.ok);
    CHECK(mac.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl print " + k_service,
                                         "/bin/launchctl print " + k_service, "/bin/launchctl bootout " + k_service,
                                         "/bin/launchctl print " + k_service, "/bin/launchctl enable " + k_service});
    CHECK_FALSE(std::filesystem::exists(mac.plist()));
    CHECK_FALSE(mac.backend.is_service_installed(mac.spec));

    const auto again = mac.backend.uninstall_service(mac.spec);
    CHECK(again.ok);
    CHECK(again.notes == std::vector<std::string>{"nothing was installed for 'ductor'"});
}

TEST_CASE("status distinguishes not installed, not loaded, loaded but stopped, starting and running") {
    Mac mac;
    SECTION("not installed") {
        mac.loaded_for(0);
        CHECK(mac.backend.service_status(mac.spec).state == sdk::ServiceState::not_installed);
    }
    SECTION("installed but not loaded") {
        mac.write_plist("x");
        mac.loaded_for(0);
        const auto status = mac.backend.service_status(mac.spec);
        CHECK(status.state == sdk::ServiceState::stopped);
        CHECK(status.detail.back().key == "loaded");
        CHECK(status.detail.back().value.find("no") == 0);
    }
    SECTION("loaded, last run exited 1") {
        mac.write_plist("x");
        mac.host.respond({"/bin/launchctl", "print", k_service}, FakeHost::exited(0, samples::k_print_exited));
        const auto status = mac.backend.service_status(mac.spec);
        CHECK(status.state == sdk::ServiceState::stopped);
        CHECK(status.last_exit_code == 1);
        CHECK_FALSE(status.pid.has_value());
    }
    SECTION("starting") {
        mac.write_plist("x");
        mac.host.respond({"/bin/launchctl", "print", k_service},
                         FakeHost::exited(0, "gui/501/dev.ductor = {\n\tstate = spawn scheduled\n\truns = 3\n}\n"));
        CHECK(mac.backend.service_status(mac.spec).state == sdk::ServiceState::starting);
    }
    SECTION("running") {
        mac.write_plist("x");
        mac.host.respond({"/bin/launchctl", "print", k_service}, FakeHost::exited(0, samples::k_print_running));
        const auto status = mac.backend.service_status(mac.spec);
        CHECK(status.state == sdk::ServiceState::running);
        CHECK(status.pid == 1076);
        CHECK_FALSE(status.last_exit_code.has_value());
        CHECK(mac.backend.is_service_running(mac.spec));
    }
    SECTION("launchctl fails otherwise") {
        mac.host.respond({"/bin/launchctl", "print", k_service}, FakeHost::exited(1, "", "Operation not permitted\n"));
        const auto status = mac.backend.service_status(mac.spec);
        CHECK(status.state == sdk::ServiceState::unknown);
        CHECK(status.error.find("failed (exit 1): Operation not permitted") != std::string::npos);
    }
}

TEST_CASE("launchctl failures stop the sequence and come back explained") {
    Mac mac;
    mac.loaded_for(0);
    mac.host.respond(
        {"/bin/launchctl", "bootstrap"},
        FakeHost::exited(
            5, "", "Bootstrap failed: 5: Input/output error\nTry re-running the command as root for richer errors.\n"));
    const auto result = mac.backend.install_service(mac.spec);
    CHECK_FALSE(result.ok);
    CHECK(result.error.find("Bootstrap failed: 5: Input/output error -- launchd refused to load the agent") !=
          std::string::npos);
    CHECK(mac.host.call_lines().back() == "/bin/launchctl bootstrap gui/501 " + mac.plist());
}

TEST_CASE("a bootout that never finishes is reported, not ignored") {
    Mac mac;
    mac.write_plist("x");
    mac.host.respond({"/bin/launchctl", "print", k_service}, FakeHost::exited(0, samples::k_print_running));
    const auto result = mac.backend.stop_service(mac.spec);
    CHECK_FALSE(result.ok);
    CHECK(result.error.find("launchd still has gui/501/dev.ductor loaded") == 0);
}

TEST_CASE("install refuses what launchd cannot be told, without running or writing anything") {
    Mac mac;
    mac.spec.argv.push_back("bad\x01");
    const auto result = mac.backend.install_service(mac.spec);
    CHECK_FALSE(result.ok);
    CHECK(result.error.find("cannot write the LaunchAgent: ProgramArguments[8] has control character U+0001") == 0);
    CHECK(mac.host.calls().empty());
    CHECK_FALSE(std::filesystem::exists(mac.plist()));
    CHECK(mac.backend.render(mac.spec).error == result.error);
}

TEST_CASE("without a user id or a launchctl that starts, operations fail with the reason") {
    Mac no_uid;
    no_uid.host.set_user_id(std::nullopt);
    CHECK(no_uid.backend.install_service(no_uid.spec).error.find("numeric user id") != std::string::npos);
    Mac broken;
    sdk::ProcessResult unstartable;
    unstartable.error = "permission denied";
    broken.host.respond({"/bin/launchctl"}, unstartable);
    CHECK(broken.backend.stop_service(broken.spec).error ==
          "cannot run /bin/launchctl print gui/501: permission denied");
    CHECK(broken.backend.service_status(broken.spec).state == sdk::ServiceState::unknown);
}

TEST_CASE("render previews the plist and the commands and runs nothing off macOS") {
    FakeHost host;
    host.set_user_id(1000);
    LaunchdBackend backend(host);
    sdk::ServiceSpec spec;
    spec.name = "bot";
    spec.argv = {"/usr/bin/bot"};
    const auto rendering = backend.render(spec);
    REQUIRE(rendering.error.empty());
    CHECK(host.calls().empty());
    REQUIRE(rendering.files.size() == 1);
    CHECK(rendering.files[0].path == host.home_directory() / "Library/LaunchAgents/dev.ductor.bot.plist");
    CHECK(rendering.files[0].mode == std::filesystem::perms(0644));
    CHECK(rendering.files[0].content == launchd::render_plist(launchd::agent_for(spec, host)).value());
    using Argv = std::vector<std::string>;
    CHECK(rendering.commands ==
          std::vector<Argv>{{"/bin/launchctl", "enable", "gui/1000/dev.ductor.bot"},
                            {"/bin/launchctl", "bootstrap", "gui/1000", rendering.files[0].path.string()},
                            {"/bin/launchctl", "kickstart", "gui/1000/dev.ductor.bot"}});
    CHECK_FALSE(std::filesystem::exists(rendering.files[0].path));
}

TEST_CASE("render on a Mac asks launchd read-only and shows the bootout of a loaded agent") {
    Mac mac;
    mac.host.respond({"/bin/launchctl", "print", k_service}, FakeHost::exited(0, samples::k_print_running));
    const auto rendering = mac.backend.render(mac.spec);
    REQUIRE(rendering.commands.size() == 4);
    CHECK(rendering.commands.front() == std::vector<std::string>{"/bin/launchctl", "bootout", k_service});
    CHECK(mac.host.call_lines() == Lines{"/bin/launchctl print gui/501", "/bin/launchctl print " + k_service});
    CHECK_FALSE(std::filesystem::exists(mac.plist()));
}

TEST_CASE("logs are the launchd files, the rotated runner files oldest first, then the current runner file") {
    Mac mac;
    const auto logs = mac.host.ductor_home() / "logs";
    for (const char* name :
         {"ductor.log.1", "ductor.log.2", "ductor.log.10", "ductor.log.x", "other.log.1", "ductor.log"})
        REQUIRE(platform::write_file_atomic(logs / name, "line\n", std::filesystem::perms(0644)));
    const auto source = mac.backend.service_logs(mac.spec, sdk::LogRequest{});
    CHECK(source.command.empty());
    CHECK(source.error.empty());
    CHECK(source.files == std::vector<std::filesystem::path>{logs / "service.log", logs / "service.err",
                                                             logs / "ductor.log.10", logs / "ductor.log.2",
                                                             logs / "ductor.log.1", logs / "ductor.log"});
    CHECK(mac.host.calls().empty());
}

TEST_CASE("launchd install refuses a plist of that label that ductor did not write, unless forced") {
    test::FakeHost host;
    host.set_os(sdk::OsFamily::macos);
    launchd::LaunchdBackend backend(host);
    sdk::ServiceSpec spec;
    spec.name = "bot";
    spec.argv = {"/usr/bin/true"};
    const auto ours = backend.render(spec);
    REQUIRE(ours.error.empty());
    const auto path = ours.files.front().path;
    REQUIRE(platform::write_file_atomic(path, ours.files.front().content, std::filesystem::perms(0644)));
    CHECK(backend.render(spec).error.empty());  // ductor's own: replaced in place
    REQUIRE(
        platform::write_file_atomic(path, "<plist version=\"1.0\"><dict/></plist>\n", std::filesystem::perms(0644)));
    CHECK_THAT(backend.render(spec).error, Catch::Contains("not written by ductor") && Catch::Contains("--force"));
    CHECK_FALSE(backend.install_service(spec).ok);
    CHECK(platform::read_file(path) == "<plist version=\"1.0\"><dict/></plist>\n");
    spec.overwrite = sdk::Overwrite::allow;
    CHECK(backend.render(spec).error.empty());
    // Something in its place that cannot be read is not taken for ductor's: a folder, a symlink
    // to nothing.
    spec.overwrite = sdk::Overwrite::refuse_foreign;
    std::filesystem::remove(path);
    std::filesystem::create_directory(path);
    CHECK_THAT(backend.render(spec).error, Catch::Contains("exists but cannot be read") && Catch::Contains("--force"));
    std::filesystem::remove(path);
    std::filesystem::create_symlink(path.parent_path() / "gone", path);
    CHECK_THAT(backend.render(spec).error, Catch::Contains("exists but cannot be read"));
    std::filesystem::remove(path);
    CHECK(backend.render(spec).error.empty());
}

namespace {

// `launchctl print` of the running dev.ductor agent loaded from `plist` with `arguments`.
std::string print_loaded(const std::string& plist, const std::vector<std::string>& arguments) {
    std::string text = "gui/501/dev.ductor = {\n\tactive count = 1\n\tpath = " + plist +
                       "\n\ttype = LaunchAgent\n\tstate = running\n\n\tprogram = " + arguments.front() +
                       "\n\targuments = {\n";
    for (const auto& arg : arguments) text += "\t\t" + arg + "\n";
    return text + "\t}\n\n\tpid = 4321\n}\n";
}

std::string problem_of(const sdk::ServiceStatus& status) {
    for (const auto& field : status.detail)
        if (field.key == sdk::k_problem_detail) return field.value;
    return {};
}

}  // namespace

TEST_CASE("launchd status says when the loaded job and its plist on disk disagree") {
    Mac mac;
    mac.spec.argv = {"/opt/bot/run", "--port", "8080"};
    const auto rendered = mac.backend.render(mac.spec);
    REQUIRE(rendered.error.empty());
    const auto arguments = launchd::program_arguments_of(rendered.files.front().content);
    REQUIRE(arguments);  // the runner in front of the program, then the program's own argv
    CHECK(std::search(arguments->begin(), arguments->end(), mac.spec.argv.begin(), mac.spec.argv.end()) !=
          arguments->end());
    SECTION("the same plist and argv: no problem") {
        mac.write_plist(rendered.files.front().content);
        mac.host.respond({"/bin/launchctl", "print", k_service},
                         FakeHost::exited(0, print_loaded(mac.plist(), *arguments)));
        const auto status = mac.backend.service_status(mac.spec);
        CHECK(status.state == sdk::ServiceState::running);
        CHECK(problem_of(status).empty());
    }
    SECTION("the plist was edited after launchd loaded it") {
        mac.write_plist(rendered.files.front().content);
        mac.host.respond({"/bin/launchctl", "print", k_service},
                         FakeHost::exited(0, print_loaded(mac.plist(), {arguments->front(), "--port", "9090"})));
        const auto status = mac.backend.service_status(mac.spec);
        CHECK(status.state == sdk::ServiceState::running);
        CHECK_THAT(problem_of(status), Catch::Contains("other arguments than launchd has loaded"));
    }
    SECTION("the plist is gone but the job is still loaded: orphaned") {
        mac.host.respond({"/bin/launchctl", "print", k_service},
                         FakeHost::exited(0, print_loaded(mac.plist(), *arguments)));
        const auto status = mac.backend.service_status(mac.spec);
        CHECK(status.state == sdk::ServiceState::running);
        CHECK(status.pid == 4321);
        CHECK_THAT(problem_of(status), Catch::StartsWith("orphaned") && Catch::Contains("uninstall"));
    }
    SECTION("launchd loaded it from another file") {
        mac.write_plist(rendered.files.front().content);
        mac.host.respond({"/bin/launchctl", "print", k_service},
                         FakeHost::exited(0, print_loaded("/tmp/elsewhere.plist", *arguments)));
        CHECK_THAT(problem_of(mac.backend.service_status(mac.spec)), Catch::Contains("/tmp/elsewhere.plist"));
    }
}

TEST_CASE("launchd stop and uninstall reach an orphaned job whose plist is gone") {
    Mac mac;  // no plist written
    const auto booted_out = [&] {
        const auto lines = mac.host.call_lines();
        return std::count(lines.begin(), lines.end(), "/bin/launchctl bootout " + k_service);
    };
    SECTION("stop") {
        mac.loaded_for(1);
        REQUIRE(mac.backend.stop_service(mac.spec).ok);
        CHECK(booted_out() == 1);
    }
    SECTION("uninstall") {
        mac.loaded_for(2);
        const auto result = mac.backend.uninstall_service(mac.spec);
        REQUIRE(result.ok);
        CHECK(result.notes == std::vector<std::string>{
                                  "launchd still had it loaded without its plist (orphaned); it is booted out now"});
        CHECK(mac.host.call_lines().back() == "/bin/launchctl enable " + k_service);
        CHECK(booted_out() == 1);
    }
}
