#include <ductor/taskscheduler/text.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace ductor::taskscheduler {
namespace {

// One decoded code point and how many bytes it took; nullopt when the bytes
// at `pos` are not well-formed UTF-8 (overlong forms and surrogates included).
struct Decoded {
    char32_t code_point;
    std::size_t length;
};

std::optional<Decoded> decode_at(std::string_view text, std::size_t pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) return Decoded{lead, 1};
    std::size_t length = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if ((lead & 0xE0U) == 0xC0U) {
        length = 2;
        value = lead & 0x1FU;
        minimum = 0x80;
    } else if ((lead & 0xF0U) == 0xE0U) {
        length = 3;
        value = lead & 0x0FU;
        minimum = 0x800;
    } else if ((lead & 0xF8U) == 0xF0U) {
        length = 4;
        value = lead & 0x07U;
        minimum = 0x10000;
    } else
        return std::nullopt;
    if (pos + length > text.size()) return std::nullopt;
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[pos + i]);
        if ((next & 0xC0U) != 0x80U) return std::nullopt;
        value = (value << 6U) | (next & 0x3FU);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return std::nullopt;
    return Decoded{value, length};
}

bool is_xml_char(char32_t c) {
    if (c == 0x9 || c == 0xA || c == 0xD) return true;
    if (c < 0x20) return false;
    return c != 0xFFFE && c != 0xFFFF;
}

std::string code_point_name(char32_t c) {
    static constexpr const char* k_digits = "0123456789ABCDEF";
    std::string hex;
    for (int shift = 20; shift >= 0; shift -= 4) hex.push_back(k_digits[(c >> static_cast<unsigned>(shift)) & 0xFU]);
    hex.erase(0, std::min(hex.find_first_not_of('0'), hex.size() - 4));
    return "U+" + hex;
}

std::string invalid_utf8(std::size_t pos) { return "the text is not valid UTF-8 (byte " + std::to_string(pos) + ")"; }

const char* entity_for(char c) {
    switch (c) {
        case '&': return "&amp;";
        case '<': return "&lt;";
        case '>': return "&gt;";
        case '"': return "&quot;";
        case '\'': return "&apos;";
        case '\r': return "&#13;";
        case '\t': return "&#9;";
        default: return nullptr;
    }
}

void append_unit(std::string& out, std::uint16_t unit) {
    out.push_back(static_cast<char>(unit & 0xFFU));
    out.push_back(static_cast<char>(unit >> 8U));
}

}  // namespace

TextResult escape_xml(std::string_view text) {
    TextResult result;
    for (std::size_t pos = 0; pos < text.size();) {
        auto decoded = decode_at(text, pos);
        if (!decoded) return {{}, invalid_utf8(pos)};
        if (!is_xml_char(decoded->code_point)) {
            return {{},
                    "XML cannot carry the control character " + code_point_name(decoded->code_point) + " (byte " +
                        std::to_string(pos) + ")"};
        }
        if (const char* entity = entity_for(text[pos]))
            result.value += entity;
        else
            result.value.append(text.substr(pos, decoded->length));
        pos += decoded->length;
    }
    return result;
}

TextResult to_utf16le_with_bom(std::string_view text) {
    TextResult result;
    result.value = "\xFF\xFE";
    for (std::size_t pos = 0; pos < text.size();) {
        auto decoded = decode_at(text, pos);
        if (!decoded) return {{}, invalid_utf8(pos)};
        const char32_t c = decoded->code_point;
        if (c < 0x10000) {
            append_unit(result.value, static_cast<std::uint16_t>(c));
        } else {
            const char32_t offset = c - 0x10000;
            append_unit(result.value, static_cast<std::uint16_t>(0xD800 + (offset >> 10U)));
            append_unit(result.value, static_cast<std::uint16_t>(0xDC00 + (offset & 0x3FFU)));
        }
        pos += decoded->length;
    }
    return result;
}

}  // namespace ductor::taskscheduler
