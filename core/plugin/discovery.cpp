#include <ductor/plugin/discovery.hpp>

#include <ductor/platform/files.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/sdk/expected.hpp>

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

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

SharedPath::SharedPath(std::filesystem::path path) : SharedPath(Text(path.native())) {}

SharedPath::SharedPath(Text text) : m_held(std::make_shared<const Held>(std::move(text))) {}

const std::filesystem::path& SharedPath::get() const& {
    static const std::filesystem::path none;
    if (!m_held) return none;
    std::call_once(m_held->made, [this] { m_held->path.emplace(m_held->text); });
    return *m_held->path;
}

const SharedPath::Text& SharedPath::empty_text() {
    static const Text none;
    return none;
}

namespace {
template <class Char>
std::string narrow(std::basic_string_view<Char> text) {
    if constexpr (std::is_same_v<Char, char>)
        return std::string(text);
    else
        return std::filesystem::path(std::basic_string<Char>(text)).string();
}
}  // namespace

std::string native_string(std::basic_string_view<std::filesystem::path::value_type> text) { return narrow(text); }

std::string SharedPath::string() const { return native_string(native()); }

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
    const auto suffix = library_suffix();
    std::vector<std::vector<platform::SuffixedFile>> folders;  // the files of path.dirs, each sorted by name
    folders.reserve(path.dirs.size());
    std::size_t count = 0;
    for (const auto& dir : path.dirs) {
        folders.push_back(platform::files_with_suffix(dir.path, suffix));
        count += folders.back().size();
    }
    // A folder holds a name once, so the first file of a name is in the earliest folder that has
    // it: each file is looked up by name in the folders before its own. Files are numbered in
    // search order; first[i] is the number of the first file named as file i is.
    auto position_of = [](const std::vector<platform::SuffixedFile>& files, auto name) -> std::optional<std::size_t> {
        auto it = std::lower_bound(files.begin(), files.end(), name,
                                   [](const platform::SuffixedFile& file, auto n) { return file.name() < n; });
        if (it == files.end() || it->name() != name) return std::nullopt;
        return static_cast<std::size_t>(it - files.begin());
    };
    std::vector<std::size_t> start(folders.size());  // the number of each folder's first file
    std::vector<std::size_t> first(count);
    for (std::size_t k = 0, at = 0; k < folders.size(); ++k) {
        start[k] = at;
        for (const auto& file : folders[k]) {
            first[at] = at;
            for (std::size_t g = 0; g < k; ++g) {
                if (auto found = position_of(folders[g], file.name())) {
                    first[at] = start[g] + *found;
                    break;
                }
            }
            ++at;
        }
    }
    Discovery result;
    result.candidates.reserve(count);
    std::vector<std::size_t> place(count);  // a first file's place in result.candidates
    for (std::size_t k = 0, at = 0; k < folders.size(); ++k) {
        for (auto& file : folders[k]) {
            const auto i = at++;
            if (first[i] != i) {
                result.shadowed.push_back({std::move(file.path), result.candidates[place[first[i]]].file.get()});
                continue;
            }
            place[i] = result.candidates.size();
            result.candidates.push_back({SharedPath(std::move(file.path)), std::move(file.stem), path.dirs[k].origin});
        }
    }
    return result;
}

}  // namespace ductor::plugin
