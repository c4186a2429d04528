#pragma once
// A small JSON value for the CLI's --json output: objects keep insertion
// order, strings are escaped per RFC 8259 (invalid UTF-8 bytes become U+FFFD).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ductor::output {

class Json {
public:
    using Array = std::vector<Json>;
    using Object = std::vector<std::pair<std::string, Json>>;

    Json() = default;  // null
    Json(std::nullptr_t) {}
    Json(bool value) : m_value(value) {}
    Json(int value) : m_value(static_cast<std::int64_t>(value)) {}
    Json(long long value) : m_value(static_cast<std::int64_t>(value)) {}
    Json(unsigned value) : m_value(static_cast<std::int64_t>(value)) {}
    Json(std::string value) : m_value(std::move(value)) {}
    Json(const char* value) : m_value(std::string(value)) {}
    Json(Array value) : m_value(std::move(value)) {}
    Json(Object value) : m_value(std::move(value)) {}
    template <class T>
    Json(const std::optional<T>& value) {
        if (value) *this = Json(*value);
    }

    // Serialises with two-space indentation (compact when indent is false).
    std::string dump(bool indent = true) const;

private:
    void write(std::string& out, bool indent, int depth) const;
    std::variant<std::nullptr_t, bool, std::int64_t, std::string, Array, Object> m_value{nullptr};
};

// The JSON string literal for `text`, quotes included.
std::string json_quote(std::string_view text);

}  // namespace ductor::output
