#pragma once
// UTF-8 and XML text helpers shared by backends whose definitions are text
// with rules of its own (SDK 2.2; part of the SDK library, `ductor::sdk`):
// decoding UTF-8, the XML 1.0 character set, reading XML references back,
// files of one argument a line.
// Pure functions: no side effects, no exceptions but std::bad_alloc. C++17.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::sdk {

// One code point decoded from UTF-8 and the number of bytes it took.
struct CodePoint {
    char32_t value = 0;
    std::size_t length = 0;
};

// The code point whose UTF-8 sequence starts at text[pos] (pos < text.size());
// nullopt when the bytes there are not well-formed UTF-8: a stray
// continuation byte, a truncated sequence, an overlong form, a surrogate
// (U+D800..U+DFFF) or a value above U+10FFFF.
std::optional<CodePoint> decode_utf8(std::string_view text, std::size_t pos);

// The offset of the first byte of `text` that does not start a well-formed
// UTF-8 sequence; nullopt when all of `text` is well-formed UTF-8.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// Appends the UTF-8 form of `c` (at most U+10FFFF) to `out`.
void append_utf8(std::string& out, char32_t c);

// True when XML 1.0 can carry `c` (its Char production): TAB, LF, CR,
// U+0020..U+D7FF, U+E000..U+FFFD and U+10000..U+10FFFF.
bool is_xml_char(char32_t c);

// "U+0007", "U+FFFE", "U+1F600": the Unicode notation of `c`, at least four
// upper-case hex digits.
std::string code_point_name(char32_t c);

// Where `text` stops being something XML 1.0 can carry: the first byte that
// is not well-formed UTF-8 (then code_point is empty), or the first code point
// that is not an XML character.
struct XmlTextFault {
    std::size_t byte = 0;
    std::optional<char32_t> code_point;  // empty: invalid UTF-8 at `byte`
};

// The first fault of `text` as XML character data; nullopt when there is none.
std::optional<XmlTextFault> first_xml_text_fault(std::string_view text);

// XML character data with its references decoded: the five predefined
// entities (&amp; &lt; &gt; &quot; &apos;) and character references (&#13;,
// &#x1F600;) of XML characters. nullopt for a reference that is not closed by
// ';', names another entity, or names a code point XML cannot carry.
std::optional<std::string> unescape_xml(std::string_view text);

// `text` with A-Z as a-z and every other byte unchanged (no locale: for
// comparing ASCII words such as file extensions and tool messages).
std::string ascii_lowercase(std::string_view text);

// A header line, then each of `lines` on a line of its own, each ending in LF
// (an empty string is an empty line): the form of ductor's run definitions.
// nullopt when the header or a line contains NUL, CR or LF.
std::optional<std::string> format_lines(std::string_view header, const std::vector<std::string>& lines);

// The lines after `header` in a text written by format_lines(header, ...);
// nullopt when the header is missing, the last line is not ended or the
// text holds NUL or CR.
std::optional<std::vector<std::string>> parse_lines(std::string_view header, std::string_view text);

}  // namespace ductor::sdk
