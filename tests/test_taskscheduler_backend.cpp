#include <ductor/taskscheduler/backend.hpp>
#include <ductor/sdk/runner.hpp>
#include <ductor/taskscheduler/task_xml.hpp>
#include <ductor/plugin/guard.hpp>

#include "fake_host.hpp"

#include <catch2/catch.hpp>

#include <cstdint>

using ductor::sdk::OsFamily;
using ductor::sdk::ServiceState;
using ductor::test::FakeHost;
using Lines = std::vector<std::string>;

namespace {

const std::string k_schtasks = R"(C:\Windows\System32\schtasks.exe)";

int hresult(std::uint32_t code) { return static_cast<int>(code); }

// A fake Windows: Task Scheduler present, the windowless runner installed.
struct Windows {
    FakeHost host;
    ductor::taskscheduler::TaskSchedulerBackend backend{host};
    ductor::sdk::ServiceSpec spec;

    Windows() {
        host.set_os(OsFamily::windows);
        host.set_env("SystemRoot", R"(C:\Windows)");
        host.set_env("USERDOMAIN", "CORP");
        host.pretend_exists(k_schtasks);
        host.pretend_exists("/opt/ductor/bin/ductorw.exe");
        spec.argv = {R"(C:\bots\bot.exe)", "--flag"};
    }
    std::filesystem::path pid_file() const { return ductor::sdk::runner::pid_file(host.ductor_home(), "ductor"); }
    std::filesystem::path xml_file() const { return host.ductor_home() / "ductor_task.xml"; }
    std::filesystem::path run_file() const { return host.ductor_home() / "tasks" / "ductor.run"; }
    // render's read-only look at an existing task of that name, before every install
    std::string xml_query_line(const std::string& hresult = " /HRESULT") const {
        return k_schtasks + " /Query /TN ductor /XML ONE" + hresult;
    }
    std::string create_line() const {
        return k_schtasks + " /Create /TN ductor /XML " + xml_file().string() + " /F /HRESULT";
    }
    void not_installed() { host.respond({k_schtasks, "/Query"}, FakeHost::exited(1, "", "ERROR: not found")); }
    void runner_running(long long pid) {
        ductor::sdk::runner::PidRecord record{{pid, 1}, std::nullopt, 10, 0, std::nullopt, std::nullopt, {}};
        REQUIRE(host.write_file(pid_file(), ductor::sdk::runner::format_pid_record(record),
                                std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)
                    .ok);
        host.set_running_runner("ductor", pid);
    }
};

}  // namespace

TEST_CASE("the backend is available only on Windows with schtasks.exe in the system folder") {
    Windows w;
    CHECK(w.backend.is_service_available().available);
    CHECK(w.backend.is_service_available().reason == "Task Scheduler through " + k_schtasks);
    w.host.set_env("SystemRoot", R"(D:\WinNT)");
    CHECK(w.backend.is_service_available().reason == R"(no schtasks.exe at D:\WinNT\System32\schtasks.exe)");
    w.host.set_env("SystemRoot", "");
    CHECK_FALSE(w.backend.is_service_available().available);
    w.host.set_env("SystemRoot", R"(C:\Windows)");
    w.host.set_os(OsFamily::linux_os);
    CHECK(w.backend.is_service_available().reason == "Task Scheduler exists only on Windows");
    CHECK(w.host.calls().empty());
}

TEST_CASE("install registers the task from a temporary XML file, removes the file and runs the task") {
    Windows w;
    w.not_installed();
    auto result = w.backend.install_service(w.spec);
    REQUIRE(result.ok);
    CHECK(w.host.call_lines() == Lines{w.xml_query_line(), w.create_line(), k_schtasks + " /Run /TN ductor /HRESULT"});
    CHECK_FALSE(w.host.path_exists(w.xml_file()));
    CHECK(result.notes.empty());
    // The action names the definition file; the program and its arguments are in it.
    auto definition = w.host.read_file(w.run_file());
    REQUIRE(definition);
    CHECK(ductor::sdk::runner::parse_definition(*definition) == Lines{"--name", "ductor", "--log-to", "file",
                                                                      "--restart", "on-failure", "--restart-delay",
                                                                      "60", "--", R"(C:\bots\bot.exe)", "--flag"});
}

TEST_CASE("a failed create puts the previous run definition back, or removes a new one") {
    Windows w;
    w.not_installed();
    w.host.respond({k_schtasks, "/Create"}, FakeHost::exited(hresult(0x8004131A)));
    REQUIRE_FALSE(w.backend.install_service(w.spec).ok);
    CHECK_FALSE(w.host.path_exists(w.run_file()));
    const auto mode = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
    REQUIRE(w.host.write_file(w.run_file(), "previous", mode).ok);
    REQUIRE_FALSE(w.backend.install_service(w.spec).ok);
    CHECK(w.host.read_file(w.run_file()) == std::optional<std::string>("previous"));
}

TEST_CASE("re-install ends the running task and its runner before replacing the definition") {
    Windows w;
    w.runner_running(4242);
    auto result = w.backend.install_service(w.spec);
    REQUIRE(result.ok);
    CHECK(w.host.call_lines() == Lines{w.xml_query_line(), k_schtasks + " /End /TN ductor /HRESULT", w.create_line(),
                                       k_schtasks + " /Run /TN ductor /HRESULT"});
    CHECK(result.notes == Lines{"updated the existing task 'ductor'"});
    CHECK(w.host.stopped_runners == Lines{"ductor"});
    CHECK_FALSE(w.host.path_exists(w.pid_file()));
    CHECK_FALSE(w.host.path_exists(w.xml_file()));
}

TEST_CASE("a failed create still removes the temporary XML file and does not run the task") {
    Windows w;
    w.not_installed();
    w.host.respond({k_schtasks, "/Create"},
                   FakeHost::exited(hresult(0x8004131A), "", "ERROR: The task XML is malformed.\r\n"));
    auto result = w.backend.install_service(w.spec);
    CHECK_FALSE(result.ok);
    CHECK(result.error ==
          "registering the task 'ductor' failed (schtasks exit code 0x8004131A): "
          "ERROR: The task XML is malformed.");
    CHECK_FALSE(w.host.path_exists(w.xml_file()));
    CHECK(w.host.call_lines().size() == 2);  // the look at an existing task, the failed create
}

TEST_CASE("access denied is recognised by its HRESULT exit code whatever the language") {
    Windows w;
    w.not_installed();
    w.host.respond({k_schtasks, "/Create"}, FakeHost::exited(hresult(0x80070005), "", "FEHLER: Zugriff verweigert"));
    auto result = w.backend.install_service(w.spec);
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("exit code 0x80070005") && Catch::Contains("elevated terminal"));
    CHECK_FALSE(w.host.path_exists(w.xml_file()));
}

TEST_CASE("access denied falls back to the message when the exit code is not an HRESULT") {
    Windows w;
    w.host.respond({k_schtasks, "/Delete"}, FakeHost::exited(1, "", "ERROR: Access is denied.\r\n"));
    auto denied = w.backend.uninstall_service(w.spec);
    CHECK_FALSE(denied.ok);
    CHECK_THAT(denied.error, Catch::Contains("Run as administrator"));

    Windows other;
    other.host.respond({k_schtasks, "/Run"},
                       FakeHost::exited(1, "", "ERROR: The system cannot find the file specified."));
    auto missing = other.backend.start_service(other.spec);
    CHECK_FALSE(missing.ok);
    CHECK_THAT(missing.error, !Catch::Contains("administrator"));
}

TEST_CASE("start runs the task") {
    Windows w;
    REQUIRE(w.backend.start_service(w.spec).ok);
    CHECK(w.host.call_lines() == Lines{k_schtasks + " /Run /TN ductor /HRESULT"});
}

TEST_CASE("stop ends the task and whatever is left of the runner's tree") {
    Windows w;
    REQUIRE(w.backend.stop_service(w.spec).ok);
    CHECK(w.host.call_lines() == Lines{k_schtasks + " /End /TN ductor /HRESULT"});

    Windows running;
    running.runner_running(77);
    running.host.respond({k_schtasks, "/End"}, FakeHost::exited(0x00041304));  // SCHED_S_TASK_NOT_RUNNING
    REQUIRE(running.backend.stop_service(running.spec).ok);
    CHECK(running.host.call_lines() == Lines{k_schtasks + " /End /TN ductor /HRESULT"});
    CHECK(running.host.stopped_runners == Lines{"ductor"});
    CHECK_FALSE(running.backend.is_service_running(running.spec));
}

TEST_CASE("stop reports a runner tree that could not be ended") {
    Windows w;
    w.runner_running(77);
    w.host.stop_runner_failure = "the runner of 'ductor': it did not end";
    auto result = w.backend.stop_service(w.spec);
    CHECK_FALSE(result.ok);
    CHECK(result.error == "the runner of 'ductor': it did not end");
}

TEST_CASE("status reads installed from the query exit code and running from the runner's PID file") {
    Windows absent;
    absent.not_installed();
    CHECK(absent.backend.service_status(absent.spec).state == ServiceState::not_installed);
    CHECK_FALSE(absent.backend.is_service_installed(absent.spec));

    Windows stopped;
    auto status = stopped.backend.service_status(stopped.spec);
    CHECK(status.state == ServiceState::stopped);
    CHECK_FALSE(status.pid);
    stopped.runner_running(55);
    stopped.host.set_running_runner("ductor", std::nullopt);  // a stale PID file: no live runner holds it
    CHECK(stopped.backend.service_status(stopped.spec).state == ServiceState::stopped);

    Windows running;
    running.runner_running(123);
    status = running.backend.service_status(running.spec);
    CHECK(status.state == ServiceState::running);
    CHECK(status.pid == 123);
    CHECK(running.backend.is_service_running(running.spec));
    REQUIRE(status.detail.size() == 5);
    CHECK(status.detail[1].value == (std::filesystem::path("/opt/ductor/bin") / "ductorw.exe").string());
    CHECK(status.detail[2].key == "definition");
    CHECK(status.detail[2].value == running.run_file().string());
}

TEST_CASE("status is unknown when the query is refused") {
    Windows w;
    w.host.respond({k_schtasks, "/Query"}, FakeHost::exited(hresult(0x80070005)));
    auto status = w.backend.service_status(w.spec);
    CHECK(status.state == ServiceState::unknown);
    CHECK_THAT(status.error, Catch::Contains("0x80070005") && Catch::Contains("elevated terminal"));
}

TEST_CASE("uninstall ends and deletes the task; without a task it only says so") {
    Windows w;
    const auto mode = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
    REQUIRE(w.host.write_file(w.xml_file(), "stale", mode).ok);
    REQUIRE(w.host.write_file(w.run_file(), "definition", mode).ok);
    REQUIRE(w.backend.uninstall_service(w.spec).ok);
    CHECK_FALSE(w.host.path_exists(w.run_file()));
    CHECK(w.host.call_lines() == Lines{k_schtasks + " /Query /TN ductor /HRESULT",
                                       k_schtasks + " /End /TN ductor /HRESULT",
                                       k_schtasks + " /Delete /TN ductor /F /HRESULT"});
    CHECK_FALSE(w.host.path_exists(w.xml_file()));

    Windows absent;
    absent.not_installed();
    REQUIRE(absent.host.write_file(absent.run_file(), "left over", mode).ok);
    auto result = absent.backend.uninstall_service(absent.spec);
    REQUIRE(result.ok);
    CHECK_FALSE(absent.host.path_exists(absent.run_file()));
    CHECK(result.notes == Lines{"the task 'ductor' was not installed"});
    CHECK(absent.host.call_lines() == Lines{k_schtasks + " /Query /TN ductor /HRESULT"});
}

TEST_CASE("a schtasks that does not know /HRESULT is called again without it, and so is every later call") {
    Windows w;
    w.not_installed();
    // Wine's schtasks: a switch it does not know makes it exit 1 without a word.
    w.host.respond({k_schtasks, "/Create", "/TN", "ductor", "/XML", w.xml_file().string(), "/F", "/HRESULT"},
                   FakeHost::exited(1));
    REQUIRE(w.backend.install_service(w.spec).ok);
    REQUIRE(w.backend.start_service(w.spec).ok);
    CHECK(w.host.call_lines() == Lines{w.xml_query_line(), w.create_line(),
                                       k_schtasks + " /Create /TN ductor /XML " + w.xml_file().string() + " /F",
                                       k_schtasks + " /Run /TN ductor", k_schtasks + " /Run /TN ductor"});
    CHECK_FALSE(w.host.path_exists(w.xml_file()));
}

TEST_CASE("an exit code 1 that names the /HRESULT switch is retried without it") {
    Windows w;
    w.host.respond({k_schtasks, "/Run", "/TN", "ductor", "/HRESULT"},
                   FakeHost::exited(1, "", "ERROR: Invalid argument/option - '/HRESULT'.\r\n"));
    w.host.respond({k_schtasks, "/Run"}, FakeHost::exited(1, "", "ERROR: The system cannot find the file specified."));
    auto result = w.backend.start_service(w.spec);
    CHECK_FALSE(result.ok);
    CHECK(result.error ==
          "starting the task 'ductor' failed (schtasks exit code 0x00000001): "
          "ERROR: The system cannot find the file specified.");
    CHECK(w.host.call_lines() == Lines{k_schtasks + " /Run /TN ductor /HRESULT", k_schtasks + " /Run /TN ductor"});
}

TEST_CASE("failures that are not about the switch are not retried, and later calls keep /HRESULT") {
    Windows w;
    w.host.respond({k_schtasks, "/Run"}, FakeHost::exited(1, "", "ERROR: The system cannot find the file specified."),
                   true);
    w.host.respond({k_schtasks, "/End"}, FakeHost::exited(hresult(0x80070002)), true);
    CHECK_FALSE(w.backend.start_service(w.spec).ok);
    CHECK_FALSE(w.backend.stop_service(w.spec).ok);
    REQUIRE(w.backend.start_service(w.spec).ok);
    CHECK(w.host.call_lines() == Lines{k_schtasks + " /Run /TN ductor /HRESULT",
                                       k_schtasks + " /End /TN ductor /HRESULT",
                                       k_schtasks + " /Run /TN ductor /HRESULT"});
}

namespace {

// What `schtasks /Query /TN NAME /XML ONE` prints for a task whose action runs `command`.
std::string task_xml_running(const std::string& command) {
    return "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n"
           "<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\r\n"
           "  <Actions Context=\"Author\">\r\n    <Exec>\r\n      <Command>" +
           command + "</Command>\r\n      <Arguments>--daily</Arguments>\r\n    </Exec>\r\n  </Actions>\r\n</Task>\r\n";
}

}  // namespace

TEST_CASE("install refuses a task of that name that ductor did not create, unless --force") {
    Windows w;
    w.host.respond({k_schtasks, "/Query", "/TN", "ductor", "/XML"},
                   FakeHost::exited(0, task_xml_running(R"(C:\Tools\backup &amp; sync.exe)")));
    auto rendering = w.backend.render(w.spec);
    CHECK(rendering.error ==
          R"(a task named 'ductor' exists and was not created by ductor (it runs C:\Tools\backup & sync.exe); )"
          "choose another --name, or add --force to replace it");
    CHECK(rendering.files.empty());
    auto installed = w.backend.install_service(w.spec);
    CHECK_FALSE(installed.ok);
    for (const auto& line : w.host.call_lines()) CHECK(line.find("/Create") == std::string::npos);
    CHECK_FALSE(w.host.path_exists(w.run_file()));

    w.spec.overwrite = ductor::sdk::Overwrite::allow;
    const auto asked = w.host.call_lines().size();
    CHECK(w.backend.render(w.spec).error.empty());
    CHECK(w.host.call_lines().size() == asked);  // --force does not even ask
    CHECK(w.backend.install_service(w.spec).ok);
}

TEST_CASE("install refuses a task of that name that starts no program (a COM handler), unless --force") {
    Windows w;
    std::string utf16;
    for (char c : std::string("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Task version=\"1.2\">\r\n"
                              "  <Actions Context=\"Author\">\r\n    <ComHandler>\r\n      <ClassId>"
                              "{00000000-0000-0000-0000-000000000000}</ClassId>\r\n    </ComHandler>\r\n"
                              "  </Actions>\r\n</Task>\r\n"))
        utf16 += std::string{c, '\0'};
    w.host.respond({k_schtasks, "/Query", "/TN", "ductor", "/XML"}, FakeHost::exited(0, utf16));
    CHECK(w.backend.render(w.spec).error ==
          "a task named 'ductor' exists and was not created by ductor (it starts no program); "
          "choose another --name, or add --force to replace it");
    CHECK_FALSE(w.backend.install_service(w.spec).ok);
    for (const auto& line : w.host.call_lines()) CHECK(line.find("/Create") == std::string::npos);
    w.spec.overwrite = ductor::sdk::Overwrite::allow;
    CHECK(w.backend.install_service(w.spec).ok);
}

TEST_CASE("a task that runs ductor's runner, or whose definition cannot be read, is replaced as before") {
    Windows w;
    SECTION("ductor's runner, in any case, in any folder") {
        w.host.respond({k_schtasks, "/Query", "/TN", "ductor", "/XML"},
                       FakeHost::exited(0, task_xml_running(R"(D:\Apps\Ductor\bin\DUCTORW.EXE)")));
    }
    SECTION("no XML printed (Wine's schtasks prints nothing for /Query)") {
        w.host.respond({k_schtasks, "/Query", "/TN", "ductor", "/XML"}, FakeHost::exited(0));
    }
    CHECK(w.backend.render(w.spec).error.empty());
    CHECK(w.backend.install_service(w.spec).ok);
}

TEST_CASE("the command of an existing task is read from schtasks' XML, also as UTF-16") {
    using ductor::taskscheduler::exec_command_of;
    using ductor::taskscheduler::is_runner_command;
    CHECK(exec_command_of(task_xml_running(R"(C:\a &lt;b&gt; &quot;c&quot; &apos;d&apos;.exe)")) ==
          std::string(R"(C:\a <b> "c" 'd'.exe)"));
    std::string utf16;
    for (char c : task_xml_running(R"(C:\x\ductorw.exe)")) utf16 += std::string{c, '\0'};
    CHECK(exec_command_of(utf16) == std::string(R"(C:\x\ductorw.exe)"));
    CHECK_FALSE(exec_command_of("<Task><Actions/></Task>"));
    CHECK(ductor::taskscheduler::has_task_definition("<Task><Actions/></Task>"));
    CHECK(ductor::taskscheduler::has_task_definition(std::string("<\0T\0a\0s\0k\0 \0", 12)));
    CHECK_FALSE(ductor::taskscheduler::has_task_definition(""));
    CHECK_FALSE(ductor::taskscheduler::has_task_definition("ERROR: The system cannot find the file specified."));
    CHECK_FALSE(ductor::taskscheduler::has_task_definition("<Tasks>"));
    CHECK_FALSE(exec_command_of("<Exec><Command>unterminated"));
    CHECK_FALSE(exec_command_of(""));
    CHECK(is_runner_command(R"(C:\Program Files\ductor\ductorw.exe)"));
    CHECK(is_runner_command("/opt/ductor/bin/ductor.exe"));
    CHECK(is_runner_command("Ductor.EXE"));
    CHECK_FALSE(is_runner_command(R"(C:\Tools\notductorw.exe)"));
    CHECK_FALSE(is_runner_command(R"(C:\ductorw.exe\other.exe)"));
}

TEST_CASE("whether the task is installed is yes, no, or unknown with the reason when schtasks is refused") {
    using Answer = ductor::sdk::Installed::Answer;
    Windows present;
    CHECK(present.backend.query_installed(present.spec).answer == Answer::yes);
    Windows absent;
    absent.not_installed();
    CHECK(absent.backend.query_installed(absent.spec).answer == Answer::no);
    Windows w;
    w.host.respond({k_schtasks, "/Query"}, FakeHost::exited(hresult(0x80070005), "", "ERROR: Access is denied."));
    const auto denied = w.backend.query_installed(w.spec);
    CHECK(denied.answer == Answer::unknown);
    CHECK_THAT(denied.reason, Catch::Contains("0x80070005") && Catch::Contains("Access is denied"));
    // The bool query of older cores cannot say it: it says "no".
    CHECK_FALSE(w.backend.is_service_installed(w.spec));
    // The core asks the richer question, and an unknown answer is an error with the reason, not "not installed".
    const auto asked = ductor::plugin::ask_installed(w.backend, w.spec);
    REQUIRE_FALSE(asked);
    CHECK_THAT(asked.error(), Catch::Contains("Access is denied"));
}
