// Control bytes and invalid UTF-8 typed by the user never reach the terminal
// raw: every message that quotes them shows them escaped (\xNN, \uNNNN).
#include "run_ductor.hpp"
#include "temp_dir.hpp"

#include <ductor/output/text.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

using namespace ductor;

namespace {

const std::string k_fixtures = DUCTOR_TEST_FIXTURE_DIR;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The first byte a terminal would act on: a C0 control other than LF and TAB, DEL,
// a byte outside valid UTF-8, or a C1 control; npos when there is none.
std::size_t first_raw_byte(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return i;
        auto n = output::utf8_sequence_length(text, i);
        if (n == 0 || (n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0)) return i;
        i += n;
    }
    return std::string::npos;
}

// Pieces a hostile argument is made of: ESC sequences (colour, title, clear),
// CR (overwrites the line), BEL, an 8-bit CSI, a UTF-8 C1 CSI, invalid UTF-8,
// a right-to-left override. (NUL cannot be passed in argv.)
const std::vector<std::string> k_hostile = {"\x1b[31mred\x1b[0m",
                                            "\x1b]0;title\x07",
                                            "\x1b[2J",
                                            "over\rwrite",
                                            "bell\x07",
                                            "\x9b"
                                            "31m",
                                            "\xc2\x9b"
                                            "31m",
                                            "bad\xff\xfe",
                                            "\xc0\xaf",
                                            "\xe2\x80\xae"
                                            "txt",
                                            "tab\there"};

}  // namespace

TEST_CASE("hostile bytes in what the user typed are escaped in every error message") {
    test::TempDir dir;
    const std::vector<std::pair<std::string, std::string>> env = {
        {"HOME", dir.path().string()}, {"XDG_RUNTIME_DIR", (dir.path() / "no-runtime").string()}};
    for (const auto& piece : k_hostile) {
        const std::vector<std::vector<std::string>> commands = {
            {piece},                                            // unknown command
            {"service", piece},                                 // unknown action
            {"service", "status", "--name", piece},             // a bad name
            {"service", "install", "--", "no-such-" + piece},   // program not found
            {"service", "install", "--", "/no/such/" + piece},  // program path missing
            {"service", "install", "--workdir", "/no/" + piece, "--", "/bin/true"},
            {"service", "install", "--env", piece, "--", "/bin/true"},  // not KEY=VALUE
            {"service", "install", "--env", "A" + piece + "=1", "--", "/bin/true"},
            {"service", "install", "--restart", piece, "--", "/bin/true"},
            {"service", "install", "--restart-delay", piece, "--", "/bin/true"},  // program_options' own message
            {"service", "logs", "--lines", piece},
            {"service", "status", "--backend", piece},
            {"service", "status", "--plugin-dir", k_fixtures, "--backend", "x" + piece},
            {"service", "install", "--dry-run", "--plugin-dir", k_fixtures, "--backend", "fx-unavailable", "--",
             "/no/such/" + piece, piece},  // warnings and the rendering
            {"run", "--log-size", piece, "--", "/bin/true"},
            {"service", "status", piece},  // a stray word
        };
        for (const auto& args : commands) {
            auto result = test::run_ductor(args, env);
            std::string shown = output::printable(args.size() > 1 ? args[1] : args[0]);
            INFO("ductor " << shown << " ... with " << output::printable(piece) << " -> exit " << result.exit_code
                           << "\n"
                           << output::printable(result.err, output::LineBreaks::keep));
            bool preview = std::find(args.begin(), args.end(), "--dry-run") != args.end() &&
                           piece.find('\r') == std::string::npos;  // a CR is refused in a preview too
            CHECK((preview ? result.exit_code == 0 : result.exit_code != 0));
            CHECK(first_raw_byte(result.err) == std::string::npos);
            CHECK(first_raw_byte(result.out) == std::string::npos);
        }
    }
}

TEST_CASE("escaped input stays recognisable in the message") {
    auto unknown = test::run_ductor({"\x1b[31mhi"});
    CHECK(unknown.exit_code == 2);
    CHECK(contains(unknown.err, "unknown command '\\x1b[31mhi'"));
    auto program = test::run_ductor({"service", "install", "--", "no-such-\x9b\xff"});
    CHECK(program.exit_code == 2);
    CHECK(contains(program.err, "the program 'no-such-\\x9b\\xff' was not found on PATH"));
    auto backend = test::run_ductor({"service", "status", "--backend", "a\rb"});
    CHECK(backend.exit_code == 2);
    CHECK(contains(backend.err, "--backend 'a\\x0db' is not a backend name"));
    auto env = test::run_ductor({"service", "status"}, {{"DUCTOR_BACKEND", "\x1b"}});
    CHECK(env.exit_code == 2);
    CHECK(contains(env.err, "DUCTOR_BACKEND '\\x1b'"));
}
