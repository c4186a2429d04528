#pragma once
// POSIX shell words (SDK 2.1; part of the SDK library, `ductor::sdk`). For
// backends whose definition is a shell script (a runit `run` file, an OpenRC
// script) and for showing an argv to people in logs and messages. Pure
// functions: no side effects, no exceptions but std::bad_alloc. C++17.

#include <string>
#include <string_view>
#include <vector>

namespace ductor::sdk {

// One word a POSIX shell (sh, dash, bash, busybox ash) reads back as exactly
// `word`: the word itself when it is non-empty and made only of
// [A-Za-z0-9_@%+=:,./-], otherwise the word in single quotes with each ' written
// as '\''. Nothing inside single quotes is special ($, `, \, !, *, blanks,
// non-ASCII bytes), so any byte string except one holding NUL survives; a
// word holding LF survives too, but spans lines.
std::string shell_quote(std::string_view word);

// The argv as one shell command line: each argument through shell_quote(),
// separated by one space. Also the display form of an argv in logs and
// messages: a reader can paste it into a shell and get the same argv back.
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace ductor::sdk
