// The one escaping function for text shown on a terminal, on hostile input.
#include <ductor/output/text.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <string>

using ductor::output::LineBreaks;
using ductor::output::printable;

namespace {

// No byte a terminal acts on: no C0 control but (optionally) LF and TAB, no
// DEL, only valid UTF-8 without C1 controls.
bool terminal_safe(const std::string& text, LineBreaks kept) {
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        bool allowed_break = kept == LineBreaks::keep && (c == '\n' || c == '\t');
        if ((c < 0x20 || c == 0x7F) && !allowed_break) return false;
        auto n = ductor::output::utf8_sequence_length(text, i);
        if (n == 0) return false;
        if (n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) return false;  // C1
        i += n;
    }
    return true;
}

}  // namespace

TEST_CASE("printable shows control bytes as \\xNN") {
    CHECK(printable("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
    CHECK(printable("bell\a and cr\r") == "bell\\x07 and cr\\x0d");
    CHECK(printable("a\nb\tc") == "a\\x0ab\\x09c");
    CHECK(printable("a\nb\tc", LineBreaks::keep) == "a\nb\tc");
    CHECK(printable("a\rb", LineBreaks::keep) == "a\\x0db");
    CHECK(printable(std::string("nul\0x", 5)) == "nul\\x00x");
    CHECK(printable("del\x7f") == "del\\x7f");
}

TEST_CASE("printable shows invalid UTF-8 bytes as \\xNN and keeps valid UTF-8") {
    CHECK(printable("\x9b"
                    "2J") == "\\x9b2J");  // a lone 8-bit CSI
    CHECK(printable("bad\xff") == "bad\\xff");
    CHECK(printable("\xc0\xaf") == "\\xc0\\xaf");           // overlong '/'
    CHECK(printable("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // surrogate
    CHECK(printable("\xe2\x9c") == "\\xe2\\x9c");           // truncated
    CHECK(printable("h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80") ==
          "h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
    CHECK(printable("C:\\Program Files\\x") == "C:\\Program Files\\x");
}

TEST_CASE("printable shows C1 controls and text-reordering characters as \\uNNNN") {
    CHECK(printable("\xc2\x9b"
                    "2J") == "\\u009b2J");
    CHECK(printable("\xc2\x85") == "\\u0085");
    CHECK(printable("abc\xe2\x80\xae"
                    "fed") == "abc\\u202efed");  // right-to-left override
    CHECK(printable("\xe2\x81\xa6x\xe2\x81\xa9") == "\\u2066x\\u2069");
    CHECK(printable("\xe2\x80\xa8") == "\\u2028");
    CHECK(printable("\xc2\xa0") == "\xc2\xa0");  // no-break space is text
}

TEST_CASE("printable output is terminal-safe and stable for random bytes") {
    std::mt19937 rng(20240611);
    std::uniform_int_distribution<int> length(0, 40), byte(0, 255);
    for (int round = 0; round < 3000; ++round) {
        std::string input;
        for (int i = length(rng); i > 0; --i) input += static_cast<char>(byte(rng));
        for (auto kept : {LineBreaks::escape, LineBreaks::keep}) {
            auto shown = printable(input, kept);
            INFO(shown);
            CHECK(terminal_safe(shown, kept));
            CHECK(printable(shown, kept) == shown);
        }
    }
}

TEST_CASE("quoted wraps the printable text in single quotes") { CHECK(ductor::output::quoted("x\x1b") == "'x\\x1b'"); }
