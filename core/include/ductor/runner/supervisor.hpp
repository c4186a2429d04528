#pragma once
// The supervision loop of `ductor run`: one instance per name, the child in a
// process group of its own, its output into the rotating log, stop requests
// forwarded to the group, the exit-42 protocol and the restart policy.

#include <ductor/runner/options.hpp>
#include <ductor/sdk/expected.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace ductor::runner {

// The runner's exit code when the name is taken by another runner or the log cannot be opened.
inline constexpr int k_runner_failed_exit = 1;
// The exit code that asks for a restart.
inline constexpr int k_restart_exit = 42;
// The runner's exit code when the program cannot be started at all.
inline constexpr int k_spawn_failed_exit = 127;

enum class Next { exit, restart };

struct Decision {
    Next next = Next::exit;
    std::chrono::seconds delay{0};
    std::string reason;  // for the log; empty when there is nothing to say
};

// What to do after the child ended with `exit_code` (128+N for signal N),
// `rapid_in_a_row` counting this run if it was rapid. Pure.
Decision decide(const RunOptions& options, int exit_code, unsigned rapid_in_a_row);

// Told once whether the runner is ready (it holds its name and its log), or
// why it cannot run.
using Readiness = std::function<void(const sdk::Expected<void>& readiness)>;

// Runs the program until it should not be restarted; returns the runner's
// exit code: the child's exit code (128+N for signal N), 42 upward under a
// supervisor, k_runner_failed_exit when the name is taken, k_spawn_failed_exit when
// the program cannot be started. Before it starts the program it ends what a
// killed runner of the same name left running (or refuses to start). Messages
// go to stderr and the log. Never throws.
int run_supervised(const RunOptions& options, const Readiness& ready = {});

}  // namespace ductor::runner
