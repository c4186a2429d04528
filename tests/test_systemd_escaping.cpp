#include <catch2/catch.hpp>

#include <ductor/systemd/escaping.hpp>

#include <string>

using namespace ductor::systemd;
using namespace std::string_literals;

TEST_CASE("exec words are double-quoted with quotes and backslashes escaped") {
    CHECK(exec_word("plain").value() == R"("plain")");
    CHECK(exec_word("two words").value() == R"("two words")");
    CHECK(exec_word(R"(say "hi")").value() == R"("say \"hi\"")");
    CHECK(exec_word("it's").value() == R"("it's")");
    CHECK(exec_word(R"(C:\dir\)").value() == R"("C:\\dir\\")");
    CHECK(exec_word(R"(\\)").value() == R"("\\\\")");
}

TEST_CASE("exec words keep specifiers and variables from expanding") {
    CHECK(exec_word("100%").value() == R"("100%%")");
    CHECK(exec_word("%h/%n").value() == R"("%%h/%%n")");
    CHECK(exec_word("$HOME").value() == R"("$$HOME")");
    CHECK(exec_word("${X}").value() == R"("$${X}")");
    CHECK(exec_word("$$").value() == R"("$$$$")");
}

TEST_CASE("exec words keep empty strings, tabs, unicode and a lone semicolon") {
    CHECK(exec_word("").value() == R"("")");
    CHECK(exec_word("a\tb").value() == R"("a\x09b")");
    CHECK(exec_word("\x7f").value() == R"("\x7f")");
    CHECK(exec_word("héllo wörld ✓ 🎉").value() == "\"héllo wörld ✓ 🎉\"");
    CHECK(exec_word(";").value() == R"(";")");
}

TEST_CASE("exec words reject NUL, line breaks and invalid UTF-8 with a reason") {
    for (const auto& bad : {"a\nb"s, "a\rb"s, "a\0b"s, "\xff"s, "\xc3"s, "\xed\xa0\x80"s, "\xc0\xaf"s}) {
        auto escaped = exec_word(bad);
        CHECK_FALSE(escaped.has_value());
    }
    CHECK_THAT(exec_word("a\nb").error(), Catch::Contains("line break"));
    CHECK_THAT(exec_word("a\0b"s).error(), Catch::Contains("NUL"));
    CHECK_THAT(exec_word("\xff").error(), Catch::Contains("UTF-8"));
}

TEST_CASE("a program path with a dollar sign is refused because systemd would not run it literally") {
    CHECK(exec_program("/usr/bin/my prog").value() == R"("/usr/bin/my prog")");
    CHECK(exec_program("/opt/100%/run").value() == R"("/opt/100%%/run")");
    CHECK_THAT(exec_program("/opt/$x/run").error(), Catch::Contains("'$'"));
}

TEST_CASE("a program path systemd refuses as an executable is refused with the character named") {
    // systemd's string_is_safe(): "Executable name contains special characters".
    CHECK_THAT(exec_program("/opt/it's/run").error(), Catch::Contains("an apostrophe"));
    CHECK_THAT(exec_program("/opt/say \"hi\"/run").error(), Catch::Contains("a double quote"));
    CHECK_THAT(exec_program("/opt/back\\slash/run").error(), Catch::Contains("a backslash"));
    CHECK_THAT(exec_program("/opt/tab\there/run").error(), Catch::Contains("0x09"));
    CHECK_THAT(exec_program("/opt/del\x7f/run").error(), Catch::Contains("0x7F"));
    CHECK_THAT(exec_program("/opt/it's/run").error(), Catch::Contains("Executable name contains special characters"));
    CHECK_THAT(exec_program("/opt/folder/").error(), Catch::Contains("names a folder"));
    CHECK(exec_program("/opt/ünï ✓ (x) & y; z/run").has_value());
}

TEST_CASE("a program path longer than systemd takes is refused") {
    CHECK_THAT(exec_program("/" + std::string(4095, 'a')).error(), Catch::Contains("less than 4096 bytes"));
    CHECK_THAT(exec_program("/opt/" + std::string(256, 'a') + "/run").error(), Catch::Contains("at most 255 bytes"));
    CHECK(exec_program("/opt/" + std::string(255, 'a') + "/run").has_value());
}

TEST_CASE("environment assignments are quoted but keep dollar signs literal") {
    CHECK(environment_assignment("A", "b").value() == R"("A=b")");
    CHECK(environment_assignment("A", "").value() == R"("A=")");
    CHECK(environment_assignment("A", "x y").value() == R"("A=x y")");
    CHECK(environment_assignment("A", "$HOME ${X}").value() == R"("A=$HOME ${X}")");
    CHECK(environment_assignment("A", "50%").value() == R"("A=50%%")");
    CHECK(environment_assignment("A", R"(q"\)").value() == R"("A=q\"\\")");
    CHECK(environment_assignment("A", "t\tu").value() == R"("A=t\x09u")");
    CHECK_FALSE(environment_assignment("A", "x\ny").has_value());
}

TEST_CASE("values systemd would strip at either end are refused, blanks inside are kept") {
    CHECK_THAT(plain_value("the description", "trailing ").error(), Catch::Contains("ends with a space or tab"));
    CHECK_THAT(plain_value("the description", " leading").error(), Catch::Contains("starts with a space or tab"));
    CHECK_THAT(plain_value("the description", "\tboth ").error(), Catch::Contains("starts and ends"));
    CHECK(plain_value("the description", "in side\tx").value() == "in side\tx");
    CHECK_THAT(working_directory_value("/srv/bot ").error(), Catch::Contains("the working directory '/srv/bot '"));
    CHECK(working_directory_value("/srv/my bot").value() == "/srv/my bot");
}

TEST_CASE("a working directory systemd refuses is refused") {
    CHECK_THAT(working_directory_value("/srv/../etc").error(), Catch::Contains("'..'"));
    CHECK_THAT(working_directory_value("srv").error(), Catch::Contains("not an absolute path"));
    CHECK_THAT(working_directory_value("/" + std::string(256, 'd')).error(), Catch::Contains("at most 255 bytes"));
    CHECK(working_directory_value("/srv/..x/100%").value() == "/srv/..x/100%%");
}

TEST_CASE("plain values escape specifiers and refuse a trailing backslash") {
    CHECK(plain_value("the description", "My bot (100%)").value() == "My bot (100%%)");
    CHECK(plain_value("the description", "quotes \" ' stay").value() == "quotes \" ' stay");
    CHECK_THAT(plain_value("the description", R"(ends\)").error(), Catch::Contains("backslash"));
    CHECK_THAT(plain_value("the working directory", "a\nb").error(), Catch::Contains("working directory"));
}
