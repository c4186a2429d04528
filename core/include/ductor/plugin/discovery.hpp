#pragma once
// Where plugins are looked for, and which files are candidates.
//
// Search order: every --plugin-dir (in the order given), DUCTOR_PLUGIN_PATH
// (':'-separated, ';' on Windows), the folder beside the executable
// (<exe>/../<libdir>/ductor/plugins, the installed layout relative to the
// executable, which in the build tree is the build's plugin folder), then the
// installed <libdir>/ductor/plugins. The current directory
// is never searched: relative DUCTOR_PLUGIN_PATH entries are ignored.
// A --plugin-dir that is empty, missing or not a folder is an error (the user
// asked for it); such DUCTOR_PLUGIN_PATH entries are skipped with a warning
// (the variable may outlive a folder); the last two folders may be missing.
// Inside a folder, files are taken in name order; the first file with a given
// name (stem) wins and later ones are reported as shadowed.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ductor::plugin {

enum class Origin { command_line, environment, beside_executable, system };

// "--plugin-dir", "DUCTOR_PLUGIN_PATH", "beside the executable", "system".
const char* to_string(Origin origin);

struct SearchDir {
    std::filesystem::path path;
    Origin origin;
};

struct SearchInputs {
    std::vector<std::filesystem::path> plugin_dirs;                     // --plugin-dir, relative ones made absolute
    std::optional<std::string> env_path;                                // DUCTOR_PLUGIN_PATH
    std::filesystem::path executable;                                   // the running ductor
    std::filesystem::path beside_executable = "../lib/ductor/plugins";  // relative to the executable's folder
    std::filesystem::path system_dir;                                   // <libdir>/ductor/plugins
};

struct SearchPath {
    std::vector<SearchDir> dirs;        // in search order, duplicates removed
    std::vector<std::string> warnings;  // ignored DUCTOR_PLUGIN_PATH entries, with the reason
    std::vector<std::string> errors;    // unusable --plugin-dir values, with the reason
};

// Looks at the folders named by --plugin-dir and DUCTOR_PLUGIN_PATH (which
// must exist), not at the others. Never throws.
SearchPath build_search_path(const SearchInputs& inputs);

// A plugin file's path, made once and shared by every candidate and report
// that names the file: copying a std::filesystem::path allocates again for
// each name in it, and every command copies every file's candidate.
class SharedPath {
public:
    SharedPath() = default;                  // the empty path
    SharedPath(std::filesystem::path path);  // NOLINT(google-explicit-constructor): stands for the path
    // The path lives as long as some SharedPath holds it: never taken from a temporary.
    const std::filesystem::path& get() const& { return m_path ? *m_path : empty(); }
    const std::filesystem::path& get() const&& = delete;
    operator const std::filesystem::path&() const& { return get(); }  // NOLINT(google-explicit-constructor)
    operator const std::filesystem::path&() const&& = delete;
    std::string string() const { return get().string(); }

private:
    static const std::filesystem::path& empty();
    std::shared_ptr<const std::filesystem::path> m_path;
};

struct Candidate {
    SharedPath file;
    std::string stem;  // file name without the library suffix
    Origin origin;
    // platform::file_fingerprint() of the file as the trust check examined it,
    // before anything read it; nullopt when none was taken.
    std::optional<std::string> fingerprint = std::nullopt;
};

struct Shadowed {
    std::filesystem::path file;
    std::filesystem::path winner;  // the earlier file with the same name
};

struct Discovery {
    std::vector<Candidate> candidates;  // in search order
    std::vector<Shadowed> shadowed;
};

// Lists the plugin files (the platform's shared-library suffix) in the search
// path. Missing folders are skipped silently. Never throws.
Discovery discover(const SearchPath& path);

// The platform's shared-library suffix: ".so", ".dylib" or ".dll".
std::string library_suffix();

}  // namespace ductor::plugin
