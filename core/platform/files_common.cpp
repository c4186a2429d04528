// The portable part of <ductor/platform/files.hpp>.
#include <ductor/platform/files.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace ductor::platform {

std::string Fingerprint::text() const {
    std::array<char, 8 * 24> text{};  // seven numbers of at most 20 characters, six separators
    char* at = text.data();
    char* const end = text.data() + text.size();
    auto put = [&](auto number, char after) {
        at = std::to_chars(at, end - 1, number).ptr;  // an error leaves `at` at the end
        if (after != 0 && at < end) *at++ = after;
    };
    put(device, ':');
    put(inode, ':');
    put(size, ':');
    put(modified_seconds, '.');
    put(modified_nanoseconds, ':');
    put(changed_seconds, '.');
    put(changed_nanoseconds, 0);
    return std::string(text.data(), at);
}

std::optional<Fingerprint> Fingerprint::from_text(std::string_view text) {
    Fingerprint read;
    const char* at = text.data();
    const char* const end = text.data() + text.size();
    // One number as to_chars writes it (no sign but a minus, no leading zero), then `after`.
    auto take = [&](auto& number, char after) {
        const char* digits = at != end && *at == '-' ? at + 1 : at;
        if (digits == end || (*digits == '0' && digits + 1 != end && digits[1] >= '0' && digits[1] <= '9'))
            return false;
        if (*digits == '0' && digits != at) return false;  // "-0"
        auto [next, error] = std::from_chars(at, end, number);
        if (error != std::errc{}) return false;
        at = next;
        if (after == 0) return at == end;
        if (at == end || *at != after) return false;
        ++at;
        return true;
    };
    if (take(read.device, ':') && take(read.inode, ':') && take(read.size, ':') && take(read.modified_seconds, '.') &&
        take(read.modified_nanoseconds, ':') && take(read.changed_seconds, '.') && take(read.changed_nanoseconds, 0))
        return read;
    return std::nullopt;
}

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
