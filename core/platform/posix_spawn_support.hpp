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

// posix_spawn of `program` (an absolute path) with `argv`, the environment
// plus `extra`, stdin from `in` (or /dev/null when `in` is -1), stdout and
// stderr to `out` and `err`, in a new process group, with no signal blocked
// and every signal at its default. 0 or an errno.
int spawn_in_new_group(const std::string& program, const std::vector<std::string>& argv,
                       const std::vector<std::pair<std::string, std::string>>& extra, int in, int out, int err,
                       int& pid);

// A waitpid status as an exit code: the code, 128+N for signal N, -1 otherwise.
int decode_status(int status);

}  // namespace ductor::platform::posix
