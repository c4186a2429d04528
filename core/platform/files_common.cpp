// The portable part of <ductor/platform/files.hpp>.
#include <ductor/platform/files.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace ductor::platform {

sdk::Expected<void> create_directories(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return {};
    std::filesystem::create_directories(path, ec);
    if (ec && !std::filesystem::is_directory(path)) {
        return sdk::unexpected("cannot create the folder " + path.string() + ": " + ec.message());
    }
    return {};
}

void remove_stale_temps(const std::filesystem::path& target) {
    using std::filesystem::path;
    const auto prefix = path(".").native() + target.filename().native() + path(".tmp-").native();
    for (const auto& entry : list_directory(target.parent_path())) {
        if (entry.filename().native().rfind(prefix, 0) != 0) continue;
        std::error_code ec;
        std::filesystem::remove(entry, ec);
    }
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return std::move(buffer).str();
}

std::vector<std::filesystem::path> list_directory(const std::filesystem::path& path) {
    std::vector<std::filesystem::path> entries;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        entries.push_back(it->path());
    }
    // Every entry is path / name: the whole paths sort as their names do, without a path made per comparison.
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.native() < b.native(); });
    return entries;
}

}  // namespace ductor::platform
