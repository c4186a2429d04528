#pragma once
// The plugins on the search path, loaded only as far as each command needs:
//   - constructing it finds the files and judges each one (trust.hpp); it
//     loads nothing;
//   - the first select(), plugins() or failures() reads every trusted
//     plugin's info (in one child process where the platform isolates, so a
//     plugin that crashes or exits while it loads is reported, not fatal),
//     or takes it from the info cache when the file has not changed;
//   - select() then creates and asks backends in ductor's own process, in
//     priority order (ties by name), and stops at the first available one; a
//     forced name creates only that plugin. Each of those steps is guarded
//     (platform/fatal_guard.hpp): a plugin that crashes or does not answer
//     within k_answer_timeout ends the command with a message naming it.
// Loading on demand does not change what the registry means, so it happens
// behind const member functions; a Registry is not for use by several
// threads. It keeps every library it loaded open until it is destroyed; the
// Host passed in must outlive it.

#include <ductor/plugin/discovery.hpp>
#include <ductor/plugin/loader.hpp>
#include <ductor/plugin/probe.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ductor::plugin {

// Whether the chosen backend must be usable here (normal commands) or only
// loaded (`--dry-run` previews any backend).
enum class Need { available, loaded };

// The chosen plugin (never null; owned by the registry; its backend is created
// and was asked), or why none could be chosen, with each candidate's reason.
using Selection = sdk::Expected<LoadedPlugin*>;

class Registry {
public:
    // Discovers the plugin files of `path` and judges each one; loads nothing.
    // With `info_cache` (info_cache.hpp), infos of unchanged files are taken
    // from that file instead of being read in a child.
    Registry(const SearchPath& path, sdk::Host& host, std::optional<std::filesystem::path> info_cache = std::nullopt);
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    const SearchPath& search_path() const { return m_path; }
    const std::vector<Shadowed>& shadowed() const { return m_shadowed; }

    // Every plugin whose backend was created, in search order, each asked
    // whether it is available. Creates and asks the ones not asked yet: for
    // commands that show every backend.
    const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const;
    // Every file that was refused or failed, in search order (after the same
    // creating and asking as plugins()).
    const std::vector<LoadFailure>& failures() const;

    // `forced` (from --backend / DUCTOR_BACKEND) creates and returns only the
    // plugin of that name; otherwise plugins are created and asked in priority
    // order until one is available.
    Selection select(const std::optional<std::string>& forced, Need need) const;

    // `ductor plugins`: every file found, each asked in a child process
    // (trust refusals without one), in search order.
    std::vector<ProbeReport> probe_all(std::chrono::milliseconds silence = k_answer_timeout) const;

private:
    struct Found {
        Candidate candidate;
        sdk::Expected<void> trusted;  // whether the trust rules let it load; why not otherwise
    };
    struct Described {
        PluginInfo info;
        std::size_t order;  // its place in m_found, which holds its candidate
    };

    void describe() const;
    LoadedPlugin* create(const Described& entry) const;
    void add_failure(LoadFailure failure, std::size_t order) const;
    void create_all() const;
    std::string describe_all() const;

    SearchPath m_path;
    sdk::Host& m_host;
    std::optional<std::filesystem::path> m_info_cache;
    std::vector<Shadowed> m_shadowed;
    std::vector<Found> m_found;  // every plugin file, in search order

    mutable bool m_described = false;
    mutable std::vector<Described> m_accepted;                     // infos read and accepted, search order
    mutable std::vector<std::size_t> m_failure_order;              // m_found places of m_failures
    mutable std::vector<LoadFailure> m_failures;                   // search order
    mutable std::vector<std::size_t> m_plugin_order;               // m_found places of m_plugins
    mutable std::vector<std::unique_ptr<LoadedPlugin>> m_plugins;  // search order; last: unloaded first
};

}  // namespace ductor::plugin
