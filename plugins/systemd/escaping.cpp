#include <ductor/systemd/escaping.hpp>

#include <ductor/sdk/text.hpp>

#include <algorithm>
#include <cstdio>

namespace ductor::systemd {
namespace {

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

// What systemd's string_is_safe() refuses in an executable path: quotes,
// backslashes and control characters.
bool is_unsafe_in_executable(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return c == '"' || c == '\'' || c == '\\' || byte < 0x20 || byte == 0x7F;
}

std::string unsafe_name(char c) {
    if (c == '"') return "a double quote";
    if (c == '\'') return "an apostrophe";
    if (c == '\\') return "a backslash";
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "the control character 0x%02X",
                  static_cast<unsigned>(static_cast<unsigned char>(c)));
    return buffer;
}

// systemd's path_is_valid(): shorter than PATH_MAX (4096) bytes, no part longer than NAME_MAX (255).
sdk::Expected<void> check_path_length(std::string_view what, std::string_view path) {
    constexpr std::size_t k_path_max = 4096;
    constexpr std::size_t k_name_max = 255;
    if (path.size() >= k_path_max)
        return sdk::unexpected(std::string(what) + " is " + std::to_string(path.size()) +
                               " bytes long; systemd takes paths of less than 4096 bytes");
    for (std::size_t start = 0; start < path.size();) {
        auto end = std::min(path.find('/', start), path.size());
        if (end - start > k_name_max)
            return sdk::unexpected(std::string(what) + " has a part of " + std::to_string(end - start) +
                                   " bytes; systemd takes path parts of at most 255 bytes");
        start = end + 1;
    }
    return {};
}

// systemd strips spaces and tabs at both ends of every unit value, which
// would silently change this one.
sdk::Expected<void> check_edge_whitespace(std::string_view what, std::string_view value) {
    constexpr std::string_view k_blanks = " \t";
    if (value.empty()) return {};
    const bool leading = k_blanks.find(value.front()) != std::string_view::npos;
    const bool trailing = k_blanks.find(value.back()) != std::string_view::npos;
    if (!leading && !trailing) return {};
    return sdk::unexpected(std::string(what) + " '" + std::string(value) + "' " +
                           (leading ? (trailing ? "starts and ends" : "starts") : "ends") +
                           " with a space or tab, which systemd strips from a unit value, so the service would get "
                           "another value; remove the blanks (for a folder: rename it)");
}

}  // namespace

sdk::Expected<void> check_unit_value(std::string_view what, std::string_view value) {
    if (value.find('\0') != std::string_view::npos)
        return sdk::unexpected(std::string(what) + " contains a NUL character");
    if (value.find_first_of("\r\n") != std::string_view::npos)
        return sdk::unexpected(std::string(what) + " contains a line break, which a systemd unit cannot carry");
    if (sdk::first_invalid_utf8(value))
        return sdk::unexpected(std::string(what) + " is not valid UTF-8, which systemd requires");
    return {};
}

sdk::Expected<std::string> exec_word(std::string_view argument) {
    if (auto checked = check_unit_value("the argument '" + std::string(argument) + "'", argument); !checked) {
        return sdk::unexpected(checked.error());
    }
    return quote(argument, Dollar::double_it);
}

sdk::Expected<std::string> exec_program(std::string_view program) {
    if (auto checked = check_unit_value("the program path", program); !checked) return sdk::unexpected(checked.error());
    if (program.find('$') != std::string_view::npos) {
        return sdk::unexpected("the program path '" + std::string(program) +
                               "' contains '$', which systemd cannot run literally; "
                               "move or link the program to a path without '$'");
    }
    if (auto unsafe = std::find_if(program.begin(), program.end(), is_unsafe_in_executable); unsafe != program.end()) {
        return sdk::unexpected(
            "the program path '" + std::string(program) + "' contains " + unsafe_name(*unsafe) +
            ", which systemd refuses in the program of ExecStart= (\"Executable name contains special "
            "characters\"); move or link the program to a path without quotes, backslashes and control "
            "characters");
    }
    if (!program.empty() && program.back() == '/')
        return sdk::unexpected("the program path '" + std::string(program) + "' ends with '/', so it names a folder");
    if (auto checked = check_path_length("the program path", program); !checked)
        return sdk::unexpected(checked.error());
    return quote(program, Dollar::double_it);
}

sdk::Expected<std::string> environment_assignment(std::string_view key, std::string_view value) {
    if (auto checked = check_unit_value("the environment variable " + std::string(key), value); !checked) {
        return sdk::unexpected(checked.error());
    }
    std::string assignment(key);
    assignment += '=';
    assignment += value;
    return quote(assignment, Dollar::keep);
}

sdk::Expected<std::string> plain_value(std::string_view what, std::string_view value) {
    if (auto checked = check_unit_value(what, value); !checked) return sdk::unexpected(checked.error());
    if (!value.empty() && value.back() == '\\') {
        return sdk::unexpected(std::string(what) +
                               " ends with a backslash, which a systemd unit reads as a line continuation");
    }
    if (auto checked = check_edge_whitespace(what, value); !checked) return sdk::unexpected(checked.error());
    std::string out;
    for (char c : value) out += c == '%' ? std::string("%%") : std::string(1, c);
    return out;
}

sdk::Expected<std::string> working_directory_value(std::string_view directory) {
    constexpr std::string_view what = "the working directory";
    auto value = plain_value(what, directory);
    if (!value) return value;
    if (directory.empty() || directory.front() != '/')
        return sdk::unexpected("the working directory '" + std::string(directory) + "' is not an absolute path");
    if (auto checked = check_path_length(what, directory); !checked) return sdk::unexpected(checked.error());
    for (std::size_t start = 0; start < directory.size();) {
        auto end = std::min(directory.find('/', start), directory.size());
        if (directory.substr(start, end - start) == "..")
            return sdk::unexpected("the working directory '" + std::string(directory) +
                                   "' contains '..', which systemd refuses (\"path is not normalized\"); give the "
                                   "folder's path without '..'");
        start = end + 1;
    }
    return value;
}

}  // namespace ductor::systemd
