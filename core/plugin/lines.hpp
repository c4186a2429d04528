#pragma once
// Lines of tab-separated, escaped fields: what a probing child sends
// (probe.cpp) and what the info cache keeps (info_cache.cpp). Internal to
// core/plugin.

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::plugin::lines {

// Whether `text` holds a `\`, a tab or a newline: what escape() changes. One pass
// (find_first_of searches the three characters once per character of the text).
inline bool needs_escape(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return c == '\\' || c == '\t' || c == '\n'; });
}

// `\`, tab and newline escaped, so a field never splits a line or a field.
inline std::string escape(std::string_view text) {
    if (!needs_escape(text)) return std::string(text);
    std::string out;
    out.reserve(text.size() + 8);
    for (char c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// One field, unescaped.
inline std::string unescape(std::string_view field) {
    if (field.find('\\') == std::string_view::npos) return std::string(field);
    std::string out;
    out.reserve(field.size());
    for (std::size_t i = 0; i < field.size(); ++i) {
        char c = field[i];
        if (c == '\\' && i + 1 < field.size()) {
            char n = field[++i];
            out += n == 't' ? '\t' : n == 'n' ? '\n' : n;
        } else {
            out += c;
        }
    }
    return out;
}

// The fields of one line, unescaped; at least one (possibly empty). Escaped
// tabs are two characters, so the line splits at its real tabs.
inline std::vector<std::string> fields(std::string_view line) {
    std::vector<std::string> out;
    out.reserve(static_cast<std::size_t>(std::count(line.begin(), line.end(), '\t')) + 1);
    std::size_t start = 0;
    while (true) {
        const auto tab = line.find('\t', start);
        out.push_back(unescape(line.substr(start, tab == std::string_view::npos ? tab : tab - start)));
        if (tab == std::string_view::npos) return out;
        start = tab + 1;
    }
}

// One line of escaped fields (without the newline).
inline std::string line(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (auto part : parts) {
        if (!out.empty()) out += '\t';
        out += escape(part);
    }
    return out;
}

// A whole field as a number; nullopt for anything else. Never throws.
template <class T>
std::optional<T> number(std::string_view text) {
    T value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace ductor::plugin::lines
