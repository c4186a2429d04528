#pragma once
// Small helpers the POSIX process files share (private to the platform layer).

#include <string>
#include <utility>
#include <vector>

namespace ductor::platform::posix {

// This process's environment plus `extra` (which wins), as "KEY=VALUE" strings.
std::vector<std::string> merged_environment(const std::vector<std::pair<std::string, std::string>>& extra);

// Pointers into `strings` plus a terminating nullptr, for argv/envp. `strings`
// must outlive the result.
std::vector<char*> c_strings(std::vector<std::string>& strings);

// A waitpid status as an exit code: the code, 128+N for signal N, -1 otherwise.
int decode_status(int status);

}  // namespace ductor::platform::posix
