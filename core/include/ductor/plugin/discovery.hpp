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

#include <ductor/platform/files.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// A path's native text as std::filesystem::path::string() gives it: the text
// itself where the native text is narrow (POSIX); converted where it is wide.
std::string native_string(std::basic_string_view<std::filesystem::path::value_type> text);

// A plugin file's path, kept as its text and shared by every candidate and
// report that names the file. Most files are only judged and looked up by that
// text; the std::filesystem::path (which splits the text into its names, each
// allocated) is made on the first get(), for the few files a command loads.
class SharedPath {
public:
    using Text = std::filesystem::path::string_type;
    SharedPath() = default;                  // the empty path
    SharedPath(std::filesystem::path path);  // NOLINT(google-explicit-constructor): stands for the path
    explicit SharedPath(Text text);
    // The path lives as long as some SharedPath holds it: never taken from a temporary.
    const std::filesystem::path& get() const&;
    const std::filesystem::path& get() const&& = delete;
    operator const std::filesystem::path&() const& { return get(); }  // NOLINT(google-explicit-constructor)
    operator const std::filesystem::path&() const&& = delete;
    // The path's native text, without making the path.
    const Text& native() const& { return m_held ? m_held->text : empty_text(); }
    const Text& native() const&& = delete;
    std::string string() const;

private:
    struct Held {
        explicit Held(Text whole) : text(std::move(whole)) {}
        Text text;
        mutable std::once_flag made;
        mutable std::optional<std::filesystem::path> path;
    };
    static const Text& empty_text();
    std::shared_ptr<const Held> m_held;
};

struct Candidate {
    SharedPath file;
    std::string stem;  // file name without the library suffix
    Origin origin;
    // platform::file_fingerprint() of the file as the trust check examined it,
    // before anything read it; nullopt when none was taken.
    std::optional<platform::Fingerprint> fingerprint = std::nullopt;
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
