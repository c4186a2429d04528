#pragma once
// Child processes: one small wrapper over the platform's spawn primitive
// (posix_spawn on POSIX). Never a shell, never a command string.

#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/host.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::platform {

// Runs a child to completion with stdout/stderr captured and stdin fed from
// the request (or /dev/null). The child runs in its own process group, which
// is killed when the timeout passes. Never throws.
sdk::ProcessResult run_captured(const sdk::ProcessRequest& request);

// Runs a child with this process's stdin/stdout/stderr (for `logs -f`), and
// waits for it. Ctrl-C reaches the child; this process ignores SIGINT while
// waiting. Returns the child's exit code (128+N for signal N), or why it could
// not be started. Never throws.
sdk::Expected<int> run_attached(const std::vector<std::string>& argv);

// True when `path` is a regular file this user may execute.
bool is_executable_file(const std::filesystem::path& path);

// Looks `name` up on PATH (`path_value`; the process's PATH when empty).
// A name with a directory part is returned as given (made absolute) when it
// is an executable file.
std::optional<std::filesystem::path> find_executable(std::string_view name,
                                                     std::optional<std::string> path_value = std::nullopt);

}  // namespace ductor::platform
