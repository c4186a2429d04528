#pragma once
// Shell completion scripts and the option listing, all from the command table (private to the CLI).

#include <string>

namespace ductor::cli::completion {

// The completion script of `shell` (bash, zsh or fish). Its commands, options and fixed values come from the table;
// backend and service names come from `ductor __complete backends|services` when the user presses TAB.
std::string bash_script();
std::string zsh_script();
std::string fish_script();

// Every visible command with every option it accepts, one per line: "ductor service install<TAB>--name" (and "-n" for a
// short name).
std::string option_listing();

}  // namespace ductor::cli::completion
