#include <ductor/plugin/registry.hpp>

#include <algorithm>

namespace ductor::plugin {
namespace {

std::string describe_all(const Registry& registry) {
    std::string text;
    for (const auto& plugin : registry.plugins()) {
        text += "\n  " + plugin->info.name + " (" + plugin->candidate.file.string() +
                "): " + (plugin->availability.available ? "available" : "unavailable") + " - " +
                plugin->availability.reason;
    }
    for (const auto& failure : registry.failures()) {
        text += "\n  " + failure.candidate.file.string() + ": not loaded - " + failure.reason;
    }
    if (text.empty()) {
        text = "\n  no plugin files were found in:";
        for (const auto& dir : registry.search_path().dirs) text += "\n    " + dir.path.string();
    }
    return text;
}

}  // namespace

Registry::Registry(const SearchPath& path, sdk::Host& host) : m_path(path) {
    auto found = discover(path);
    m_shadowed = std::move(found.shadowed);
    for (const auto& candidate : found.candidates) {
        auto outcome = load_plugin(candidate, host);
        if (auto* failure = std::get_if<LoadFailure>(&outcome)) {
            m_failures.push_back(std::move(*failure));
            continue;
        }
        auto loaded = std::move(std::get<std::unique_ptr<LoadedPlugin>>(outcome));
        auto same_name = [&](const auto& p) { return p->info.name == loaded->info.name; };
        if (auto it = std::find_if(m_plugins.begin(), m_plugins.end(), same_name); it != m_plugins.end()) {
            m_failures.push_back({candidate, loaded->info,
                                  "another plugin named '" + loaded->info.name + "' was found first at " +
                                      (*it)->candidate.file.string()});
            continue;
        }
        m_plugins.push_back(std::move(loaded));
    }
}

Selection Registry::select(const std::optional<std::string>& forced, Need need) const {
    if (forced) {
        for (const auto& plugin : m_plugins) {
            if (plugin->info.name != *forced) continue;
            if (need == Need::available && !plugin->availability.available) {
                return {nullptr, "the backend '" + *forced + "' is not usable here: " + plugin->availability.reason};
            }
            return {plugin.get(), {}};
        }
        for (const auto& failure : m_failures) {
            if (failure.candidate.stem == *forced || (failure.info && failure.info->name == *forced)) {
                return {nullptr, "the backend '" + *forced + "' could not be loaded from " +
                                     failure.candidate.file.string() + ": " + failure.reason};
            }
        }
        return {nullptr, "no backend named '" + *forced + "'; the plugins found:" + describe_all(*this)};
    }
    LoadedPlugin* best = nullptr;
    for (const auto& plugin : m_plugins) {
        if (!plugin->availability.available) continue;
        if (best == nullptr || plugin->info.priority > best->info.priority ||
            (plugin->info.priority == best->info.priority && plugin->info.name < best->info.name)) {
            best = plugin.get();
        }
    }
    if (best != nullptr) return {best, {}};
    return {nullptr, "no usable service backend on this machine:" + describe_all(*this)};
}

}  // namespace ductor::plugin
