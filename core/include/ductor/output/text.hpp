#pragma once
// Text from the user (or from the machine) made safe to show on a terminal.
// Pure functions; nothing here throws except std::bad_alloc.

#include <cstddef>
#include <string>
#include <string_view>

namespace ductor::output {

// Length of the valid UTF-8 sequence that starts at text[at] (1 to 4), or 0
// when the bytes there are not one: a stray continuation byte, a truncated
// sequence, an overlong form, a surrogate, or a code point above U+10FFFF.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

// Whether line breaks (LF) and tabs are shown as they are (a multi-line
// message of ductor's own) or escaped like any other control byte (a value
// the user typed).
enum class LineBreaks { escape, keep };

// `text` with nothing a terminal would act on: every control byte (C0, DEL)
// as \xNN, every byte that is not part of valid UTF-8 as \xNN, and the
// characters that steer a terminal or reorder text (C1 controls U+0080..U+009F,
// the bidirectional overrides and isolates, the line and paragraph separators)
// as \uNNNN. Printable ASCII and valid UTF-8 are kept byte for byte, a
// backslash too (so Windows paths stay readable). With LineBreaks::keep, LF
// and TAB are kept. The result is printable as it is and escaping it again
// changes nothing.
std::string printable(std::string_view text, LineBreaks line_breaks = LineBreaks::escape);

// printable(text) in single quotes, the way messages quote what the user typed.
std::string quoted(std::string_view text);

}  // namespace ductor::output
