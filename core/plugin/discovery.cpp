#include <ductor/plugin/discovery.hpp>

#include <ductor/platform/files.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/sdk/expected.hpp>

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <map>

namespace ductor::plugin {
const char* to_string(Origin origin) {
    switch (origin) {
        case Origin::command_line: return "--plugin-dir";
        case Origin::environment: return "DUCTOR_PLUGIN_PATH";
        case Origin::beside_executable: return "beside the executable";
        case Origin::system: return "system";
    }
    return "unknown";
}

std::string library_suffix() { return boost::dll::shared_library::suffix().string(); }

namespace {

// Whether `dir` can be searched; why not otherwise.
sdk::Expected<void> check_folder(const std::filesystem::path& dir) {
    std::error_code ec;
    auto status = std::filesystem::status(dir, ec);
    if (status.type() == std::filesystem::file_type::not_found) return sdk::unexpected("no such folder");
    if (ec) return sdk::unexpected(ec.message());
    if (status.type() != std::filesystem::file_type::directory) return sdk::unexpected("not a folder");
    return {};
}

// The entries of `dir` named *<suffix> that are not folders (nor symlinks to
// folders), sorted by name; those listed before an error. The folder listing's own
// entry type answers for most entries, so a plugin folder costs no stat per
// file here (the trust rules examine each file later).
std::vector<std::filesystem::path> library_files(const std::filesystem::path& dir, const std::string& suffix) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& file = it->path();
        if (file.extension() != suffix) continue;
        std::error_code type_ec;
        if (it->is_directory(type_ec)) continue;  // a symlink's target is examined; other types are not
        files.push_back(file);
    }
    // Every entry is dir / name: the whole paths sort as their names do.
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.native() < b.native(); });
    return files;
}

}  // namespace

SearchPath build_search_path(const SearchInputs& inputs) {
    SearchPath result;
    auto add = [&result](std::filesystem::path dir, Origin origin) {
        dir = dir.lexically_normal();
        if (dir.has_parent_path() && !dir.has_filename()) dir = dir.parent_path();  // "/a/b/" -> "/a/b"
        auto same = [&dir](const SearchDir& d) { return d.path == dir; };
        if (std::none_of(result.dirs.begin(), result.dirs.end(), same)) result.dirs.push_back({dir, origin});
    };
    for (const auto& dir : inputs.plugin_dirs) {
        std::error_code ec;
        auto absolute = dir.empty() ? dir : std::filesystem::absolute(dir, ec);
        if (dir.empty()) {
            result.errors.push_back("--plugin-dir: the folder name is empty");
        } else if (ec) {
            result.errors.push_back("--plugin-dir '" + dir.string() + "': " + ec.message());
        } else if (auto searchable = check_folder(absolute); !searchable) {
            result.errors.push_back("--plugin-dir '" + dir.string() + "': " + searchable.error());
        } else {
            add(absolute, Origin::command_line);
        }
    }
    if (inputs.env_path && !inputs.env_path->empty()) {
        std::string_view rest = *inputs.env_path;
        const std::string name = "DUCTOR_PLUGIN_PATH: ";
        for (;;) {
            auto sep = rest.find(platform::path_list_separator());
            std::filesystem::path entry(std::string(rest.substr(0, sep)));
            if (entry.empty()) {
                result.warnings.push_back(name + "ignoring an empty entry (the current directory is never searched)");
            } else if (!entry.is_absolute()) {
                result.warnings.push_back(name + "ignoring relative folder '" + entry.string() +
                                          "' (the current directory is never searched)");
            } else if (auto searchable = check_folder(entry); !searchable) {
                result.warnings.push_back(name + "ignoring '" + entry.string() + "': " + searchable.error());
            } else {
                add(entry, Origin::environment);
            }
            if (sep == std::string_view::npos) break;
            rest.remove_prefix(sep + 1);
        }
    }
    if (!inputs.executable.empty()) {
        add(inputs.executable.parent_path() / inputs.beside_executable, Origin::beside_executable);
    }
    if (!inputs.system_dir.empty()) add(inputs.system_dir, Origin::system);
    return result;
}

Discovery discover(const SearchPath& path) {
    Discovery result;
    std::map<std::string, std::size_t> seen;  // stem -> its place in result.candidates
    const auto suffix = library_suffix();
    for (const auto& dir : path.dirs) {
        for (auto& file : library_files(dir.path, suffix)) {
            auto stem = file.stem().string();
            if (auto it = seen.find(stem); it != seen.end()) {
                result.shadowed.push_back({std::move(file), result.candidates[it->second].file});
                continue;
            }
            seen.emplace(stem, result.candidates.size());
            result.candidates.push_back({std::move(file), std::move(stem), dir.origin});
        }
    }
    return result;
}

}  // namespace ductor::plugin
