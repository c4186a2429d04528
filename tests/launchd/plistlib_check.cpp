#include "plistlib_check.hpp"

#include <ductor/platform/process.hpp>

#include <catch2/catch.hpp>

#include <cstdio>

namespace ductor::test::launchd {
namespace {

void append_unit(std::string& out, unsigned unit) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "\\u%04x", unit & 0xFFFFU);
    out += buffer;
}

// Decodes one UTF-8 sequence (the input is known to be valid here).
char32_t next_code_point(std::string_view text, std::size_t& pos) {
    const auto lead = static_cast<unsigned char>(text[pos++]);
    if (lead < 0x80) return lead;
    int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
    char32_t value = lead & (extra == 3 ? 0x07U : extra == 2 ? 0x0FU : 0x1FU);
    while (extra-- > 0 && pos < text.size()) value = (value << 6) | (static_cast<unsigned char>(text[pos++]) & 0x3FU);
    return value;
}

}  // namespace

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (std::size_t pos = 0; pos < text.size();) {
        const char32_t c = next_code_point(text, pos);
        switch (c) {
            case '"': out += "\\\""; continue;
            case '\\': out += "\\\\"; continue;
            case '\b': out += "\\b"; continue;
            case '\f': out += "\\f"; continue;
            case '\n': out += "\\n"; continue;
            case '\r': out += "\\r"; continue;
            case '\t': out += "\\t"; continue;
            default: break;
        }
        if (c >= 0x20 && c <= 0x7E) {
            out += static_cast<char>(c);
        } else if (c < 0x10000) {
            append_unit(out, static_cast<unsigned>(c));
        } else {
            const auto v = static_cast<unsigned>(c) - 0x10000U;
            append_unit(out, 0xD800U | (v >> 10));
            append_unit(out, 0xDC00U | (v & 0x3FFU));
        }
    }
    return out + "\"";
}

std::string json_array(const std::vector<std::string>& encoded) {
    std::string out = "[";
    for (const auto& item : encoded) out += (out.size() > 1 ? "," : "") + item;
    return out + "]";
}

std::string json_strings(const std::vector<std::string>& values) {
    std::vector<std::string> encoded;
    for (const auto& value : values) encoded.push_back(json_string(value));
    return json_array(encoded);
}

std::string json_object(const std::map<std::string, std::string>& encoded) {
    std::string out = "{";
    for (const auto& [key, value] : encoded) out += (out.size() > 1 ? "," : "") + json_string(key) + ":" + value;
    return out + "}";
}

std::vector<std::string> plistlib_json(const std::vector<std::filesystem::path>& files) {
    sdk::ProcessRequest request;
    request.argv = {"python3", std::string(DUCTOR_TEST_SOURCE_DIR) + "/launchd/plist_to_json.py"};
    for (const auto& file : files) request.argv.push_back(file.string());
    request.environment = {{"PYTHONIOENCODING", "utf-8"}};
    const auto result = platform::run_captured(request);
    INFO("python3 plistlib: " << result.error << result.err);
    REQUIRE(result.succeeded());
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t end; (end = result.out.find('\n', start)) != std::string::npos; start = end + 1)
        lines.push_back(result.out.substr(start, end - start));
    REQUIRE(lines.size() == files.size());
    return lines;
}

}  // namespace ductor::test::launchd
