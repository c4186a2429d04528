#include "hostile_argv.hpp"

#include <ductor/platform/process.hpp>
#include <ductor/sdk/shell.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

using ductor::sdk::shell_join;
using ductor::sdk::shell_quote;

TEST_CASE("shell_quote leaves plain words alone and single-quotes the rest") {
    CHECK(shell_quote("/usr/bin/node") == "/usr/bin/node");
    CHECK(shell_quote("--port=8080,a:b@c%d+e") == "--port=8080,a:b@c%d+e");
    CHECK(shell_quote("") == "''");
    CHECK(shell_quote("a b") == "'a b'");
    CHECK(shell_quote("it's") == "'it'\\''s'");
    CHECK(shell_quote("$HOME `id` \\ * ~ !") == "'$HOME `id` \\ * ~ !'");
    CHECK(shell_quote("caf\xC3\xA9") == "'caf\xC3\xA9'");
}

TEST_CASE("shell_join separates the quoted words by one space") {
    CHECK(shell_join({}) == "");
    CHECK(shell_join({"/bin/echo", "", "a b", "x"}) == "/bin/echo '' 'a b' x");
}

// The shells a run script may meet: the system's sh (dash on Debian), bash, busybox.
TEST_CASE("every POSIX shell here reads shell_join of a hostile argv back exactly") {
    std::mt19937 rng(20261202);
    for (const char* shell : {"/bin/sh", "/bin/bash", "/bin/dash", "/bin/busybox"}) {
        if (!std::filesystem::exists(shell)) continue;
        INFO(shell);
        for (int round = 0; round < 60; ++round) {
            auto argv = ductor::test::hostile_argv(rng, round % 2 == 0);
            std::string expected;
            for (const auto& arg : argv) expected += arg + '\n' + '\x01';
            ductor::sdk::ProcessRequest request;
            const std::string script = "for a in " + shell_join(argv) + "; do printf '%s\\n\\001' \"$a\"; done";
            request.argv = {shell, "-c", script};
            if (std::string(shell) == "/bin/busybox") request.argv.insert(request.argv.begin() + 1, "sh");
            auto result = ductor::platform::run_captured(request);
            INFO(script);
            REQUIRE(result.succeeded());
            CHECK(result.out == expected);
        }
    }
}
