#pragma once
// Quoting an argv into one Windows command line, the way CommandLineToArgvW
// and the Microsoft C runtime split it again. Task Scheduler hands the
// action's <Arguments> text to the program unchanged, so this is the only
// escaping the arguments get (besides the XML escaping of the text node).

#include <string>
#include <string_view>
#include <vector>

namespace ductor::taskscheduler {

// Quotes one argument (not the program name) so that CommandLineToArgvW gives
// it back unchanged: arguments without space, tab, LF, VT or '"' and not empty
// stay as they are; the others are wrapped in quotes, with the backslashes
// before a quote and before the closing quote doubled and quotes escaped.
std::string quote_argument(std::string_view argument);

// Quotes every argument and joins them with single spaces.
std::string join_arguments(const std::vector<std::string>& arguments);

}  // namespace ductor::taskscheduler
