#include <ductor/systemd/escaping.hpp>

#include <cstdio>

namespace ductor::systemd {
namespace {

// Length of the UTF-8 sequence starting at `text[i]`, or 0 when invalid.
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned min = 0;
    if (lead < 0x80) return 1;
    if ((lead & 0xE0U) == 0xC0U) {
        length = 2;
        min = 0x80;
    } else if ((lead & 0xF0U) == 0xE0U) {
        length = 3;
        min = 0x800;
    } else if ((lead & 0xF8U) == 0xF0U) {
        length = 4;
        min = 0x10000;
    } else
        return 0;
    if (i + length > text.size()) return 0;
    unsigned code = lead & (0x7FU >> length);
    for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        if ((next & 0xC0U) != 0x80U) return 0;
        code = (code << 6U) | (next & 0x3FU);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
    return length;
}

enum class Dollar { double_it, keep };

// Quoted form shared by ExecStart= words and Environment= assignments.
std::string quote(std::string_view text, Dollar dollar) {
    std::string out = "\"";
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '%') {
            out += "%%";
        } else if (c == '$' && dollar == Dollar::double_it) {
            out += "$$";
        } else if (byte < 0x20 || byte == 0x7F) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(byte));
            out += buffer;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

}  // namespace

std::string unit_value_problem(std::string_view what, std::string_view value) {
    if (value.find('\0') != std::string_view::npos) return std::string(what) + " contains a NUL character";
    if (value.find_first_of("\r\n") != std::string_view::npos) {
        return std::string(what) + " contains a line break, which a systemd unit cannot carry";
    }
    for (std::size_t i = 0; i < value.size();) {
        const auto length = utf8_length(value, i);
        if (length == 0) return std::string(what) + " is not valid UTF-8, which systemd requires";
        i += length;
    }
    return {};
}

Escaped exec_word(std::string_view argument) {
    if (auto problem = unit_value_problem("the argument '" + std::string(argument) + "'", argument); !problem.empty()) {
        return {{}, problem};
    }
    return {quote(argument, Dollar::double_it), {}};
}

Escaped exec_program(std::string_view program) {
    if (auto problem = unit_value_problem("the program path", program); !problem.empty()) return {{}, problem};
    if (program.find('$') != std::string_view::npos) {
        return {{},
                "the program path '" + std::string(program) +
                    "' contains '$', which systemd cannot run literally; "
                    "move or link the program to a path without '$'"};
    }
    return {quote(program, Dollar::double_it), {}};
}

Escaped environment_assignment(std::string_view key, std::string_view value) {
    if (auto problem = unit_value_problem("the environment variable " + std::string(key), value); !problem.empty()) {
        return {{}, problem};
    }
    std::string assignment(key);
    assignment += '=';
    assignment += value;
    return {quote(assignment, Dollar::keep), {}};
}

Escaped plain_value(std::string_view what, std::string_view value) {
    if (auto problem = unit_value_problem(what, value); !problem.empty()) return {{}, problem};
    if (!value.empty() && value.back() == '\\') {
        return {{}, std::string(what) + " ends with a backslash, which a systemd unit reads as a line continuation"};
    }
    std::string out;
    for (char c : value) out += c == '%' ? std::string("%%") : std::string(1, c);
    return {out, {}};
}

}  // namespace ductor::systemd
