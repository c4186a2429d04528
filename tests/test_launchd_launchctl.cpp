// launchctl answers: `print` and `list` parsing on real output, "not loaded"
// and "no domain verbs" detection, and explained failures.
#include "fake_host.hpp"
#include "launchd/print_samples.hpp"

#include <ductor/launchd/launchctl.hpp>

#include <catch2/catch.hpp>

using namespace ductor;
using namespace ductor::launchd;
namespace samples = ductor::test::launchd;

TEST_CASE("parse_print reads a running agent and ignores nested state lines") {
    const auto printed = parse_print(samples::k_print_running);
    CHECK(printed.state == "running");
    CHECK(printed.pid == 1076);
    CHECK_FALSE(printed.last_exit_code.has_value());
    CHECK(printed.last_exit_text == "(never exited)");
    CHECK(printed.runs == 1);
    CHECK(printed.job_state == "running");
}

TEST_CASE("parse_print reads the plist path and the argv of the loaded job") {
    const auto printed = parse_print(samples::k_print_running);
    CHECK(printed.path ==
          "/Users/sglavoie/scripts/launchagents/Library/LaunchAgents/com.sglavoie.ddc-brightnessd.plist");
    CHECK(printed.arguments == std::vector<std::string>{"/Users/sglavoie/.local/bin/ddc-brightnessd"});
    const auto several = parse_print(
        "gui/501/x = {\n\tpath = /p.plist\n\targuments = {\n\t\t/bin/sh\n\t\t-c\n\t\t"
        "echo  two  spaces \n\t\t\n\t}\n\tstate = running\n}\n");
    CHECK(several.arguments == std::vector<std::string>{"/bin/sh", "-c", "echo  two  spaces ", ""});
    CHECK(several.state == "running");
    CHECK_FALSE(parse_print("gui/501/x = {\n\tstate = running\n}\n").arguments);
    CHECK_FALSE(parse_print("gui/501/x = {\n\targuments = {\n\t\t/bin/sh\n").arguments);  // never closed
}

TEST_CASE("parse_print reads a loaded agent that exited with 1") {
    const auto printed = parse_print(samples::k_print_exited);
    CHECK(printed.state == "not running");
    CHECK_FALSE(printed.pid.has_value());
    CHECK(printed.last_exit_code == 1);
    CHECK(printed.runs == 4);
    CHECK(printed.job_state == "exited");
}

TEST_CASE("parse_print reads an agent that never ran") {
    const auto printed = parse_print(samples::k_print_never_ran);
    CHECK(printed.state == "not running");
    CHECK(printed.runs == 0);
    CHECK_FALSE(printed.last_exit_code.has_value());
    CHECK(printed.job_state == "uninitialized");
}

TEST_CASE("parse_print turns a terminating signal into 128+N and keeps named exit codes") {
    CHECK(parse_print(samples::k_print_signaled).last_exit_code == 128 + 15);
    CHECK(parse_print(samples::k_print_signaled).last_exit_text == "Terminated: 15");
    const auto named = parse_print("gui/501/x = {\n\tstate = not running\n\tlast exit code = 78: EX_CONFIG\n}\n");
    CHECK(named.last_exit_code == 78);
    CHECK(named.last_exit_text == "78: EX_CONFIG");
}

TEST_CASE("parse_print of empty or foreign text yields nothing") {
    CHECK(parse_print("").state.empty());
    CHECK(parse_print("state = running\n").state.empty());  // not inside the service block
    CHECK_FALSE(parse_print(samples::k_print_not_found_stderr).pid.has_value());
}

TEST_CASE("parse_list reads launchctl list output and decodes wait statuses") {
    const auto running = parse_list(samples::k_list_running);
    CHECK(running.state == "running");
    CHECK(running.pid == 31317);
    CHECK(running.last_exit_code == 0);
    const auto exited = parse_list("{\n\t\"Label\" = \"x\";\n\t\"LastExitStatus\" = 768;\n};\n");
    CHECK(exited.state == "not running");
    CHECK(exited.last_exit_code == 3);
    CHECK(parse_list("{\n\t\"LastExitStatus\" = 15;\n};\n").last_exit_code == 128 + 15);
    CHECK(parse_list("{\n\t\"LastExitStatus\" = -9;\n};\n").last_exit_code == 128 + 9);
}

TEST_CASE("parse_list ignores keys of nested dictionaries and arrays") {
    const auto printed = parse_list(
        "{\n\t\"MachServices\" = {\n\t\t\"PID\" = 7;\n\t};\n\t\"ProgramArguments\" = (\n\t\t\"PID\";\n\t);\n"
        "\t\"LastExitStatus\" = 0;\n};\n");
    CHECK_FALSE(printed.pid.has_value());
    CHECK(printed.last_exit_code == 0);
}

TEST_CASE("is_not_loaded recognises launchctl's not-found answers only") {
    CHECK(is_not_loaded(test::FakeHost::exited(113, "", samples::k_print_not_found_stderr)));
    CHECK(is_not_loaded(test::FakeHost::exited(3, "", "Boot-out failed: 3: No such process\n")));
    CHECK(is_not_loaded(test::FakeHost::exited(1, "", "Could not find service \"x\" in domain for port\n")));
    CHECK_FALSE(is_not_loaded(test::FakeHost::exited(0)));
    CHECK_FALSE(is_not_loaded(test::FakeHost::exited(5, "", "Boot-out failed: 5: Input/output error\n")));
    sdk::ProcessResult not_started;
    CHECK_FALSE(is_not_loaded(not_started));
}

TEST_CASE("lacks_domain_verbs recognises a launchctl without print/bootstrap") {
    CHECK(lacks_domain_verbs(test::FakeHost::exited(1, "", "launchctl: unknown subcommand \"print\"\n")));
    CHECK(lacks_domain_verbs(test::FakeHost::exited(1, "", "Unrecognized subcommand: print\n")));
    CHECK_FALSE(lacks_domain_verbs(test::FakeHost::exited(113, "", samples::k_print_not_found_stderr)));
    CHECK_FALSE(lacks_domain_verbs(test::FakeHost::exited(0, "Unrecognized subcommand")));
}

TEST_CASE("explain_failure says what failed and why, not only launchctl's words") {
    const Argv bootstrap =
        bootstrap_command(Domain{DomainKind::gui, 501}, "/Users/u/Library/LaunchAgents/dev.ductor.plist");
    const auto io =
        explain_failure(bootstrap, test::FakeHost::exited(5, "",
                                                          "Bootstrap failed: 5: Input/output error\n"
                                                          "Try re-running the command as root for richer errors.\n"));
    CHECK(io.find("/bin/launchctl bootstrap gui/501 /Users/u/Library/LaunchAgents/dev.ductor.plist failed (exit 5): "
                  "Bootstrap failed: 5: Input/output error -- launchd refused to load the agent") == 0);
    CHECK(io.find("still being removed") != std::string::npos);
    CHECK(io.find("disabled") != std::string::npos);

    const Argv load = load_command("/p.plist", Persist::write);
    CHECK(explain_failure(load, test::FakeHost::exited(1, "", "Load failed: 5: Input/output error\n"))
              .find("launchd refused to load the agent") != std::string::npos);
    CHECK(explain_failure(bootstrap, test::FakeHost::exited(
                                         125, "", "Bootstrap failed: 125: Domain does not support specified action\n"))
              .find("logged in at the Mac's screen") != std::string::npos);
    CHECK(explain_failure(bootstrap, test::FakeHost::exited(119, "", "Bootstrap failed: 119: Service is disabled\n"))
              .find("disabled") != std::string::npos);
    CHECK(explain_failure(bootstrap, test::FakeHost::exited(1, "", "Bootstrap failed: 1: Operation not permitted\n"))
              .find("without sudo") != std::string::npos);
    CHECK(explain_failure(bootstrap, test::FakeHost::exited(42, "", "something new\n")) ==
          "/bin/launchctl bootstrap gui/501 /Users/u/Library/LaunchAgents/dev.ductor.plist failed (exit 42): something "
          "new");
    sdk::ProcessResult missing;
    missing.error = "no such file";
    CHECK(explain_failure({k_launchctl, "print"}, missing) == "cannot run /bin/launchctl print: no such file");
}

TEST_CASE("commands use the absolute launchctl and the domain targets") {
    const Domain gui{DomainKind::gui, 501};
    const Domain user{DomainKind::user, 501};
    CHECK(print_domain_command(DomainKind::gui, 501) == Argv{"/bin/launchctl", "print", "gui/501"});
    CHECK(print_command(user, "dev.ductor") == Argv{"/bin/launchctl", "print", "user/501/dev.ductor"});
    CHECK(bootstrap_command(gui, "/a b.plist") == Argv{"/bin/launchctl", "bootstrap", "gui/501", "/a b.plist"});
    CHECK(bootout_command(gui, "dev.ductor") == Argv{"/bin/launchctl", "bootout", "gui/501/dev.ductor"});
    CHECK(kickstart_command(gui, "x", Kick::restart) == Argv{"/bin/launchctl", "kickstart", "-k", "gui/501/x"});
    CHECK(unload_command("/p", Persist::write) == Argv{"/bin/launchctl", "unload", "-w", "/p"});
    CHECK(list_command("dev.ductor") == Argv{"/bin/launchctl", "list", "dev.ductor"});
}
