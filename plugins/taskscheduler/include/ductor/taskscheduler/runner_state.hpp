#pragma once
// What the runner (`ductor run`) leaves on disk and how the backend reads it,
// kept in one place because it is a convention shared with the runner:
//   <ductor home>/run/<name>.pid   the runner's PID, plain decimal, while it runs
//   <log dir>/<name>.log           the current log; <name>.log.1 .. .N older ones
// Reading these is locale-independent, unlike schtasks' translated status text.

#include <ductor/sdk/host.hpp>
#include <ductor/sdk/spec.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::taskscheduler {

// <ductor home>/run/<name>.pid
std::filesystem::path pid_file(const sdk::Host& host, std::string_view name);

// The PID in a PID file's text: decimal digits, surrounding blanks allowed,
// greater than zero; nullopt for anything else.
std::optional<long long> parse_pid(std::string_view text);

// The runner's PID when its PID file exists and holds one. Windows gives no
// cheap locale-independent check that the process is still the runner, so a
// PID file that exists counts as running; stop_service removes it after it
// ended the runner's tree.
std::optional<long long> runner_pid(const sdk::Host& host, std::string_view name);

// The spec's log folder: its log_directory, else <ductor home>/logs.
std::filesystem::path log_directory(const sdk::Host& host, const sdk::ServiceSpec& spec);

// The runner's log files that exist for `name` in `folder`, oldest first
// (<name>.log.N .. <name>.log.1, then <name>.log).
std::vector<std::filesystem::path> log_files(const sdk::Host& host, const std::filesystem::path& folder,
                                             std::string_view name);

// taskkill /F /T /FI "PID eq <pid>" /FI "IMAGENAME eq <image>": ends the
// runner's whole process tree, but only while <pid> is still the runner's
// image (a reused PID of another program is left alone; no match exits 0).
std::vector<std::string> taskkill_command(const std::filesystem::path& taskkill, long long pid, std::string_view image);

}  // namespace ductor::taskscheduler
