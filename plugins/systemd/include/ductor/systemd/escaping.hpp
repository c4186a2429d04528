#pragma once
// Escaping for the pieces of a systemd unit file (systemd.syntax(7),
// systemd.service(5), systemd.exec(5)). One function per target syntax; all
// pure. Each returns the escaped text or, when the value cannot be carried
// safely, the reason why.

#include <ductor/sdk/expected.hpp>

#include <string>
#include <string_view>

namespace ductor::systemd {

// Whether `value` can go into a unit file line at all: the reason when it
// cannot (NUL, CR, LF, or not valid UTF-8). `what` names the value in the message.
sdk::Expected<void> check_unit_value(std::string_view what, std::string_view value);

// One ExecStart= word: double-quoted, `\` and `"` backslash-escaped, control
// characters as \xNN, `%` as `%%` (no specifier expansion) and `$` as `$$`
// (no variable expansion). Empty arguments survive as `""`.
sdk::Expected<std::string> exec_word(std::string_view argument);

// The program word of ExecStart=: like exec_word(), but the executable path
// is not variable-expanded by systemd, so a `$` in it cannot be carried, and
// systemd refuses an executable path with a quote, a backslash or a control
// character ("Executable name contains special characters"), one that ends
// with '/', one of 4096 bytes or more and one with a part over 255 bytes:
// each of these is an error that names the program.
sdk::Expected<std::string> exec_program(std::string_view program);

// One Environment= assignment "KEY=VALUE", double-quoted: `\` and `"`
// backslash-escaped, control characters as \xNN, `%` as `%%`. `$` stays as is:
// systemd does no variable expansion in Environment=.
sdk::Expected<std::string> environment_assignment(std::string_view key, std::string_view value);

// A free-text value (Description=): `%` as `%%`. These values are taken raw,
// so a trailing backslash (a line continuation) cannot be carried, and
// systemd strips spaces and tabs at both ends: a value that starts or ends
// with one is an error rather than a value systemd would change.
sdk::Expected<std::string> plain_value(std::string_view what, std::string_view value);

// WorkingDirectory=: plain_value() of an absolute path, and the paths systemd
// refuses (a '..' part, 4096 bytes or more, a part over 255 bytes) are errors.
sdk::Expected<std::string> working_directory_value(std::string_view directory);

}  // namespace ductor::systemd
