#include <ductor/sdk/paths.hpp>

#include <algorithm>
#include <charconv>
#include <optional>

namespace ductor::sdk {

std::string utf8(const std::filesystem::path& path) {
    const auto text = path.u8string();
    return std::string(reinterpret_cast<const char*>(text.data()), text.size());
}

std::filesystem::path path_from_utf8(std::string_view text) {
#if defined(__cpp_char8_t)
    return std::filesystem::path(std::u8string(reinterpret_cast<const char8_t*>(text.data()), text.size()));
#else
    return std::filesystem::u8path(text.begin(), text.end());
#endif
}

std::vector<std::string> absolute_path_entries(std::string_view value, char separator) {
    std::vector<std::string> folders;
    for (std::size_t start = 0; start <= value.size();) {
        const auto end = std::min(value.find(separator, start), value.size());
        const auto entry = value.substr(start, end - start);
        if (!entry.empty() && path_from_utf8(entry).is_absolute()) folders.emplace_back(entry);
        start = end + 1;
    }
    return folders;
}

namespace {

// "v22.1.0" -> {22, 1, 0}; nullopt when the name is not a version.
std::optional<std::vector<unsigned long>> parse_version(std::string_view name) {
    if (!name.empty() && (name.front() == 'v' || name.front() == 'V')) name.remove_prefix(1);
    if (name.empty()) return std::nullopt;
    std::vector<unsigned long> parts;
    while (true) {
        unsigned long value = 0;
        auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), value);
        if (ec != std::errc{} || end == name.data()) return std::nullopt;
        parts.push_back(value);
        name.remove_prefix(static_cast<std::size_t>(end - name.data()));
        if (name.empty()) return parts;
        if (name.front() != '.') return std::nullopt;
        name.remove_prefix(1);
    }
}

}  // namespace

std::vector<std::string> sort_versions_newest_first(std::vector<std::string> names) {
    std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
        auto va = parse_version(a);
        auto vb = parse_version(b);
        if (va && vb) return *va != *vb ? *va > *vb : a < b;
        if (va || vb) return va.has_value();
        return a < b;
    });
    return names;
}

std::vector<std::filesystem::path> nvm_bin_directories(const Host& host) {
    std::filesystem::path root = host.home_directory() / ".nvm";
    if (auto dir = host.environment("NVM_DIR"); dir && !dir->empty()) root = *dir;
    const auto versions_dir = root / "versions" / "node";
    std::vector<std::string> names;
    for (const auto& entry : host.list_directory(versions_dir)) names.push_back(entry.filename().string());
    std::vector<std::filesystem::path> result;
    for (const auto& name : sort_versions_newest_first(std::move(names))) {
        auto bin = versions_dir / name / "bin";
        if (host.path_exists(bin)) result.push_back(std::move(bin));
    }
    return result;
}

std::string service_path(const Host& host, const std::vector<std::string>& system_dirs) {
    std::vector<std::string> dirs;
    auto add = [&dirs](std::string dir) {
        if (!dir.empty() && std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(std::move(dir));
    };
    add((host.home_directory() / ".local" / "bin").string());
    for (const auto& dir : nvm_bin_directories(host)) add(dir.string());
    for (const auto& dir : system_dirs) add(dir);
    const char separator = host.os() == OsFamily::windows ? ';' : ':';
    std::string joined;
    for (const auto& dir : dirs) {
        if (!joined.empty()) joined += separator;
        joined += dir;
    }
    return joined;
}

std::string description_of(const ServiceSpec& spec) {
    return spec.description.empty() ? "ductor service " + spec.name : spec.description;
}

std::optional<EnvVar> moved_ductor_home(const Host& host) {
    auto moved = host.environment("DUCTOR_HOME");
    if (!moved || moved->empty()) return std::nullopt;
    return EnvVar{"DUCTOR_HOME", utf8(host.ductor_home())};
}

std::vector<EnvVar> merge_environment(std::vector<EnvVar> defaults, const std::vector<EnvVar>& user) {
    for (const auto& var : user) {
        auto same = [&var](const EnvVar& existing) { return existing.key == var.key; };
        if (auto it = std::find_if(defaults.begin(), defaults.end(), same); it != defaults.end())
            it->value = var.value;
        else
            defaults.push_back(var);
    }
    return defaults;
}

}  // namespace ductor::sdk
