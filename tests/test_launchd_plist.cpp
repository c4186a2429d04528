// The launchd plist: XML escaping, what XML 1.0 cannot carry, and the golden
// files of the default and a named service.
#include "fake_host.hpp"
#include "hostile_argv.hpp"

#include <ductor/launchd/agent.hpp>
#include <ductor/launchd/plist.hpp>
#include <ductor/platform/files.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>
#include <string>

using namespace ductor;

namespace {

// The rendered plist of `spec` with the sandbox home replaced by @HOME@, as
// the golden files store it.
std::string golden_text(const sdk::ServiceSpec& spec, const test::FakeHost& host) {
    auto text = launchd::render_plist(launchd::agent_for(spec, host)).value();
    const std::string home = host.home_directory().string();
    for (std::size_t at; (at = text.find(home)) != std::string::npos;) text.replace(at, home.size(), "@HOME@");
    return text;
}

// The golden file's text. With DUCTOR_UPDATE_GOLDEN=1 in the environment the
// file is first rewritten from `actual` (review the diff before committing).
std::string golden_file(const std::string& name, const std::string& actual) {
    const std::filesystem::path path = std::string(DUCTOR_TEST_SOURCE_DIR) + "/golden/launchd/" + name;
    if (const char* update = std::getenv("DUCTOR_UPDATE_GOLDEN"); update && std::string(update) == "1")
        REQUIRE(platform::write_file_atomic(path, actual, std::filesystem::perms(0644)));
    auto text = platform::read_file(path);
    REQUIRE(text.has_value());
    return *text;
}

}  // namespace

TEST_CASE("escape_xml escapes markup and CR and leaves everything else alone") {
    CHECK(launchd::escape_xml("") == "");
    CHECK(launchd::escape_xml("plain /usr/bin text") == "plain /usr/bin text");
    CHECK(launchd::escape_xml("a<b&c>d") == "a&lt;b&amp;c&gt;d");
    CHECK(launchd::escape_xml("]]>") == "]]&gt;");
    CHECK(launchd::escape_xml("&amp;") == "&amp;amp;");
    CHECK(launchd::escape_xml("<![CDATA[x]]>") == "&lt;![CDATA[x]]&gt;");
    CHECK(launchd::escape_xml("\"quoted\" 'single'") == "\"quoted\" 'single'");
    CHECK(launchd::escape_xml(" lead\ttrail ") == " lead\ttrail ");
    CHECK(launchd::escape_xml("cr\rhere") == "cr&#13;here");
    CHECK(launchd::escape_xml("日本語 😀 é") == "日本語 😀 é");
}

TEST_CASE("check_xml_text accepts every character XML 1.0 can carry") {
    for (const char* ok :
         {"", "\t", "\n", "\r", " ", "~", "\x7f", "é", "\xED\x9F\xBF" /* U+D7FF */, "\xEE\x80\x80" /* U+E000 */,
          "\xEF\xBF\xBD" /* U+FFFD */, "😀", "\xF4\x8F\xBF\xBF" /* U+10FFFF */}) {
        INFO(ok);
        CHECK(launchd::check_xml_text(ok));
    }
}

TEST_CASE("check_xml_text rejects control characters with their code point and position") {
    for (int c = 1; c < 0x20; ++c) {
        if (c == '\t' || c == '\n' || c == '\r') continue;
        const std::string text = std::string("ab") + static_cast<char>(c);
        auto carried = launchd::check_xml_text(text);
        REQUIRE_FALSE(carried);
        char expected[40];
        std::snprintf(expected, sizeof expected, "control character U+%04X at byte 2", static_cast<unsigned>(c));
        CHECK(carried.error() == expected);
    }
    CHECK(launchd::check_xml_text(std::string(1, '\0')).error() == "control character U+0000 at byte 0");
}

TEST_CASE("check_xml_text rejects non-characters and invalid UTF-8") {
    CHECK(launchd::check_xml_text("x\xEF\xBF\xBE").error() == "character U+FFFE at byte 1");
    CHECK(launchd::check_xml_text("\xEF\xBF\xBF").error() == "character U+FFFF at byte 0");
    for (const char* bad : {"\xC0\x80", "\xFF", "\x80", "\xED\xA0\x80" /* surrogate */, "\xE6\x97",
                            "\xF4\x90\x80\x80" /* above U+10FFFF */, "\xE0\x80\xAF" /* overlong */}) {
        auto carried = launchd::check_xml_text(std::string("ok") + bad);
        REQUIRE_FALSE(carried);
        CHECK(carried.error() == "invalid UTF-8 at byte 2");
    }
}

TEST_CASE("render_plist refuses a field XML cannot carry and names the field") {
    test::FakeHost host;
    sdk::ServiceSpec spec;
    spec.argv = {"/bin/echo", "bell\x07"};
    auto rendered = launchd::render_plist(launchd::agent_for(spec, host));
    CHECK_FALSE(rendered);
    CHECK(rendered.error() ==
          "ProgramArguments[8] has control character U+0007 at byte 4, which an XML property list cannot carry");

    spec.argv = {"/bin/echo"};
    spec.environment = {{"TOKEN", "a\x1b[0m"}};
    rendered = launchd::render_plist(launchd::agent_for(spec, host));
    CHECK(rendered.error().find("environment variable TOKEN has control character U+001B") == 0);

    spec.environment = {};
    spec.working_directory = "/tmp/\xFF";
    CHECK(launchd::render_plist(launchd::agent_for(spec, host)).error().find("WorkingDirectory has invalid UTF-8") ==
          0);
}

TEST_CASE("the default service renders the golden plist") {
    test::FakeHost host;
    sdk::ServiceSpec spec;
    spec.argv = {"/opt/homebrew/bin/ductor-bot"};
    const auto actual = golden_text(spec, host);
    CHECK(actual == golden_file("default.plist", actual));
}

TEST_CASE("a named service with options renders the golden plist") {
    test::FakeHost host;
    sdk::ServiceSpec spec;
    spec.name = "chat-bot";
    spec.argv = {"/usr/local/bin/node", "/srv/bot/index.js", "--greeting", "Hi & <welcome>"};
    spec.working_directory = "/srv/bot";
    spec.environment = {{"NODE_ENV", "production"}, {"PATH", "/custom/bin:/usr/bin"}};
    spec.restart = sdk::RestartPolicy::always;
    spec.restart_delay = std::chrono::seconds(30);
    const auto actual = golden_text(spec, host);
    CHECK(actual == golden_file("named.plist", actual));
}

TEST_CASE("the restart policy maps to KeepAlive") {
    test::FakeHost host;
    sdk::ServiceSpec spec;
    spec.argv = {"/bin/true"};
    spec.restart = sdk::RestartPolicy::never;
    const auto text = launchd::render_plist(launchd::agent_for(spec, host)).value();
    CHECK(text.find("\t<key>KeepAlive</key>\n\t<false/>\n") != std::string::npos);
    CHECK(text.find("SuccessfulExit") == std::string::npos);
}

TEST_CASE("program_arguments_of reads back every argv the plist can carry") {
    std::mt19937 rng(20261202);
    for (int round = 0; round < 500; ++round) {
        launchd::AgentPlist agent;
        agent.label = "dev.ductor.x";
        agent.program_arguments = test::hostile_argv(rng, false);
        agent.program_arguments.push_back("cr\rand\ttab");
        const auto rendered = launchd::render_plist(agent);
        REQUIRE(rendered);
        CHECK(launchd::program_arguments_of(*rendered) == agent.program_arguments);
    }
}

TEST_CASE("program_arguments_of reads a hand-edited plist and refuses what is not an array of strings") {
    using launchd::program_arguments_of;
    using Args = std::vector<std::string>;
    CHECK(program_arguments_of("<dict><key>ProgramArguments</key>\n  <array>\n <string>/bin/echo</string><string/>"
                               "<string>&#x41;&#66;&#x65E5;</string></array></dict>") ==
          Args{"/bin/echo", "", "AB\xE6\x97\xA5"});
    CHECK(program_arguments_of("<key>ProgramArguments</key><array></array>") == Args{});
    CHECK_FALSE(program_arguments_of("<key>Program</key><string>/bin/echo</string>"));
    CHECK_FALSE(program_arguments_of("<key>ProgramArguments</key><string>/bin/echo</string>"));
    CHECK_FALSE(program_arguments_of("<key>ProgramArguments</key><array><string>a</string>"));
    CHECK_FALSE(program_arguments_of("<key>ProgramArguments</key><array><string>&bogus;</string></array>"));
    CHECK_FALSE(program_arguments_of("<key>ProgramArguments</key><array><string>&#0;</string></array>"));
    CHECK_FALSE(program_arguments_of("<key>ProgramArguments</key><array><integer>1</integer></array>"));
}
