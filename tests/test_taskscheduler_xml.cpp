#include <ductor/taskscheduler/action.hpp>
#include <ductor/taskscheduler/task_xml.hpp>
#include <ductor/taskscheduler/text.hpp>

#include <ductor/sdk/runner.hpp>

#include "hostile_argv.hpp"
#include "windows_command_line.hpp"

#include <ductor/platform/files.hpp>

#include <catch2/catch.hpp>

#include <random>

namespace ts = ductor::taskscheduler;
using Argv = std::vector<std::string>;

namespace {

// The text of the first <name> element, with the five predefined entities and
// numeric references undone (enough for what render_task_xml writes).
std::string element_text(const std::string& xml, const std::string& name) {
    const auto open = "<" + name + ">";
    auto begin = xml.find(open);
    if (begin == std::string::npos) return "<missing>";
    begin += open.size();
    const auto raw = xml.substr(begin, xml.find("</" + name + ">", begin) - begin);
    std::string text;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '&') {
            text.push_back(raw[i]);
            continue;
        }
        const auto end = raw.find(';', i);
        const auto entity = raw.substr(i + 1, end - i - 1);
        if (entity == "amp")
            text.push_back('&');
        else if (entity == "lt")
            text.push_back('<');
        else if (entity == "gt")
            text.push_back('>');
        else if (entity == "quot")
            text.push_back('"');
        else if (entity == "apos")
            text.push_back('\'');
        else if (entity[0] == '#')
            text.push_back(static_cast<char>(std::stoi(entity.substr(1))));
        i = end;
    }
    return text;
}

const std::filesystem::path k_definition(R"(C:\Users\tester\.ductor\tasks\ductor.run)");

ductor::sdk::ServiceSpec default_spec() {
    ductor::sdk::ServiceSpec spec;
    spec.argv = {R"(C:\Users\tester\bots\chatbot.exe)", "--config", R"(C:\Users\tester\My Bot\config.toml)"};
    return spec;
}

}  // namespace

TEST_CASE("XML escaping turns markup characters into references") {
    auto escaped = ts::escape_xml(R"(<a href="x">Tom & Jerry's</a>)");
    REQUIRE(escaped.has_value());
    CHECK(escaped.value() == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;");
    CHECK(ts::escape_xml("]]>").value() == "]]&gt;");
    CHECK(ts::escape_xml("a\tb\rc").value() == "a&#9;b&#13;c");
    CHECK(ts::escape_xml("é 日本 \xF0\x9F\x98\x80").value() == "é 日本 \xF0\x9F\x98\x80");
}

TEST_CASE("XML escaping rejects characters XML 1.0 cannot carry and broken UTF-8") {
    auto control = ts::escape_xml("bell\x07");
    CHECK_FALSE(control.has_value());
    CHECK(control.error() == "XML cannot carry the control character U+0007 (byte 4)");
    CHECK_FALSE(ts::escape_xml(std::string("nul\0", 4)).has_value());
    CHECK_FALSE(ts::escape_xml("\xEF\xBF\xBE").has_value());  // U+FFFE
    CHECK_FALSE(ts::escape_xml("\xC3").has_value());          // truncated sequence
    CHECK_FALSE(ts::escape_xml("\xC0\xAF").has_value());      // overlong '/'
    CHECK_FALSE(ts::escape_xml("\xED\xA0\x80").has_value());  // a UTF-16 surrogate
    CHECK(ts::escape_xml("\xC3").error() == "the text is not valid UTF-8 (byte 0)");
}

TEST_CASE("UTF-16LE encoding starts with the byte order mark and uses surrogate pairs") {
    CHECK(ts::to_utf16le_with_bom("A").value() == std::string("\xFF\xFE"
                                                              "A\0",
                                                              4));
    CHECK(ts::to_utf16le_with_bom("é").value() == std::string("\xFF\xFE\xE9\0", 4));
    CHECK(ts::to_utf16le_with_bom("日").value() == std::string("\xFF\xFE\xE5\x65", 4));
    CHECK(ts::to_utf16le_with_bom("\xF0\x9F\x98\x80").value() == std::string("\xFF\xFE\x3D\xD8\x00\xDE", 6));
    CHECK_FALSE(ts::to_utf16le_with_bom("\xFF").has_value());
}

TEST_CASE("the default spec renders the golden task XML") {
    const auto task = ts::task_definition(default_spec(), R"(C:\Program Files\ductor\bin\ductorw.exe)",
                                          ts::task_user_id("tester", std::string("DESKTOP-7Q2")), k_definition);
    const auto xml = ts::render_task_xml(task);
    REQUIRE(xml.has_value());
    const auto golden = ductor::platform::read_file(DUCTOR_TEST_SOURCE_DIR "/golden/taskscheduler/default.xml");
    REQUIRE(golden);
    CHECK(xml.value() == *golden);
}

TEST_CASE("the task runs the runner with the spec's name, restart policy and program") {
    auto spec = default_spec();
    spec.name = "bot";
    spec.restart = ductor::sdk::RestartPolicy::always;
    spec.restart_delay = std::chrono::seconds(7);
    spec.log_directory = std::filesystem::path(R"(D:\logs)");
    CHECK(ts::runner_arguments(spec, std::nullopt) == Argv{"run", "--name", "bot", "--log-to", "file", "--log-dir",
                                                           R"(D:\logs)", "--restart", "always", "--restart-delay", "7",
                                                           "--", spec.argv[0], spec.argv[1], spec.argv[2]});
    spec.restart = ductor::sdk::RestartPolicy::never;
    spec.restart_delay.reset();
    spec.log_directory.reset();
    CHECK(ts::runner_arguments(spec, std::nullopt) == Argv{"run", "--name", "bot", "--log-to", "file", "--restart",
                                                           "never", "--restart-delay", "60", "--", spec.argv[0],
                                                           spec.argv[1], spec.argv[2]});
}

TEST_CASE("a moved ductor home reaches the task's runner as --home in the definition, where a '%' is harmless") {
    auto spec = default_spec();
    spec.working_directory = std::filesystem::path(R"(C:\work)");
    spec.environment = {{"TOKEN", "x"}};
    const std::filesystem::path home(R"(D:\ductor 100% & co)");
    CHECK(ts::runner_arguments(spec, home) == Argv{"run", "--name", "ductor", "--log-to", "file", "--restart",
                                                   "on-failure", "--restart-delay", "60", "--workdir", R"(C:\work)",
                                                   "--home", home.string(), "--env", "TOKEN=x", "--", spec.argv[0],
                                                   spec.argv[1], spec.argv[2]});
    const auto text = ts::render_definition(spec, home);
    REQUIRE(text.has_value());
    CHECK_THAT(*text, Catch::Contains("\n--workdir\nC:\\work\n--home\n" + home.string() + "\n--env\n"));
    // Without a moved home the definition is what it always was: no --home.
    const auto unmoved = ts::render_definition(spec, std::nullopt);
    REQUIRE(unmoved.has_value());
    CHECK(unmoved->find("--home") == std::string::npos);
    auto expected = ts::runner_arguments(spec, std::nullopt);
    expected.erase(expected.begin());
    CHECK(ductor::sdk::runner::parse_definition(*unmoved) == expected);
}

TEST_CASE("the task user is DOMAIN\\user when a domain is known") {
    CHECK(ts::task_user_id("tester", std::string("CORP")) == R"(CORP\tester)");
    CHECK(ts::task_user_id("tester", std::string()) == "tester");
    CHECK(ts::task_user_id("tester", std::nullopt) == "tester");
}

TEST_CASE("a description with a control character is refused with the field named") {
    auto spec = default_spec();
    spec.description = "ring \x07";
    auto xml = ts::render_task_xml(ts::task_definition(spec, R"(C:\d\ductorw.exe)", "tester", k_definition));
    CHECK_FALSE(xml.has_value());
    CHECK(xml.error() == "task description: XML cannot carry the control character U+0007 (byte 5)");
    // Arguments are not in the XML: the definition file carries any control character but NUL, CR and LF.
    auto bad_arg = default_spec();
    bad_arg.argv.push_back("\x1b[31m");
    CHECK(ts::render_definition(bad_arg, std::nullopt).has_value());
    CHECK(ts::render_task_xml(ts::task_definition(bad_arg, R"(C:\d\ductorw.exe)", "tester", k_definition)).has_value());
}

TEST_CASE("the action carries no '%' and no path longer than 260 characters") {
    ts::TaskDefinition task;
    task.command = R"(C:\ductor\ductorw.exe)";
    task.arguments = "run --definition C:\\x.run";
    CHECK(ts::check_action(task));
    task.command = R"(C:\100%\ductorw.exe)";
    CHECK_THAT(ts::check_action(task).error(), Catch::Contains("contains '%'") && Catch::Contains("install ductor"));
    task.command = R"(C:\ductor\ductorw.exe)";
    task.arguments = R"(run --definition C:\Users\%USERNAME%\x.run)";
    CHECK_THAT(ts::check_action(task).error(), Catch::Contains("DUCTOR_HOME"));
    task.arguments = "run";
    task.command = "C:\\" + std::string(245, 'd') + "\\ductorw.exe";  // 260 characters
    CHECK(ts::check_action(task));
    task.command.insert(3, "\xC3\xA9");  // one more, as UTF-16
    CHECK_THAT(ts::check_action(task).error(),
               Catch::Contains("261 characters long") && Catch::Contains("at most 260"));
}

TEST_CASE("hostile argvs come back exactly from the definition file, and the action only names it") {
    std::mt19937 rng(7);
    const std::string runner = R"(C:\Users\O'Brien & Co\ductor\ductorw.exe)";
    const std::filesystem::path definition(R"(C:\Users\O'Brien & Co\.ductor\tasks\ductor.run)");
    for (int round = 0; round < 1000; ++round) {
        auto spec = default_spec();
        spec.argv = ductor::test::hostile_argv(rng, false);
        spec.argv.front() = R"(C:\bots\bot.exe)";
        spec.working_directory = std::filesystem::path(R"(C:\Work <&> %TEMP% "dir")");
        spec.environment = {{"P", "%PATH%;x"}};
        const auto task = ts::task_definition(spec, runner, R"(D\u)", definition);
        REQUIRE(ts::check_action(task));
        const auto xml = ts::render_task_xml(task);
        REQUIRE(xml.has_value());
        const auto line = "\"" + element_text(xml.value(), "Command") + "\" " + element_text(xml.value(), "Arguments");
        INFO("XML:\n" << xml.value());
        REQUIRE(ductor::test::split_windows_command_line(line) ==
                Argv{runner, "run", "--definition", definition.string()});
        CHECK(xml.value().find("WorkingDirectory") == std::string::npos);
        const auto home = round % 2 == 0 ? std::optional<std::filesystem::path>()
                                         : std::filesystem::path(R"(C:\Users\O'Brien & Co\.ductor)");
        const auto text = ts::render_definition(spec, home);
        REQUIRE(text.has_value());
        auto expected = ts::runner_arguments(spec, home);
        expected.erase(expected.begin());
        REQUIRE(ductor::sdk::runner::parse_definition(*text) == expected);
    }
}
