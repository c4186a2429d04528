#include <ductor/output/log_view.hpp>

#include <ductor/platform/files.hpp>

#include <algorithm>
#include <deque>
#include <fstream>
#include <optional>
#include <thread>

namespace ductor::output {
namespace {

// The last `count` lines of one file, read backwards in chunks.
std::deque<std::string> tail_of(const std::filesystem::path& file, unsigned count) {
    std::deque<std::string> lines;
    std::ifstream in(file, std::ios::binary);
    if (!in || count == 0) return lines;
    in.seekg(0, std::ios::end);
    auto end = static_cast<std::streamoff>(in.tellg());
    std::string tail;  // the bytes read so far, from some offset to the end
    constexpr std::streamoff k_chunk = 64 * 1024;
    auto newlines = [&tail] { return static_cast<std::size_t>(std::count(tail.begin(), tail.end(), '\n')); };
    std::streamoff pos = end;
    while (pos > 0 && newlines() <= count) {
        auto step = std::min(k_chunk, pos);
        pos -= step;
        std::string chunk(static_cast<std::size_t>(step), '\0');
        in.seekg(pos);
        in.read(chunk.data(), step);
        tail.insert(0, chunk);
    }
    std::size_t start = 0;
    while (start < tail.size()) {
        auto nl = tail.find('\n', start);
        auto stop = nl == std::string::npos ? tail.size() : nl + 1;
        lines.emplace_back(tail.substr(start, stop - start));
        start = stop;
    }
    if (pos > 0 && !lines.empty()) lines.pop_front();  // the first line may be cut
    while (lines.size() > count) lines.pop_front();
    return lines;
}

}  // namespace

std::vector<std::string> last_lines(const std::vector<std::filesystem::path>& files, unsigned count) {
    std::deque<std::string> lines;
    for (auto it = files.rbegin(); it != files.rend() && lines.size() < count; ++it) {
        auto part = tail_of(*it, count - static_cast<unsigned>(lines.size()));
        lines.insert(lines.begin(), part.begin(), part.end());
    }
    return {lines.begin(), lines.end()};
}

void follow_file(const std::filesystem::path& file, std::ostream& out, const std::function<bool()>& keep_going,
                 std::chrono::milliseconds interval) {
    std::ifstream in;
    std::optional<platform::FileId> id;
    std::streamoff offset = 0;
    bool at_end = true;  // the first open starts at the end: the tail was shown already
    char buffer[65536];
    while (keep_going()) {
        auto now = platform::file_id(file);
        std::error_code ec;
        auto size = std::filesystem::file_size(file, ec);
        bool rotated = now && (!id || !(*now == *id) || (!ec && static_cast<std::streamoff>(size) < offset));
        if (rotated) {
            // Drain what the old file still had before switching.
            if (in.is_open()) {
                in.clear();
                while (in.read(buffer, sizeof buffer) || in.gcount() > 0) out.write(buffer, in.gcount());
            }
            in = std::ifstream(file, std::ios::binary);
            id = now;
            offset = 0;
            if (at_end && !ec) offset = static_cast<std::streamoff>(size);
            in.seekg(offset);
        }
        at_end = false;
        bool wrote = false;
        if (in.is_open()) {
            in.clear();
            while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
                out.write(buffer, in.gcount());
                offset += in.gcount();
                wrote = true;
            }
        }
        if (wrote)
            out.flush();
        else
            std::this_thread::sleep_for(interval);
    }
}

}  // namespace ductor::output
