#pragma once
// How ductor behaves on a terminal: whether it colours, how an error reads,
// and the one-line notes about long waits that only a person watching sees.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::cli {

// Colour on stderr: only on a terminal, never with NO_COLOR set and non-empty
// (https://no-color.org), never with TERM=dumb. The values of NO_COLOR and TERM as given.
bool colour_wanted(bool stderr_is_terminal, const std::optional<std::string>& no_color,
                   const std::optional<std::string>& term);

// colour_wanted() for this process's stderr and environment.
bool stderr_colour();

// The one error format, on stderr through the logger: "ductor: error: MESSAGE",
// then each hint on a line of its own (e.g. "Try 'ductor --help'." or
// "note: ..."). The message keeps its own line breaks; a hint's are escaped;
// everything is made printable. setup_logging() must have run.
void print_error(std::string_view message, const std::vector<std::string>& hints = {});

// Says on stderr what a long wait waits for ("ductor: waiting for ..."), only
// when stderr is a terminal and -q was not given: on a pipe or file nothing is written.
void say_waiting(std::string_view what);

}  // namespace ductor::cli
