#pragma once
// Generated hostile argument vectors for property tests of the Windows
// quoting and the task XML: quotes, backslash runs before quotes and at the
// end, blanks, empty arguments, XML markup and non-ASCII text, mixed at random.

#include <random>
#include <string>
#include <vector>

namespace ductor::test {

// Pieces that break naive quoting or escaping; `with_newlines` adds LF and VT
// (a ServiceSpec never carries LF, but the quoting must still cope).
inline std::vector<std::string> hostile_pieces(bool with_newlines) {
    std::vector<std::string> pieces{"",
                                    " ",
                                    "\t",
                                    "\"",
                                    "\\",
                                    "\\\\",
                                    "\\\"",
                                    "\"\"",
                                    "a",
                                    "b c",
                                    "&",
                                    "<",
                                    ">",
                                    "'",
                                    "]]>",
                                    "&amp;",
                                    "%PATH%",
                                    "^",
                                    "|",
                                    "é",
                                    "日本",
                                    "\xF0\x9F\x98\x80",
                                    "C:\\Program Files\\x\\",
                                    "--",
                                    "-n",
                                    "/F"};
    if (with_newlines) {
        pieces.emplace_back("\n");
        pieces.emplace_back("\v");
    }
    return pieces;
}

// One argv of 1..6 arguments, each 0..5 pieces long.
inline std::vector<std::string> hostile_argv(std::mt19937& rng, bool with_newlines) {
    const auto pieces = hostile_pieces(with_newlines);
    std::uniform_int_distribution<std::size_t> count(1, 6);
    std::uniform_int_distribution<std::size_t> length(0, 5);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    std::vector<std::string> argv(count(rng));
    for (auto& arg : argv) {
        for (auto n = length(rng); n > 0; --n) arg += pieces[pick(rng)];
    }
    return argv;
}

}  // namespace ductor::test
