#pragma once
// All plugins found on the search path, loaded, with the failures and the
// choice of backend. Holds every library open until it is destroyed; the Host
// passed in must outlive it.

#include <ductor/plugin/discovery.hpp>
#include <ductor/plugin/loader.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ductor::plugin {

// Whether the chosen backend must be usable here (normal commands) or only
// loaded (`--dry-run` previews any backend).
enum class Need { available, loaded };

struct Selection {
    LoadedPlugin* plugin = nullptr;  // owned by the registry
    std::string error;               // why none could be chosen, with each candidate's reason
};

class Registry {
public:
    // Discovers and loads every candidate of `path`.
    Registry(const SearchPath& path, sdk::Host& host);
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    const SearchPath& search_path() const { return m_path; }
    const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const { return m_plugins; }
    const std::vector<LoadFailure>& failures() const { return m_failures; }
    const std::vector<Shadowed>& shadowed() const { return m_shadowed; }

    // `forced` (from --backend / DUCTOR_BACKEND) picks by name; otherwise the
    // available plugin with the highest priority wins, ties broken by name.
    Selection select(const std::optional<std::string>& forced, Need need) const;

private:
    SearchPath m_path;
    std::vector<LoadFailure> m_failures;
    std::vector<Shadowed> m_shadowed;
    std::vector<std::unique_ptr<LoadedPlugin>> m_plugins;  // last: unloaded first
};

}  // namespace ductor::plugin
