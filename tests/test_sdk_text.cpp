#include <ductor/sdk/paths.hpp>
#include <ductor/sdk/text.hpp>

#include <catch2/catch.hpp>

#include <random>

using namespace ductor;

TEST_CASE("decode_utf8 reads one code point and refuses what is not well-formed UTF-8") {
    auto decoded = sdk::decode_utf8("a\xE2\x82\xAC", 1);
    REQUIRE(decoded);
    CHECK(decoded->value == 0x20AC);
    CHECK(decoded->length == 3);
    CHECK(sdk::decode_utf8("\xF0\x9F\x98\x80", 0)->value == 0x1F600);
    for (const char* bad : {"\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\xFF"})
        CHECK_FALSE(sdk::decode_utf8(bad, 0));
    CHECK(sdk::first_invalid_utf8("caf\xC3\xA9 ok") == std::nullopt);
    CHECK(sdk::first_invalid_utf8("ab\xC3") == std::optional<std::size_t>(2));
}

TEST_CASE("append_utf8 writes back what decode_utf8 reads, for every length") {
    for (char32_t c : {char32_t{0x41}, char32_t{0xE9}, char32_t{0x20AC}, char32_t{0x1F600}, char32_t{0x10FFFF}}) {
        std::string text;
        sdk::append_utf8(text, c);
        auto decoded = sdk::decode_utf8(text, 0);
        REQUIRE(decoded);
        CHECK(decoded->value == c);
        CHECK(decoded->length == text.size());
    }
}

TEST_CASE("first_xml_text_fault names the first byte XML 1.0 cannot carry") {
    CHECK_FALSE(sdk::first_xml_text_fault("tab\there\r\n\xE2\x82\xAC"));
    auto control = sdk::first_xml_text_fault("ab\x07");
    REQUIRE(control);
    CHECK(control->byte == 2);
    CHECK(control->code_point == std::optional<char32_t>(0x7));
    auto invalid = sdk::first_xml_text_fault("x\xC3");
    REQUIRE(invalid);
    CHECK(invalid->byte == 1);
    CHECK_FALSE(invalid->code_point);
    CHECK(sdk::first_xml_text_fault("\xEF\xBF\xBE")->code_point == std::optional<char32_t>(0xFFFE));
    CHECK(sdk::code_point_name(0x7) == "U+0007");
    CHECK(sdk::code_point_name(0x1F600) == "U+1F600");
}

TEST_CASE("unescape_xml decodes the predefined entities and character references, and refuses the rest") {
    CHECK(sdk::unescape_xml("a &amp; b &lt;c&gt; &quot;d&apos; &#13;&#x20AC;") ==
          std::optional<std::string>("a & b <c> \"d' \r\xE2\x82\xAC"));
    for (const char* bad : {"&nbsp;", "&amp", "&#0;", "&#xD800;", "&#x110000;", "&#x100000041;", "&#;", "&#x;"})
        CHECK_FALSE(sdk::unescape_xml(bad));
}

TEST_CASE("unescape_xml reads back every hostile text escaped as XML character references") {
    std::mt19937 rng(17);
    for (int round = 0; round < 200; ++round) {
        std::string text;
        std::string escaped;
        for (int i = 0; i < 20; ++i) {
            char32_t c = std::uniform_int_distribution<std::uint32_t>(0x9, 0x10FFFF)(rng);
            if (!sdk::is_xml_char(c)) continue;
            sdk::append_utf8(text, c);
            escaped += "&#x" + sdk::code_point_name(c).substr(2) + ";";
        }
        CHECK(sdk::unescape_xml(escaped) == std::optional<std::string>(text));
    }
}

TEST_CASE("absolute_path_entries keeps the absolute folders of a PATH in order") {
#ifdef _WIN32  // absolute means what the platform's paths say: a drive and a root on Windows
    CHECK(sdk::absolute_path_entries("C:\\Windows;;.;bin;D:\\tools;\\rootless;", ';') ==
          std::vector<std::string>{"C:\\Windows", "D:\\tools"});
#else
    CHECK(sdk::absolute_path_entries("/usr/bin::.:bin:/bin:", ':') == std::vector<std::string>{"/usr/bin", "/bin"});
#endif
    CHECK(sdk::absolute_path_entries("", ':').empty());
}

TEST_CASE("format_lines and parse_lines keep every argument on a line of its own under a header") {
    const std::vector<std::string> lines{"run", "", "a b", "é"};
    const auto text = sdk::format_lines("# header", lines);
    CHECK(text == std::optional<std::string>("# header\nrun\n\na b\né\n"));
    CHECK(sdk::parse_lines("# header", *text) == std::optional<std::vector<std::string>>(lines));
    CHECK_FALSE(sdk::format_lines("# header", {"line\nbreak"}));
    CHECK_FALSE(sdk::parse_lines("# other", *text));
    CHECK_FALSE(sdk::parse_lines("# header", "# header\nunended"));
}
