// Every rendered plist goes through a strict real parser (python3 plistlib)
// and must yield exactly the spec: keys, types, ProgramArguments element by
// element and the environment. Hostile strings come from a fixed seed.
#include "fake_host.hpp"
#include "launchd/plistlib_check.hpp"
#include "temp_dir.hpp"

#include <ductor/launchd/agent.hpp>
#include <ductor/launchd/plist.hpp>
#include <ductor/platform/files.hpp>
#include <ductor/platform/process.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <set>

using namespace ductor;
using test::launchd::json_object;
using test::launchd::json_string;
using test::launchd::json_strings;

namespace {

// What the plist must say for `spec`, built from the spec itself (not from
// the plist model), in plistlib's JSON form.
std::string expected_json(const sdk::ServiceSpec& spec, const test::FakeHost& host) {
    const std::string home = host.home_directory().string();
    const std::string logs = spec.log_directory ? spec.log_directory->string() : home + "/.ductor/logs";
    const bool is_default = spec.name == "ductor";
    auto log_path = [&logs](const std::string& file) { return (std::filesystem::path(logs) / file).string(); };
    std::vector<std::string> args{"/opt/ductor/bin/ductor", "run", "--name", spec.name, "--log-to", "file"};
    if (spec.log_directory) args.insert(args.end(), {"--log-dir", logs});
    args.emplace_back("--");
    args.insert(args.end(), spec.argv.begin(), spec.argv.end());
    std::map<std::string, std::string> env{
        {"PATH", json_string(home + "/.local/bin:/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin")},
        {"HOME", json_string(home)},
        {"DUCTOR_SUPERVISOR", json_string("1")}};
    for (const auto& var : spec.environment) env[var.key] = json_string(var.value);
    std::map<std::string, std::string> keys{
        {"Label", json_string(is_default ? "dev.ductor" : "dev.ductor." + spec.name)},
        {"ProgramArguments", json_strings(args)},
        {"RunAtLoad", "true"},
        {"KeepAlive", R"({"SuccessfulExit":false})"},
        {"ThrottleInterval", "10"},
        {"ProcessType", json_string("Background")},
        {"EnvironmentVariables", json_object(env)},
        {"StandardOutPath", json_string(log_path(is_default ? "service.log" : "service-" + spec.name + ".out"))},
        {"StandardErrorPath", json_string(log_path(is_default ? "service.err" : "service-" + spec.name + ".err"))}};
    if (spec.working_directory) keys["WorkingDirectory"] = json_string(spec.working_directory->string());
    return json_object(keys);
}

// Pieces of hostile property-style strings: markup, entities, CDATA ends,
// quotes, shell and format characters, whitespace, non-ASCII up to U+10FFFF.
const std::vector<std::string> k_pieces{"<",
                                        ">",
                                        "&",
                                        "]]>",
                                        "\"",
                                        "'",
                                        "&amp;",
                                        "&#13;",
                                        "&lt;",
                                        "<![CDATA[",
                                        "<!--",
                                        "-->",
                                        "</string>",
                                        "<key>",
                                        "<?xml?>",
                                        "<!DOCTYPE x>",
                                        " ",
                                        "  ",
                                        "\t",
                                        "é",
                                        "日本語",
                                        "😀",
                                        "\u2028",
                                        "\x7f",
                                        "\\",
                                        "$HOME",
                                        "%s",
                                        "%n",
                                        "`id`",
                                        ";",
                                        "|",
                                        "*",
                                        "~",
                                        "=",
                                        "a",
                                        "Z",
                                        "0",
                                        "/",
                                        "--",
                                        "—",
                                        "\xEF\xBF\xBD",
                                        "\xEE\x80\x80",
                                        "\xF4\x8F\xBF\xBF",
                                        "\xC2\xA0",
                                        "key=value",
                                        "PATH"};

class Hostile {
public:
    explicit Hostile(std::uint32_t seed) : m_engine(seed) {}

    std::size_t below(std::size_t n) { return static_cast<std::size_t>(m_engine()) % n; }

    // 0..7 pieces; every fifth string is empty or whitespace-wrapped.
    std::string text() {
        std::string out;
        const auto count = below(8);
        for (std::size_t i = 0; i < count; ++i) out += k_pieces[below(k_pieces.size())];
        switch (below(5)) {
            case 0: return " " + out + " ";
            case 1: return below(2) == 0 ? std::string() : out;
            default: return out;
        }
    }

    std::string name() {
        static const std::string first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        static const std::string rest = first + "._-";
        std::string out(1, first[below(first.size())]);
        for (std::size_t i = below(12); i > 0; --i) out += rest[below(rest.size())];
        return out;
    }

    sdk::ServiceSpec spec() {
        sdk::ServiceSpec spec;
        if (below(4) != 0) spec.name = name();
        spec.argv = {"/usr/bin/" + text()};
        for (std::size_t i = below(6); i > 0; --i) spec.argv.push_back(text());
        std::set<std::string> used;
        for (std::size_t i = below(5); i > 0; --i) {
            std::string key =
                below(6) == 0 ? std::string(below(2) == 0 ? "PATH" : "HOME") : "K_" + std::to_string(below(40));
            if (used.insert(key).second) spec.environment.push_back({key, text()});
        }
        if (below(3) == 0) spec.working_directory = "/srv/" + text();
        if (below(5) == 0) spec.log_directory = "/var/tmp/" + text();
        return spec;
    }

private:
    std::mt19937 m_engine;
};

}  // namespace

TEST_CASE("plistlib reads the default plist as the original's keys and values") {
    test::FakeHost host;
    test::TempDir dir;
    sdk::ServiceSpec spec;
    spec.argv = {"/opt/homebrew/bin/ductor-bot"};
    const auto file = dir.path() / "dev.ductor.plist";
    REQUIRE(platform::write_file_atomic(file, launchd::render_plist(launchd::agent_for(spec, host)).value(),
                                        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    // The original's plist, plus what the runner adds: the program runs under
    // `ductor run`, and DUCTOR_SUPERVISOR=1 marks it as supervised.
    const std::string home = host.home_directory().string();
    const std::string original = json_object({
        {"EnvironmentVariables",
         json_object({{"DUCTOR_SUPERVISOR", json_string("1")},
                      {"HOME", json_string(home)},
                      {"PATH", json_string(home + "/.local/bin:/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin")}})},
        {"KeepAlive", R"({"SuccessfulExit":false})"},
        {"Label", json_string("dev.ductor")},
        {"ProcessType", json_string("Background")},
        {"ProgramArguments", json_strings({"/opt/ductor/bin/ductor", "run", "--name", "ductor", "--log-to", "file",
                                           "--", "/opt/homebrew/bin/ductor-bot"})},
        {"RunAtLoad", "true"},
        {"StandardErrorPath", json_string(home + "/.ductor/logs/service.err")},
        {"StandardOutPath", json_string(home + "/.ductor/logs/service.log")},
        {"ThrottleInterval", "10"},
    });
    CHECK(test::launchd::plistlib_json({file}) == std::vector<std::string>{original});
}

TEST_CASE("plistlib round-trips 400 generated hostile specs exactly") {
    test::FakeHost host;
    test::TempDir dir;
    Hostile hostile(20261126);
    std::vector<std::filesystem::path> files;
    std::vector<std::string> expected;
    for (int i = 0; i < 400; ++i) {
        const auto spec = hostile.spec();
        const auto rendered = launchd::render_plist(launchd::agent_for(spec, host));
        REQUIRE(rendered);
        files.push_back(dir.path() / ("case-" + std::to_string(i) + ".plist"));
        REQUIRE(platform::write_file_atomic(files.back(), *rendered, std::filesystem::perms::owner_all));
        expected.push_back(expected_json(spec, host));
    }
    const auto parsed = test::launchd::plistlib_json(files);
    for (std::size_t i = 0; i < files.size(); ++i) {
        INFO(files[i].string());
        CHECK(parsed[i] == expected[i]);
    }
}

TEST_CASE("plistlib keeps a CR that the renderer wrote as a character reference") {
    test::FakeHost host;
    test::TempDir dir;
    sdk::ServiceSpec spec;
    spec.argv = {"/bin/echo", "cr\rlf\ncrlf\r\n"};
    const auto file = dir.path() / "cr.plist";
    REQUIRE(platform::write_file_atomic(file, launchd::render_plist(launchd::agent_for(spec, host)).value(),
                                        std::filesystem::perms::owner_all));
    CHECK(test::launchd::plistlib_json({file}).front() == expected_json(spec, host));
}

TEST_CASE("plistlib reads the no-GUI plist with LimitLoadToSessionType as a plain string") {
    test::FakeHost host;
    test::TempDir dir;
    sdk::ServiceSpec spec;
    spec.argv = {"/bin/sleep", "1000"};
    const auto file = dir.path() / "background.plist";
    const auto agent = launchd::agent_for(spec, host, launchd::Session::background);
    REQUIRE(platform::write_file_atomic(file, launchd::render_plist(agent).value(), std::filesystem::perms::owner_all));
    auto expected = expected_json(spec, host);
    // Keys are sorted: LimitLoadToSessionType comes right before ProcessType.
    const auto at = expected.find(",\"ProcessType\"");
    REQUIRE(at != std::string::npos);
    expected.insert(at, ",\"LimitLoadToSessionType\":\"Background\"");
    CHECK(test::launchd::plistlib_json({file}).front() == expected);
}

TEST_CASE("plistlib rejects a plist that is not well-formed, so the check can fail") {
    test::TempDir dir;
    const auto file = dir.path() / "broken.plist";
    REQUIRE(platform::write_file_atomic(file,
                                        "<plist version=\"1.0\"><dict><key>a&b</key><string>x</string></dict></plist>",
                                        std::filesystem::perms::owner_all));
    sdk::ProcessRequest request;
    request.argv = {"python3", std::string(DUCTOR_TEST_SOURCE_DIR) + "/launchd/plist_to_json.py", file.string()};
    const auto result = platform::run_captured(request);
    REQUIRE(result.started);
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("broken.plist") != std::string::npos);
}
