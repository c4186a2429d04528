#pragma once
// A reference implementation, for tests only, of how CommandLineToArgvW and
// the Microsoft C runtime split a command line into argv (the rules of
// "Parsing C++ command-line arguments"). Written from the documented rules,
// independently of the quoting code it checks.

#include <string>
#include <string_view>
#include <vector>

namespace ductor::test {

// Splits the arguments after the program name.
inline std::vector<std::string> split_windows_arguments(std::string_view line) {
    std::vector<std::string> argv;
    std::size_t i = 0;
    while (true) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i >= line.size()) return argv;
        std::string arg;
        bool in_quotes = false;
        for (; i < line.size(); ++i) {
            const char c = line[i];
            if (!in_quotes && (c == ' ' || c == '\t')) break;
            if (c == '\\') {
                std::size_t n = 0;
                while (i < line.size() && line[i] == '\\') {
                    ++n;
                    ++i;
                }
                if (i < line.size() && line[i] == '"') {
                    arg.append(n / 2, '\\');
                    if (n % 2 == 1) {
                        arg.push_back('"');
                        continue;
                    }
                    --i;  // the quote is a delimiter: handle it on the next turn
                    continue;
                }
                arg.append(n, '\\');
                --i;
                continue;
            }
            if (c == '"') {
                if (in_quotes && i + 1 < line.size() && line[i + 1] == '"') {
                    arg.push_back('"');
                    ++i;
                    continue;
                }
                in_quotes = !in_quotes;
                continue;
            }
            arg.push_back(c);
        }
        argv.push_back(std::move(arg));
    }
}

// Splits a whole command line: the program name follows simpler rules (up to
// the closing quote when it starts with one, else up to the first blank).
inline std::vector<std::string> split_windows_command_line(std::string_view line) {
    std::string program;
    std::size_t i = 0;
    if (!line.empty() && line[0] == '"') {
        auto close = line.find('"', 1);
        program = std::string(line.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
        i = close == std::string_view::npos ? line.size() : close + 1;
    } else {
        i = line.find_first_of(" \t");
        if (i == std::string_view::npos) i = line.size();
        program = std::string(line.substr(0, i));
    }
    auto argv = split_windows_arguments(line.substr(i));
    argv.insert(argv.begin(), program);
    return argv;
}

}  // namespace ductor::test
