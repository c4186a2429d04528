#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/platform/process.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/platform/system.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>

using namespace ductor;
using namespace std::chrono_literals;

namespace {
sdk::ProcessResult sh(const std::string& script, std::optional<std::string> input = std::nullopt,
                      std::chrono::milliseconds timeout = 10s) {
    sdk::ProcessRequest request;
    request.argv = {"/bin/sh", "-c", script};
    request.stdin_data = std::move(input);
    request.timeout = timeout;
    return platform::run_captured(request);
}
}  // namespace

TEST_CASE("a child's exit code, stdout and stderr come back separately") {
    auto result = sh("echo out; echo err >&2; exit 7");
    CHECK(result.started);
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == 7);
    CHECK(result.out == "out\n");
    CHECK(result.err == "err\n");
}

TEST_CASE("a child killed by a signal reports 128 plus the signal") {
    CHECK(sh("kill -TERM $$").exit_code == 128 + 15);
}

TEST_CASE("stdin is fed from the request, and is empty otherwise") {
    std::string big(300000, 'x');  // larger than a pipe buffer
    auto result = sh("wc -c", big);
    CHECK(result.out.find("300000") != std::string::npos);
    CHECK(sh("cat").out.empty());
}

TEST_CASE("arguments reach the child exactly, with no shell in between") {
    sdk::ProcessRequest request;
    request.argv = {"/usr/bin/printf", "[%s]", "a b", "$HOME", "'q'", "", "*"};
    auto result = platform::run_captured(request);
    CHECK(result.out == "[a b][$HOME]['q'][][*]");
}

TEST_CASE("extra environment reaches the child") {
    sdk::ProcessRequest request;
    request.argv = {"/bin/sh", "-c", "printf %s \"$DUCTOR_TEST_VALUE\""};
    request.environment = {{"DUCTOR_TEST_VALUE", "v=1 2"}};
    CHECK(platform::run_captured(request).out == "v=1 2");
}

TEST_CASE("a child that outlives its timeout is killed with its process group") {
    auto start = std::chrono::steady_clock::now();
    auto result = sh("sleep 30 & sleep 30", std::nullopt, 300ms);
    CHECK(result.timed_out);
    CHECK_FALSE(result.succeeded());
    CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE("a program that does not exist is reported, not crashed on") {
    sdk::ProcessRequest request;
    request.argv = {"/nonexistent/ductor-test-program"};
    auto result = platform::run_captured(request);
    CHECK_FALSE(result.started);
    CHECK(result.error.find("No such file") != std::string::npos);
    request.argv.clear();
    CHECK_FALSE(platform::run_captured(request).started);
}

TEST_CASE("executables are found on PATH, never in relative PATH entries") {
    test::TempDir dir;
    auto tool = dir.path() / "my-tool";
    REQUIRE(platform::write_file_atomic(tool, "#!/bin/sh\n", std::filesystem::perms(0755)));
    REQUIRE(platform::write_file_atomic(dir.path() / "plain", "", std::filesystem::perms(0644)));
    CHECK(platform::find_executable("my-tool", "/nonexistent:" + dir.path().string()) == tool);
    CHECK_FALSE(platform::find_executable("plain", dir.path().string()));
    CHECK_FALSE(platform::find_executable("my-tool", "relative/dir:."));
    CHECK(platform::find_executable(tool.string(), "") == tool);
    CHECK_FALSE(platform::find_executable((dir.path() / "plain").string(), ""));
    CHECK_FALSE(platform::find_executable("", "/bin"));
    CHECK(platform::find_executable("sh", "/bin:/usr/bin"));
}

TEST_CASE("a program in the current folder is not run through an empty or relative PATH entry") {
    test::TempDir dir;
    auto marker = dir.path() / "ran";
    REQUIRE(platform::write_file_atomic(dir.path() / "ductor-cwd-probe", "#!/bin/sh\ntouch '" + marker.string() + "'\n",
                                        std::filesystem::perms(0755)));
    const std::string old_path = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
    const auto old_cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    ::setenv("PATH", (":.:" + old_path).c_str(), 1);
    sdk::ProcessRequest request;
    request.argv = {"ductor-cwd-probe"};
    auto captured = platform::run_captured(request);
    auto attached = platform::run_attached({"ductor-cwd-probe"});
    ::setenv("PATH", old_path.c_str(), 1);
    std::filesystem::current_path(old_cwd);
    CHECK_FALSE(captured.started);
    CHECK(captured.error.find("not found on PATH") != std::string::npos);
    CHECK_FALSE(attached);
    CHECK_FALSE(std::filesystem::exists(marker));
}

TEST_CASE("input for a child that exits without reading it does not kill the caller") {
    sdk::ProcessRequest request;
    request.argv = {"/bin/true"};
    request.stdin_data = std::string(4 << 20, 'x');
    auto result = platform::run_captured(request);
    CHECK(result.started);
    CHECK(result.exit_code == 0);
}

TEST_CASE("the timeout holds for a child that closes its output and keeps running") {
    auto start = std::chrono::steady_clock::now();
    auto result = sh("exec >/dev/null 2>&1; sleep 30", std::nullopt, 300ms);
    CHECK(result.timed_out);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE("a process's age is known while it runs and unknown for a process that does not exist") {
    auto age = platform::process_age(platform::current_pid());
    REQUIRE(age);
    CHECK(*age >= 0s);
    CHECK(*age < 24h);  // this test process started moments ago, not a day or a boot ago
    CHECK_FALSE(platform::process_age(-1));
}
