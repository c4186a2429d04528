#pragma once
// Ends what a runner left running, from its PID file: the runner (which
// forwards the stop to its child's group), else the child's group itself,
// after checking start times so that a reused PID is never signalled.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ductor::runner {

struct StopReport {
    std::vector<std::string> said;  // what was done, one sentence each
    bool failed = false;            // something could not be ended
};

// The PID of the runner that holds `pid_file` now, checked against the live
// process (a stale file or a reused PID gives nullopt). Never throws.
std::optional<long long> running_runner(const std::filesystem::path& pid_file);

// Ends the program group that a dead runner's record (`stale`, the text its
// PID file held) names, when that group still lives: TERM, the recorded grace,
// KILL. Says nothing when there is nothing to end. Never throws.
StopReport end_left_program(const std::string& stale);

// TERM, wait (the runner's grace plus `margin`), KILL; then removes a stale
// PID file. Never throws.
StopReport stop_runner(const std::filesystem::path& pid_file, std::chrono::seconds margin = std::chrono::seconds(5));

}  // namespace ductor::runner
