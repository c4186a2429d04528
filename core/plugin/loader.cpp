#include <ductor/plugin/loader.hpp>

#include <ductor/plugin/guard.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/sdk/abi.hpp>
#include <ductor/sdk/plugin.hpp>

#include <boost/dll/alias.hpp>

namespace ductor::plugin {
namespace {

std::string text_or(const char* text, const char* fallback) {
    return text != nullptr ? std::string(text) : std::string(fallback);
}

// Reads and checks the C-linkage info; the only symbol touched before the ABI is known to match.
std::variant<PluginInfo, std::string> read_info(boost::dll::shared_library& library) {
    if (!library.has(sdk::k_info_symbol)) {
        return std::string("not a ductor plugin (no ") + sdk::k_info_symbol + " symbol)";
    }
    auto info_fn = library.get<const DuctorPluginInfo*()>(sdk::k_info_symbol);
    const DuctorPluginInfo* raw = info_fn();
    if (raw == nullptr) return std::string(sdk::k_info_symbol) + " returned nothing";
    PluginInfo info;
    info.abi_major = raw->abi_major;
    info.abi_minor = raw->abi_minor;
    if (info.abi_major != DUCTOR_ABI_MAJOR) {
        return "built for plugin ABI " + std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor) +
               ", this ductor speaks ABI " + std::to_string(DUCTOR_ABI_MAJOR) + ".x";
    }
    if (info.abi_minor > DUCTOR_ABI_MINOR) {
        return "built for plugin ABI " + std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor) +
               ", newer than this ductor's " + std::to_string(DUCTOR_ABI_MAJOR) + "." +
               std::to_string(DUCTOR_ABI_MINOR) + " (upgrade ductor)";
    }
    info.name = text_or(raw->name, "");
    info.version = text_or(raw->version, "?");
    info.summary = text_or(raw->summary, "");
    info.priority = raw->priority;
    if (info.name.empty()) return std::string("the plugin declares no name");
    return info;
}

}  // namespace

LoadOutcome load_plugin(const Candidate& candidate, sdk::Host& host) {
    auto plugin = std::make_unique<LoadedPlugin>();
    plugin->candidate = candidate;
    boost::dll::fs::error_code ec;
    plugin->library.load(candidate.file, ec, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    if (ec) {
        return LoadFailure{candidate, std::nullopt,
                           "cannot be loaded as a shared library: " + platform::library_load_error(candidate.file)};
    }

    auto info = guarded_call("reading the plugin info", [&] { return read_info(plugin->library); });
    if (!info.value) return LoadFailure{candidate, std::nullopt, info.error};
    if (auto* reason = std::get_if<std::string>(&*info.value)) return LoadFailure{candidate, std::nullopt, *reason};
    plugin->info = std::get<PluginInfo>(*info.value);

    if (!plugin->library.has(sdk::k_factory_symbol)) {
        return LoadFailure{candidate, plugin->info,
                           std::string("the factory ") + sdk::k_factory_symbol + " is missing"};
    }
    auto created = guarded_call("the plugin factory", [&] {
        auto& factory = plugin->library.get_alias<sdk::BackendFactory>(sdk::k_factory_symbol);
        return factory(host);
    });
    if (!created.value) return LoadFailure{candidate, plugin->info, created.error};
    if (!*created.value) return LoadFailure{candidate, plugin->info, "the plugin factory returned no backend"};
    plugin->backend = std::move(*created.value);

    auto availability = guarded_call("is_service_available()", [&] { return plugin->backend->is_service_available(); });
    if (availability.value)
        plugin->availability = *availability.value;
    else
        plugin->availability = {false, availability.error};
    return plugin;
}

}  // namespace ductor::plugin
