#pragma once
// Shows file logs: the last N lines across a set of files (oldest file
// first), and following the newest one, also across rotation (the path is
// reopened when it names a new file or shrinks).

#include <chrono>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace ductor::output {

// The last `count` lines of `files` taken together (oldest file first);
// missing files are skipped. Lines keep their '\n'.
std::vector<std::string> last_lines(const std::vector<std::filesystem::path>& files, unsigned count);

// Copies what is appended to `file` to `out` from byte offset `start`
// (the current end when nullopt), reopening the path after a rotation,
// until `keep_going()` returns false. Polls every `interval`.
void follow_file(const std::filesystem::path& file, std::ostream& out, const std::function<bool()>& keep_going,
                 std::chrono::milliseconds interval = std::chrono::milliseconds(200));

}  // namespace ductor::output
