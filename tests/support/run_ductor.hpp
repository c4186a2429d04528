#pragma once
// Runs the built ductor executable as a real child process.

#include <ductor/sdk/host.hpp>

#include <string>
#include <utility>
#include <vector>

namespace ductor::test {

// Runs `ductor ARGS...` with `env` added to the environment; the result has
// the exit code and both outputs.
sdk::ProcessResult run_ductor(const std::vector<std::string>& args,
                              const std::vector<std::pair<std::string, std::string>>& env = {});

}  // namespace ductor::test
