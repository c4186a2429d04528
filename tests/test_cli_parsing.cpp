#include <ductor/cli/invocation.hpp>

#include <catch2/catch.hpp>

using namespace ductor::cli;

namespace {

Invocation parse(std::vector<std::string> args, std::optional<std::string> env_backend = std::nullopt) {
    return parse_command_line(args, env_backend);
}

ServiceCommand service(std::vector<std::string> args) {
    return std::get<ServiceCommand>(parse(std::move(args)).command);
}

std::string usage_error(std::vector<std::string> args) {
    try {
        parse(std::move(args));
    } catch (const UsageError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("install takes the program after -- as an argv, untouched") {
    auto cmd = service({"service", "install", "--name", "bot", "--", "node", "--name", "x y", "--", ""});
    CHECK(cmd.action == ServiceAction::install);
    CHECK(cmd.name == "bot");
    CHECK(cmd.program == std::vector<std::string>{"node", "--name", "x y", "--", ""});
}

TEST_CASE("install options are read, repeatable ones in order") {
    auto cmd = service({"service", "install", "--description", "My bot", "--workdir", "/tmp", "--env", "A=1",
                        "--env=B=2", "--restart", "always", "--restart-delay", "3", "--log-dir", "/var/tmp",
                        "--enable-linger", "--dry-run", "--", "/bin/true"});
    CHECK(cmd.description == "My bot");
    CHECK(cmd.workdir == "/tmp");
    CHECK(cmd.env == std::vector<std::string>{"A=1", "B=2"});
    CHECK(cmd.restart == "always");
    CHECK(cmd.restart_delay == 3);
    CHECK(cmd.log_dir == "/var/tmp");
    CHECK(cmd.enable_linger);
    CHECK(cmd.dry_run);
}

TEST_CASE("global options may stand before or after the command words") {
    auto before = parse({"--backend", "systemd", "--plugin-dir", "/a", "service", "status"});
    auto after = parse({"service", "status", "--plugin-dir", "/a", "--plugin-dir=/b", "--backend=launchd", "-v"});
    CHECK(before.global.backend == "systemd");
    CHECK(before.global.plugin_dirs == std::vector<std::filesystem::path>{"/a"});
    CHECK(after.global.backend == "launchd");
    CHECK(after.global.plugin_dirs == std::vector<std::filesystem::path>{"/a", "/b"});
    CHECK(after.global.verbosity == Verbosity::verbose);
    auto between = parse({"service", "--name", "x", "logs", "-n", "5", "-f"});
    auto logs = std::get<ServiceCommand>(between.command);
    CHECK(logs.name == "x");
    CHECK(logs.lines == 5U);
    CHECK(logs.follow);
}

TEST_CASE("DUCTOR_BACKEND is used only when --backend is absent") {
    CHECK(parse({"plugins"}, "launchd").global.backend == "launchd");
    CHECK(parse({"plugins", "--backend", "systemd"}, "launchd").global.backend == "systemd");
    CHECK_FALSE(parse({"plugins"}, "").global.backend);
}

TEST_CASE("help works at every level and --version at the top") {
    CHECK(std::holds_alternative<HelpRequest>(parse({"--help"}).command));
    CHECK(std::get<HelpRequest>(parse({"service", "--help"}).command).text.find("Actions:") != std::string::npos);
    auto install_help = std::get<HelpRequest>(parse({"service", "install", "-h"}).command).text;
    CHECK(install_help.find("--dry-run") != std::string::npos);
    CHECK(install_help.find("Examples:") != std::string::npos);
    CHECK(std::get<HelpRequest>(parse({"plugins", "--help"}).command).text.find("Search order") != std::string::npos);
    CHECK(std::holds_alternative<VersionRequest>(parse({"--version"}).command));
}

TEST_CASE("bad command lines are usage errors that say what is wrong") {
    CHECK(usage_error({}) == "no command given");
    CHECK(usage_error({"frobnicate"}) == "unknown command 'frobnicate'");
    CHECK(usage_error({"service"}).find("needs an action") != std::string::npos);
    CHECK(usage_error({"service", "explode"}) == "unknown service action 'explode'");
    CHECK(usage_error({"service", "install"}).find("needs the program after '--'") != std::string::npos);
    CHECK(usage_error({"service", "install", "/bin/true"}).find("put the program and its arguments after '--'") !=
          std::string::npos);
    CHECK(usage_error({"service", "status", "--", "x"}).find("only taken by 'service install'") != std::string::npos);
    CHECK(usage_error({"service", "status", "--bogus"}).find("bogus") != std::string::npos);
    CHECK(usage_error({"service", "status", "--dry-run"}).find("dry-run") != std::string::npos);
    CHECK(usage_error({"service", "logs", "-n", "many"}).find("many") != std::string::npos);
    CHECK(usage_error({"service", "logs", "-n", "-3"}) != "no error");
    CHECK(usage_error({"service", "status", "--name"}).find("name") != std::string::npos);
    CHECK(usage_error({"-v", "-q", "plugins"}).find("cannot be used together") != std::string::npos);
    CHECK(usage_error({"service", "install", "--restart-delay", "soon", "--", "/bin/true"}) != "no error");
}

TEST_CASE("status and logs take the --log-dir a service was installed with") {
    CHECK(service({"service", "logs", "--log-dir", "/var/log/bot"}).log_dir == "/var/log/bot");
    CHECK(service({"service", "status", "--log-dir=/x"}).log_dir == "/x");
    CHECK_THROWS_AS(parse({"service", "start", "--log-dir", "/x"}), UsageError);
}

TEST_CASE("the mutating actions take --json and --dry-run; logs takes neither") {
    for (const std::string action : {"start", "stop", "restart", "uninstall"}) {
        auto cmd = service({"service", action, "--name", "bot", "--json", "--dry-run"});
        CHECK(cmd.json);
        CHECK(cmd.dry_run);
        CHECK_FALSE(service({"service", action}).json);
    }
    auto install = service({"service", "install", "--json", "--", "/bin/true"});
    CHECK(install.json);
    CHECK_FALSE(install.dry_run);
    CHECK_THROWS_AS(parse({"service", "logs", "--json"}), UsageError);
    CHECK_THROWS_AS(parse({"service", "logs", "--dry-run"}), UsageError);
}

TEST_CASE("an option of another command still has its value skipped when the words are split") {
    // --env belongs to install and run: its value is skipped, so "A=1" is not taken for a command word, and the
    // command named is told that the option is not one of its own.
    CHECK(usage_error({"--env", "A=1", "service", "status", "--name", "x"}) == "unrecognised option '--env'");
}
