#pragma once
// Runs the built ductor executable as a real child process.

#include <ductor/sdk/host.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace ductor::test {

// Runs `ductor ARGS...` (the built one, or `exe`) with `env` added to the
// environment; the result has the exit code and both outputs.
sdk::ProcessResult run_ductor(const std::vector<std::string>& args,
                              const std::vector<std::pair<std::string, std::string>>& env = {},
                              const std::filesystem::path& exe = DUCTOR_TEST_EXE);

}  // namespace ductor::test
