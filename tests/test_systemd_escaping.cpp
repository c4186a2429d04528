#include <catch2/catch.hpp>

#include <ductor/systemd/escaping.hpp>

#include <string>

using namespace ductor::systemd;
using namespace std::string_literals;

TEST_CASE("exec words are double-quoted with quotes and backslashes escaped") {
    CHECK(exec_word("plain").text == R"("plain")");
    CHECK(exec_word("two words").text == R"("two words")");
    CHECK(exec_word(R"(say "hi")").text == R"("say \"hi\"")");
    CHECK(exec_word("it's").text == R"("it's")");
    CHECK(exec_word(R"(C:\dir\)").text == R"("C:\\dir\\")");
    CHECK(exec_word(R"(\\)").text == R"("\\\\")");
}

TEST_CASE("exec words keep specifiers and variables from expanding") {
    CHECK(exec_word("100%").text == R"("100%%")");
    CHECK(exec_word("%h/%n").text == R"("%%h/%%n")");
    CHECK(exec_word("$HOME").text == R"("$$HOME")");
    CHECK(exec_word("${X}").text == R"("$${X}")");
    CHECK(exec_word("$$").text == R"("$$$$")");
}

TEST_CASE("exec words keep empty strings, tabs, unicode and a lone semicolon") {
    CHECK(exec_word("").text == R"("")");
    CHECK(exec_word("a\tb").text == R"("a\x09b")");
    CHECK(exec_word("\x7f").text == R"("\x7f")");
    CHECK(exec_word("héllo wörld ✓ 🎉").text == "\"héllo wörld ✓ 🎉\"");
    CHECK(exec_word(";").text == R"(";")");
}

TEST_CASE("exec words reject NUL, line breaks and invalid UTF-8 with a reason") {
    for (const auto& bad : {"a\nb"s, "a\rb"s, "a\0b"s, "\xff"s, "\xc3"s, "\xed\xa0\x80"s, "\xc0\xaf"s}) {
        auto escaped = exec_word(bad);
        CHECK_FALSE(escaped.ok());
        CHECK(escaped.text.empty());
    }
    CHECK_THAT(exec_word("a\nb").error, Catch::Contains("line break"));
    CHECK_THAT(exec_word("a\0b"s).error, Catch::Contains("NUL"));
    CHECK_THAT(exec_word("\xff").error, Catch::Contains("UTF-8"));
}

TEST_CASE("a program path with a dollar sign is refused because systemd would not run it literally") {
    CHECK(exec_program("/usr/bin/my prog").text == R"("/usr/bin/my prog")");
    CHECK(exec_program("/opt/100%/run").text == R"("/opt/100%%/run")");
    CHECK_THAT(exec_program("/opt/$x/run").error, Catch::Contains("'$'"));
}

TEST_CASE("environment assignments are quoted but keep dollar signs literal") {
    CHECK(environment_assignment("A", "b").text == R"("A=b")");
    CHECK(environment_assignment("A", "").text == R"("A=")");
    CHECK(environment_assignment("A", "x y").text == R"("A=x y")");
    CHECK(environment_assignment("A", "$HOME ${X}").text == R"("A=$HOME ${X}")");
    CHECK(environment_assignment("A", "50%").text == R"("A=50%%")");
    CHECK(environment_assignment("A", R"(q"\)").text == R"("A=q\"\\")");
    CHECK(environment_assignment("A", "t\tu").text == R"("A=t\x09u")");
    CHECK_FALSE(environment_assignment("A", "x\ny").ok());
}

TEST_CASE("plain values escape specifiers and refuse a trailing backslash") {
    CHECK(plain_value("the description", "My bot (100%)").text == "My bot (100%%)");
    CHECK(plain_value("the description", "quotes \" ' stay").text == "quotes \" ' stay");
    CHECK_THAT(plain_value("the description", R"(ends\)").error, Catch::Contains("backslash"));
    CHECK_THAT(plain_value("the working directory", "a\nb").error, Catch::Contains("working directory"));
}
