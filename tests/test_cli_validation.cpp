#include "temp_dir.hpp"

#include <ductor/cli/invocation.hpp>
#include <ductor/service/spec_builder.hpp>

#include <catch2/catch.hpp>

using namespace ductor;
using service::Check;

namespace {

cli::ServiceCommand install(std::vector<std::string> program) {
    cli::ServiceCommand cmd;
    cmd.action = cli::ServiceAction::install;
    cmd.program = std::move(program);
    return cmd;
}

std::string error_of(const cli::ServiceCommand& cmd, Check check = Check::strict) {
    auto built = service::build_spec(cmd, check);
    if (!built) return built.error();
    return {};
}

}  // namespace

TEST_CASE("service names follow [A-Za-z0-9][A-Za-z0-9._-]{0,63}") {
    for (const char* ok : {"ductor", "a", "Bot-2", "x.y_z", "9lives"}) CHECK(service::check_name(ok).has_value());
    CHECK(service::check_name(std::string(64, 'a')).has_value());
    CHECK_FALSE(service::check_name(std::string(65, 'a')).has_value());
    for (const char* bad : {"", "-x", ".hidden", "_x", "a b", "a/b", "a\nb", "ü", "a$b", "a@b"}) {
        INFO(bad);
        CHECK_FALSE(service::check_name(bad).has_value());
    }
}

TEST_CASE("the --env option must be KEY=VALUE with a portable key") {
    auto ok = service::parse_env("TOKEN=a=b c").value();
    CHECK(ok.key == "TOKEN");
    CHECK(ok.value == "a=b c");
    CHECK(service::parse_env("_X=").value().value.empty());
    for (const char* bad : {"NOVALUE", "=v", "1X=v", "A-B=v", "A B=v", "Ä=v"}) {
        INFO(bad);
        CHECK_FALSE(service::parse_env(bad).has_value());
    }
    CHECK(service::parse_env("A=line\nbreak").error().find("line break") != std::string::npos);
}

TEST_CASE("install resolves the program to an absolute path") {
    auto built = service::build_spec(install({"sh", "-c", "x"}), Check::strict).value();
    CHECK(std::filesystem::path(built.spec.argv[0]).is_absolute());
    CHECK(built.spec.argv[1] == "-c");
    CHECK(built.spec.restart == sdk::RestartPolicy::on_failure);
}

TEST_CASE("a missing or non-executable program is an error, a warning in a preview") {
    test::TempDir dir;
    CHECK(error_of(install({"ductor-no-such-program"})).find("was not found on PATH") != std::string::npos);
    CHECK(error_of(install({(dir.path() / "nope").string()})).find("does not exist or is not executable") !=
          std::string::npos);
    CHECK(error_of(install({dir.path().string()})).find("not executable") != std::string::npos);
    auto preview = service::build_spec(install({"ductor-no-such-program"}), Check::preview).value();
    CHECK(preview.spec.argv[0] == "ductor-no-such-program");
    CHECK(preview.warnings.size() == 1);
}

TEST_CASE("line breaks are rejected in every field") {
    auto cmd = install({"/bin/sh", "a\nb"});
    CHECK(error_of(cmd).find("argument 1 contains a line break") != std::string::npos);
    cmd = install({"/bin/sh"});
    cmd.description = "two\rlines";
    CHECK(error_of(cmd).find("--description") != std::string::npos);
    cmd = install({"/bin/sh"});
    cmd.workdir = "/tmp\n";
    CHECK(error_of(cmd).find("--workdir") != std::string::npos);
    cmd = install({"/bin/sh"});
    cmd.env = {"A=x\ny"};
    CHECK(error_of(cmd).find("line break") != std::string::npos);
}

TEST_CASE("install options are checked") {
    auto cmd = install({"/bin/sh"});
    cmd.workdir = "/nonexistent-ductor-dir";
    CHECK(error_of(cmd).find("is not an existing folder") != std::string::npos);
    CHECK(error_of(cmd, Check::preview).empty());
    cmd = install({"/bin/sh"});
    cmd.env = {"A=1", "B=2", "A=3"};
    CHECK(error_of(cmd) == "--env A is given twice");
    cmd = install({"/bin/sh"});
    cmd.restart = "sometimes";
    CHECK(error_of(cmd).find("use never, on-failure or always") != std::string::npos);
    cmd = install({"/bin/sh"});
    cmd.restart_delay = -1;
    CHECK(error_of(cmd).find("--restart-delay") != std::string::npos);
    cmd = install({"/bin/sh"});
    cmd.name = "bad name";
    CHECK(error_of(cmd).find("may contain only") != std::string::npos);
}

TEST_CASE("a valid install fills every spec field") {
    auto cmd = install({"/bin/sh", "-c", "echo hi"});
    cmd.name = "bot";
    cmd.description = "Bot";
    cmd.workdir = "/tmp/../tmp";
    cmd.env = {"A=1", "PATH=/x"};
    cmd.restart = "never";
    cmd.restart_delay = 2;
    auto spec = service::build_spec(cmd, Check::strict).value().spec;
    CHECK(spec.name == "bot");
    CHECK(spec.working_directory == std::filesystem::path("/tmp"));
    CHECK(spec.environment == std::vector<sdk::EnvVar>{{"A", "1"}, {"PATH", "/x"}});
    CHECK(spec.restart == sdk::RestartPolicy::never);
    CHECK(spec.restart_delay == std::chrono::seconds(2));
}

TEST_CASE("status and logs carry --log-dir into the spec") {
    cli::ServiceCommand cmd;
    cmd.action = cli::ServiceAction::logs;
    cmd.log_dir = "/var/log/../log/bot";
    auto spec = service::build_spec(cmd, Check::strict).value().spec;
    CHECK(spec.log_directory == std::filesystem::path("/var/log/bot"));
    cmd.log_dir = "/bad\ndir";
    CHECK(error_of(cmd).find("--log-dir") != std::string::npos);
}
