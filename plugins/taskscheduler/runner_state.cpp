#include <ductor/taskscheduler/runner_state.hpp>

#include <ductor/taskscheduler/action.hpp>

#include <algorithm>
#include <charconv>
#include <utility>

namespace ductor::taskscheduler {
namespace {

// N when `file_name` is "<name>.log.N" with N all digits, 0 for "<name>.log".
std::optional<unsigned> rotation_index(std::string_view file_name, std::string_view name) {
    const std::string base = std::string(name) + ".log";
    if (file_name == base) return 0U;
    if (file_name.size() <= base.size() + 1 || file_name.substr(0, base.size() + 1) != base + ".") return std::nullopt;
    const auto digits = file_name.substr(base.size() + 1);
    unsigned index = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (ec != std::errc() || end != digits.data() + digits.size() || index == 0) return std::nullopt;
    return index;
}

}  // namespace

std::filesystem::path pid_file(const sdk::Host& host, std::string_view name) {
    return host.ductor_home() / "run" / (std::string(name) + ".pid");
}

std::optional<long long> parse_pid(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return std::nullopt;
    text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    long long pid = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (ec != std::errc() || end != text.data() + text.size() || pid <= 0) return std::nullopt;
    return pid;
}

std::optional<long long> runner_pid(const sdk::Host& host, std::string_view name) {
    auto text = host.read_file(pid_file(host, name));
    if (!text) return std::nullopt;
    return parse_pid(*text);
}

std::filesystem::path log_directory(const sdk::Host& host, const sdk::ServiceSpec& spec) {
    return spec.log_directory.value_or(host.ductor_home() / "logs");
}

std::vector<std::filesystem::path> log_files(const sdk::Host& host, const std::filesystem::path& folder,
                                             std::string_view name) {
    std::vector<std::pair<unsigned, std::filesystem::path>> found;
    for (const auto& entry : host.list_directory(folder)) {
        if (auto index = rotation_index(utf8(entry.filename()), name)) found.emplace_back(*index, entry);
    }
    // Oldest first: the highest rotation number first, the live log last.
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::filesystem::path> files;
    for (auto& [index, path] : found) files.push_back(std::move(path));
    return files;
}

std::vector<std::string> taskkill_command(const std::filesystem::path& taskkill, long long pid,
                                          std::string_view image) {
    return {utf8(taskkill),
            "/F",
            "/T",
            "/FI",
            "PID eq " + std::to_string(pid),
            "/FI",
            "IMAGENAME eq " + std::string(image)};
}

}  // namespace ductor::taskscheduler
