#include <ductor/sdk/windows_command_line.hpp>

#include "hostile_argv.hpp"
#include "windows_command_line.hpp"

#include <catch2/catch.hpp>

#include <random>

using ductor::sdk::join_windows_arguments;
using ductor::sdk::quote_windows_argument;
using ductor::test::split_windows_arguments;
using ductor::test::split_windows_command_line;
using Argv = std::vector<std::string>;

TEST_CASE("the reference splitter follows Microsoft's documented examples") {
    // The examples table of "Parsing C++ command-line arguments".
    CHECK(split_windows_arguments(R"("abc" d e)") == Argv{"abc", "d", "e"});
    CHECK(split_windows_arguments(R"(a\\b d"e f"g h)") == Argv{R"(a\\b)", "de fg", "h"});
    CHECK(split_windows_arguments(R"(a\\\"b c d)") == Argv{R"(a\"b)", "c", "d"});
    CHECK(split_windows_arguments(R"(a\\\\"b c" d e)") == Argv{R"(a\\b c)", "d", "e"});
    CHECK(split_windows_arguments(R"(a"b"" c d)") == Argv{R"(ab" c d)"});
    CHECK(split_windows_arguments(R"("" x)") == Argv{"", "x"});
    CHECK(split_windows_command_line(R"("C:\Program Files\x.exe" a\)") == Argv{R"(C:\Program Files\x.exe)", R"(a\)"});
    CHECK(split_windows_command_line("prog.exe") == Argv{"prog.exe"});
}

TEST_CASE("plain arguments are not quoted") {
    CHECK(quote_windows_argument("run") == "run");
    CHECK(quote_windows_argument(R"(C:\dir\file.exe)") == R"(C:\dir\file.exe)");
    CHECK(quote_windows_argument(R"(trailing\)") == R"(trailing\)");
    CHECK(quote_windows_argument("é&<>") == "é&<>");
}

TEST_CASE("arguments with blanks, quotes or nothing at all are quoted for CommandLineToArgvW") {
    CHECK(quote_windows_argument("") == R"("")");
    CHECK(quote_windows_argument("a b") == R"("a b")");
    CHECK(quote_windows_argument("a\tb") == "\"a\tb\"");
    CHECK(quote_windows_argument(R"(say "hi")") == R"("say \"hi\"")");
    CHECK(quote_windows_argument(R"(back\"quote)") == R"("back\\\"quote")");
    CHECK(quote_windows_argument(R"(C:\Program Files\)") == R"("C:\Program Files\\")");
    CHECK(quote_windows_argument(R"(C:\Program Files\\)") == R"("C:\Program Files\\\\")");
    CHECK(quote_windows_argument(R"(a\b c)") == R"("a\b c")");
    CHECK(quote_windows_argument("\"") == R"("\"")");
}

TEST_CASE("joined arguments split back into the same argv") {
    const Argv argv{"", "a b", R"(x\)", R"(y\\")", "\"", "\t", R"(C:\Program Files\ductor\)"};
    CHECK(split_windows_arguments(join_windows_arguments(argv)) == argv);
}

TEST_CASE("generated hostile argvs survive quoting and CommandLineToArgvW splitting") {
    std::mt19937 rng(20240611);
    const std::string program = R"(C:\Program Files\ductor\ductorw.exe)";
    for (int round = 0; round < 5000; ++round) {
        const auto argv = ductor::test::hostile_argv(rng, true);
        const auto line = "\"" + program + "\" " + join_windows_arguments(argv);
        auto expected = argv;
        expected.insert(expected.begin(), program);
        INFO("command line: " << line);
        REQUIRE(split_windows_command_line(line) == expected);
    }
}
