#pragma once
// Just enough JSON for the real-manager test: reads what `ductor service
// status --json` and `busctl --json=short` print. Throws std::runtime_error
// on malformed input.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ductor::itest {

struct Json {
    enum class Kind { null, boolean, number, string, array, object };
    Kind kind = Kind::null;
    bool boolean = false;
    double number = 0;
    std::string text;
    std::vector<Json> items;
    std::vector<std::pair<std::string, Json>> members;

    // The member `key`, or a null value when absent.
    const Json& operator[](std::string_view key) const {
        static const Json k_null;
        for (const auto& [name, value] : members) {
            if (name == key) return value;
        }
        return k_null;
    }
    const Json& at(std::size_t index) const {
        if (index >= items.size()) throw std::runtime_error("json: index out of range");
        return items[index];
    }
};

class JsonReader {
public:
    // Parses one complete document.
    static Json parse(std::string_view text) {
        JsonReader reader(text);
        auto value = reader.value();
        reader.skip_space();
        if (reader.m_pos != text.size()) throw std::runtime_error("json: trailing text");
        return value;
    }

private:
    explicit JsonReader(std::string_view text) : m_text(text) {}

    void skip_space() {
        while (m_pos < m_text.size() && std::string_view(" \t\r\n").find(m_text[m_pos]) != std::string_view::npos)
            ++m_pos;
    }
    char next() {
        if (m_pos >= m_text.size()) throw std::runtime_error("json: unexpected end");
        return m_text[m_pos++];
    }
    bool take(std::string_view word) {
        if (m_text.substr(m_pos, word.size()) != word) return false;
        m_pos += word.size();
        return true;
    }
    Json value() {
        skip_space();
        Json json;
        if (take("null")) return json;
        if (take("true") || take("false")) {
            json.kind = Json::Kind::boolean;
            json.boolean = m_text[m_pos - 2] == 'u';  // "true" ends in "ue", "false" in "se"
            return json;
        }
        const char c = m_text.at(m_pos);
        if (c == '"') {
            json.kind = Json::Kind::string;
            json.text = string();
        } else if (c == '[') {
            json.kind = Json::Kind::array;
            list(']', [&] { json.items.push_back(value()); });
        } else if (c == '{') {
            json.kind = Json::Kind::object;
            list('}', [&] {
                skip_space();
                auto key = string();
                skip_space();
                if (next() != ':') throw std::runtime_error("json: expected ':'");
                json.members.emplace_back(std::move(key), value());
            });
        } else {
            json.kind = Json::Kind::number;
            std::size_t used = 0;
            json.number = std::stod(std::string(m_text.substr(m_pos, 40)), &used);
            m_pos += used;
        }
        return json;
    }
    template <typename Item>
    void list(char close, Item item) {
        ++m_pos;
        skip_space();
        if (m_pos < m_text.size() && m_text[m_pos] == close) {
            ++m_pos;
            return;
        }
        while (true) {
            item();
            skip_space();
            const char c = next();
            if (c == close) return;
            if (c != ',') throw std::runtime_error("json: expected ','");
        }
    }
    unsigned hex4() {
        unsigned code = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = next();
            code <<= 4U;
            if (c >= '0' && c <= '9')
                code |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                code |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                code |= static_cast<unsigned>(c - 'A' + 10);
            else
                throw std::runtime_error("json: bad \\u escape");
        }
        return code;
    }
    static void append_utf8(std::string& out, unsigned code) {
        auto byte = [&out](unsigned v) { out += static_cast<char>(static_cast<unsigned char>(v)); };
        if (code < 0x80)
            byte(code);
        else if (code < 0x800) {
            byte(0xC0 | (code >> 6));
            byte(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            byte(0xE0 | (code >> 12));
            byte(0x80 | ((code >> 6) & 0x3F));
            byte(0x80 | (code & 0x3F));
        } else {
            byte(0xF0 | (code >> 18));
            byte(0x80 | ((code >> 12) & 0x3F));
            byte(0x80 | ((code >> 6) & 0x3F));
            byte(0x80 | (code & 0x3F));
        }
    }
    std::string string() {
        if (next() != '"') throw std::runtime_error("json: expected a string");
        std::string out;
        while (true) {
            const char c = next();
            if (c == '"') return out;
            if (c != '\\') {
                out += c;
                continue;
            }
            const char e = next();
            switch (e) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case 'r': out += '\r'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'u': {
                    unsigned code = hex4();
                    if (code >= 0xD800 && code < 0xDC00 && take("\\u"))
                        code = 0x10000 + ((code - 0xD800) << 10U) + (hex4() - 0xDC00);
                    append_utf8(out, code);
                    break;
                }
                default: out += e; break;
            }
        }
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
};

}  // namespace ductor::itest
