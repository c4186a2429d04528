#include <ductor/sdk/text.hpp>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <utility>

namespace ductor::sdk {

std::optional<CodePoint> decode_utf8(std::string_view text, std::size_t pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) return CodePoint{lead, 1};
    std::size_t length = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if ((lead & 0xE0U) == 0xC0U) {
        length = 2, value = lead & 0x1FU, minimum = 0x80;
    } else if ((lead & 0xF0U) == 0xE0U) {
        length = 3, value = lead & 0x0FU, minimum = 0x800;
    } else if ((lead & 0xF8U) == 0xF0U) {
        length = 4, value = lead & 0x07U, minimum = 0x10000;
    } else {
        return std::nullopt;
    }
    if (pos + length > text.size()) return std::nullopt;
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[pos + i]);
        if ((next & 0xC0U) != 0x80U) return std::nullopt;
        value = (value << 6U) | (next & 0x3FU);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return std::nullopt;
    return CodePoint{value, length};
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
    for (std::size_t pos = 0; pos < text.size();) {
        const auto decoded = decode_utf8(text, pos);
        if (!decoded) return pos;
        pos += decoded->length;
    }
    return std::nullopt;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0U | (c >> 6U));
        out += static_cast<char>(0x80U | (c & 0x3FU));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0U | (c >> 12U));
        out += static_cast<char>(0x80U | ((c >> 6U) & 0x3FU));
        out += static_cast<char>(0x80U | (c & 0x3FU));
    } else {
        out += static_cast<char>(0xF0U | (c >> 18U));
        out += static_cast<char>(0x80U | ((c >> 12U) & 0x3FU));
        out += static_cast<char>(0x80U | ((c >> 6U) & 0x3FU));
        out += static_cast<char>(0x80U | (c & 0x3FU));
    }
}

bool is_xml_char(char32_t c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

std::string code_point_name(char32_t c) {
    static constexpr const char* k_digits = "0123456789ABCDEF";
    std::string hex;
    for (int shift = 20; shift >= 0; shift -= 4) hex.push_back(k_digits[(c >> static_cast<unsigned>(shift)) & 0xFU]);
    hex.erase(0, std::min(hex.find_first_not_of('0'), hex.size() - 4));
    return "U+" + hex;
}

std::optional<XmlTextFault> first_xml_text_fault(std::string_view text) {
    for (std::size_t pos = 0; pos < text.size();) {
        const auto decoded = decode_utf8(text, pos);
        if (!decoded) return XmlTextFault{pos, std::nullopt};
        if (!is_xml_char(decoded->value)) return XmlTextFault{pos, decoded->value};
        pos += decoded->length;
    }
    return std::nullopt;
}

namespace {

// The character a reference's name (between '&' and ';') stands for.
std::optional<char32_t> reference_value(std::string_view name) {
    static constexpr std::pair<std::string_view, char> k_entities[] = {
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    if (name.size() > 1 && name[0] == '#') {
        const bool hex = name[1] == 'x';
        const auto digits = name.substr(hex ? 2 : 1);
        unsigned long value = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, hex ? 16 : 10);
        if (error != std::errc() || end != digits.data() + digits.size() || digits.empty() || value > 0x10FFFF ||
            !is_xml_char(static_cast<char32_t>(value)))
            return std::nullopt;
        return static_cast<char32_t>(value);
    }
    const auto* entity = std::find_if(std::begin(k_entities), std::end(k_entities),
                                      [&](const auto& known) { return known.first == name; });
    if (entity == std::end(k_entities)) return std::nullopt;
    return static_cast<char32_t>(entity->second);
}

}  // namespace

std::optional<std::string> unescape_xml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '&') {
            out += text[i];
            continue;
        }
        const auto semicolon = text.find(';', i);
        if (semicolon == std::string_view::npos) return std::nullopt;
        const auto value = reference_value(text.substr(i + 1, semicolon - i - 1));
        if (!value) return std::nullopt;
        append_utf8(out, *value);
        i = semicolon;
    }
    return out;
}

std::string ascii_lowercase(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::optional<std::string> format_lines(std::string_view header, const std::vector<std::string>& lines) {
    constexpr std::string_view k_breaks("\0\r\n", 3);
    if (header.find_first_of(k_breaks) != std::string_view::npos) return std::nullopt;
    std::string text = std::string(header) + "\n";
    for (const auto& line : lines) {
        if (line.find_first_of(k_breaks) != std::string::npos) return std::nullopt;
        text += line + "\n";
    }
    return text;
}

std::optional<std::vector<std::string>> parse_lines(std::string_view header, std::string_view text) {
    const std::string first = std::string(header) + "\n";
    if (text.substr(0, first.size()) != first || text.back() != '\n') return std::nullopt;
    if (text.find_first_of(std::string_view("\0\r", 2)) != std::string_view::npos) return std::nullopt;
    std::vector<std::string> lines;
    for (auto rest = text.substr(first.size()); !rest.empty();) {
        const auto end = rest.find('\n');
        lines.emplace_back(rest.substr(0, end));
        rest.remove_prefix(end + 1);
    }
    return lines;
}

}  // namespace ductor::sdk
