#include <ductor/taskscheduler/text.hpp>

#include <ductor/sdk/text.hpp>

#include <cstdint>

namespace ductor::taskscheduler {
namespace {

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

sdk::Expected<std::string> escape_xml(std::string_view text) {
    if (const auto fault = sdk::first_xml_text_fault(text)) {
        if (!fault->code_point) return sdk::unexpected(invalid_utf8(fault->byte));
        return sdk::unexpected("XML cannot carry the control character " + sdk::code_point_name(*fault->code_point) +
                               " (byte " + std::to_string(fault->byte) + ")");
    }
    std::string escaped;
    for (char c : text) {
        if (const char* entity = entity_for(c))
            escaped += entity;
        else
            escaped += c;
    }
    return escaped;
}

sdk::Expected<std::string> to_utf16le_with_bom(std::string_view text) {
    std::string encoded = "\xFF\xFE";
    for (std::size_t pos = 0; pos < text.size();) {
        auto decoded = sdk::decode_utf8(text, pos);
        if (!decoded) return sdk::unexpected(invalid_utf8(pos));
        const char32_t c = decoded->value;
        if (c < 0x10000) {
            append_unit(encoded, static_cast<std::uint16_t>(c));
        } else {
            const char32_t offset = c - 0x10000;
            append_unit(encoded, static_cast<std::uint16_t>(0xD800 + (offset >> 10U)));
            append_unit(encoded, static_cast<std::uint16_t>(0xDC00 + (offset & 0x3FFU)));
        }
        pos += decoded->length;
    }
    return encoded;
}

}  // namespace ductor::taskscheduler
