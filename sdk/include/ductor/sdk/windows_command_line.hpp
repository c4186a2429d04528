#pragma once
// Windows command lines (SDK 2.2; part of the SDK library, `ductor::sdk`): an
// argv quoted into one line the way CommandLineToArgvW and the Microsoft C
// runtime split it again. For backends that hand a program its arguments as
// one string (a Task Scheduler action's Arguments) and for starting a process
// with CreateProcessW. Pure functions over UTF-8 text (the characters that
// matter are ASCII); no exceptions but std::bad_alloc. C++17.

#include <string>
#include <string_view>
#include <vector>

namespace ductor::sdk {

// Quotes one argument (not the program name) so that CommandLineToArgvW gives
// it back unchanged: arguments without space, tab, LF, VT or '"' and not empty
// stay as they are; the others are wrapped in quotes, with the backslashes
// before a quote and before the closing quote doubled and quotes escaped.
std::string quote_windows_argument(std::string_view argument);

// Quotes every argument and joins them with single spaces.
std::string join_windows_arguments(const std::vector<std::string>& arguments);

}  // namespace ductor::sdk
