#pragma once
// The commands the systemd backend runs or shows (--dry-run lists the
// systemctl equivalents of its D-Bus calls), built as argv by pure functions.

#include <ductor/sdk/host.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace ductor::systemd {

using Argv = std::vector<std::string>;

// `systemctl --user VERB [UNIT]`.
Argv systemctl(const std::string& verb, const std::string& unit = {});

// The user's runtime folder: $XDG_RUNTIME_DIR, else /run/user/<uid>; empty
// when neither is known.
std::filesystem::path runtime_dir(const sdk::Host& host);

// `loginctl enable-linger USER`.
Argv enable_linger(const std::string& user);

// The file systemd-logind keeps while linger is enabled for `user`.
std::filesystem::path linger_marker(const std::string& user);

// What a missing linger means, with the exact command that enables it.
std::string linger_explanation(const std::string& user);

// `journalctl` for the unit's lines: the user journal for a normal user, the
// user-unit match for root (whose user units log to the system journal).
Argv journal_command(const std::filesystem::path& journalctl, const std::string& unit, bool root, unsigned lines,
                     bool follow);

// A failed command's message for the user: the command and its own words.
std::string command_failure(const Argv& argv, const sdk::ProcessResult& result);

}  // namespace ductor::systemd
