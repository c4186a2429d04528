#include <ductor/cli/terminal.hpp>

#include <catch2/catch.hpp>

using ductor::cli::colour_wanted;

TEST_CASE("colour only on a terminal, never with NO_COLOR set and non-empty, never with TERM=dumb") {
    CHECK(colour_wanted(true, std::nullopt, std::nullopt));
    CHECK(colour_wanted(true, std::nullopt, std::string("xterm-256color")));
    CHECK(colour_wanted(true, std::string(), std::string("xterm")));  // set but empty: no opinion
    CHECK_FALSE(colour_wanted(false, std::nullopt, std::string("xterm")));
    CHECK_FALSE(colour_wanted(true, std::string("1"), std::string("xterm")));
    CHECK_FALSE(colour_wanted(true, std::string("0"), std::string("xterm")));  // any value counts
    CHECK_FALSE(colour_wanted(true, std::nullopt, std::string("dumb")));
}
