#include <ductor/output/text.hpp>

#include <cstdint>
#include <cstdio>

namespace ductor::output {
namespace {

void append_byte_escape(std::string& out, unsigned char byte) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(byte));
    out += buffer;
}

std::uint32_t decode(std::string_view text, std::size_t at, std::size_t length) {
    auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(text[at + k])); };
    if (length == 1) return byte(0);
    std::uint32_t code = byte(0) & (0x7FU >> length);
    for (std::size_t k = 1; k < length; ++k) code = (code << 6) | (byte(k) & 0x3FU);
    return code;
}

// C1 controls, bidirectional embeddings/overrides/isolates, line and paragraph separators.
bool steers_terminal(std::uint32_t code) {
    return (code >= 0x80 && code <= 0x9F) || code == 0x061C || code == 0x200E || code == 0x200F ||
           (code >= 0x2028 && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069);
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char c = byte(at);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || at + n > text.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(at + k) & 0xC0) != 0x80) return 0;
    }
    if (n == 2 && c < 0xC2) return 0;                           // overlong
    if (n == 3 && c == 0xE0 && byte(at + 1) < 0xA0) return 0;   // overlong
    if (n == 3 && c == 0xED && byte(at + 1) >= 0xA0) return 0;  // surrogate
    if (n == 4 && (c > 0xF4 || (c == 0xF0 && byte(at + 1) < 0x90) || (c == 0xF4 && byte(at + 1) >= 0x90))) return 0;
    return n;
}

std::string printable(std::string_view text, LineBreaks line_breaks) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool kept_break = line_breaks == LineBreaks::keep && (c == '\n' || c == '\t');
        if ((c < 0x20 || c == 0x7F) && !kept_break) {
            append_byte_escape(out, c);
            ++i;
            continue;
        }
        const auto n = utf8_sequence_length(text, i);
        if (n == 0) {
            append_byte_escape(out, c);
            ++i;
            continue;
        }
        if (const auto code = decode(text, i, n); steers_terminal(code)) {
            char buffer[12];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(code));
            out += buffer;
        } else {
            out.append(text.substr(i, n));
        }
        i += n;
    }
    return out;
}

std::string quoted(std::string_view text) { return "'" + printable(text) + "'"; }

}  // namespace ductor::output
