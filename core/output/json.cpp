#include <ductor/output/json.hpp>

#include <ductor/output/text.hpp>

#include <cstdio>

namespace ductor::output {
namespace {

void newline(std::string& out, bool indent, int depth) {
    if (!indent) return;
    out += '\n';
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

}  // namespace

std::string json_quote(std::string_view text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '"')
            out += "\\\"";
        else if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20 || c == 0x7F) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
            out += buffer;
        } else {
            std::size_t n = utf8_sequence_length(text, i);
            if (n == 0) {
                out += "\xEF\xBF\xBD";
                ++i;
                continue;
            }
            out.append(text.substr(i, n));
            i += n;
            continue;
        }
        ++i;
    }
    return out + "\"";
}

void Json::write(std::string& out, bool indent, int depth) const {
    if (std::holds_alternative<std::nullptr_t>(m_value))
        out += "null";
    else if (auto* b = std::get_if<bool>(&m_value))
        out += *b ? "true" : "false";
    else if (auto* n = std::get_if<std::int64_t>(&m_value))
        out += std::to_string(*n);
    else if (auto* s = std::get_if<std::string>(&m_value))
        out += json_quote(*s);
    else if (auto* a = std::get_if<Array>(&m_value)) {
        out += '[';
        for (std::size_t i = 0; i < a->size(); ++i) {
            if (i != 0) out += ',';
            newline(out, indent, depth + 1);
            (*a)[i].write(out, indent, depth + 1);
        }
        if (!a->empty()) newline(out, indent, depth);
        out += ']';
    } else if (auto* o = std::get_if<Object>(&m_value)) {
        out += '{';
        for (std::size_t i = 0; i < o->size(); ++i) {
            if (i != 0) out += ',';
            newline(out, indent, depth + 1);
            out += json_quote((*o)[i].first);
            out += indent ? ": " : ":";
            (*o)[i].second.write(out, indent, depth + 1);
        }
        if (!o->empty()) newline(out, indent, depth);
        out += '}';
    }
}

std::string Json::dump(bool indent) const {
    std::string out;
    write(out, indent, 0);
    return out;
}

}  // namespace ductor::output
