#pragma once
// Escaping for the pieces of a systemd unit file (systemd.syntax(7),
// systemd.service(5), systemd.exec(5)). One function per target syntax; all
// pure. Each returns the escaped text or, when the value cannot be carried
// safely, an error that says why.

#include <string>
#include <string_view>

namespace ductor::systemd {

// Escaped text, or an error (then `text` is empty).
struct Escaped {
    std::string text;
    std::string error;

    bool ok() const { return error.empty(); }
};

// Why `value` cannot go into a unit file line at all (NUL, CR, LF, or not
// valid UTF-8); empty when it can. `what` names the value in the message.
std::string unit_value_problem(std::string_view what, std::string_view value);

// One ExecStart= word: double-quoted, `\` and `"` backslash-escaped, control
// characters as \xNN, `%` as `%%` (no specifier expansion) and `$` as `$$`
// (no variable expansion). Empty arguments survive as `""`.
Escaped exec_word(std::string_view argument);

// The program word of ExecStart=: like exec_word(), but the executable path
// is not variable-expanded by systemd, so a `$` in it cannot be carried.
Escaped exec_program(std::string_view program);

// One Environment= assignment "KEY=VALUE", double-quoted: `\` and `"`
// backslash-escaped, control characters as \xNN, `%` as `%%`. `$` stays as is:
// systemd does no variable expansion in Environment=.
Escaped environment_assignment(std::string_view key, std::string_view value);

// A free-text or path value (Description=, WorkingDirectory=): `%` as `%%`.
// These values are taken raw, so a trailing backslash (a line continuation)
// cannot be carried.
Escaped plain_value(std::string_view what, std::string_view value);

}  // namespace ductor::systemd
