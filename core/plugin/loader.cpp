#include <ductor/plugin/loader.hpp>

#include <ductor/plugin/guard.hpp>
#include <ductor/plugin/trust.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/sdk/abi.hpp>
#include <ductor/sdk/plugin.hpp>

#include <boost/dll/alias.hpp>

namespace ductor::plugin {
namespace {

std::string text_or(const char* text, const char* fallback) {
    return text != nullptr ? std::string(text) : std::string(fallback);
}

std::string abi_text(std::uint32_t major, std::uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

// Reads and checks the C-linkage info: the only symbol touched before the ABI is known to match.
sdk::Expected<PluginInfo, LoadFailure> read_info(boost::dll::shared_library& library, const Candidate& candidate) {
    auto refuse = [&](std::string reason, std::optional<PluginInfo> info = std::nullopt) {
        return sdk::unexpected(LoadFailure{candidate, std::move(info), std::move(reason)});
    };
    if (!library.has(sdk::k_info_symbol)) {
        return refuse(std::string("not a ductor plugin (no ") + sdk::k_info_symbol + " symbol)");
    }
    auto info_fn = library.get<const DuctorPluginInfo*()>(sdk::k_info_symbol);
    const DuctorPluginInfo* raw = info_fn();
    if (raw == nullptr) return refuse(std::string(sdk::k_info_symbol) + " returned nothing");
    PluginInfo info;
    info.abi_major = raw->abi_major;
    info.abi_minor = raw->abi_minor;
    const auto theirs = abi_text(info.abi_major, info.abi_minor);
    if (info.abi_major != DUCTOR_ABI_MAJOR) {
        return refuse("built for plugin ABI " + theirs + ", this ductor speaks ABI " +
                      std::to_string(DUCTOR_ABI_MAJOR) + ".x");
    }
    if (info.abi_minor > DUCTOR_ABI_MINOR) {
        return refuse("built for plugin ABI " + theirs + ", newer than this ductor's " +
                      abi_text(DUCTOR_ABI_MAJOR, DUCTOR_ABI_MINOR) + " (upgrade ductor)");
    }
    // From here on the layout of ABI DUCTOR_ABI_MAJOR.0 is known to hold.
    info.name = text_or(raw->name, "");
    info.version = text_or(raw->version, "?");
    info.summary = text_or(raw->summary, "");
    info.priority = raw->priority;
    info.cxx_abi = text_or(raw->cxx_abi, "");
    if (info.cxx_abi != core_cxx_abi()) {
        auto theirs_cxx = info.cxx_abi.empty() ? std::string("no C++ ABI identity") : info.cxx_abi;
        return refuse("built with " + theirs_cxx + "; this ductor uses " + core_cxx_abi() +
                          " (rebuild the plugin with the same standard library and ABI settings)",
                      info);
    }
    if (info.name.empty()) return refuse("the plugin declares no name", info);
    return info;
}

}  // namespace

const char* to_string(Stage stage) {
    switch (stage) {
        case Stage::loading: return "loading";
        case Stage::factory: return "the plugin factory";
        case Stage::availability: return "is_service_available()";
    }
    return "?";
}

const char* core_cxx_abi() { return DUCTOR_CXX_ABI; }

LoadOutcome open_plugin(const Candidate& candidate) {
    auto refuse = [&](std::string reason) {
        return sdk::unexpected(LoadFailure{candidate, std::nullopt, std::move(reason)});
    };
    if (auto trusted = check_trusted(candidate.file); !trusted) return refuse(std::move(trusted).error());
    auto plugin = std::make_unique<LoadedPlugin>();
    plugin->candidate = candidate;
    boost::dll::fs::error_code ec;
    plugin->library.load(candidate.file, ec, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    if (ec) return refuse("cannot be loaded as a shared library: " + platform::library_load_error(candidate.file));
    auto info = guarded_call("reading the plugin info", [&] { return read_info(plugin->library, candidate); });
    if (!info) return refuse(info.error());
    if (!*info) return sdk::unexpected(std::move(*info).error());
    plugin->info = **info;
    return plugin;
}

sdk::Expected<void> create_backend(LoadedPlugin& plugin, sdk::Host& host) {
    if (!plugin.library.has(sdk::k_factory_symbol)) {
        return sdk::unexpected(std::string("the factory ") + sdk::k_factory_symbol + " is missing");
    }
    auto created = guarded_call(to_string(Stage::factory), [&] {
        auto& factory = plugin.library.get_alias<sdk::BackendFactory>(sdk::k_factory_symbol);
        return factory(host);
    });
    if (!created) return sdk::unexpected(created.error());
    if (!*created) return sdk::unexpected(std::string("the plugin factory returned no backend"));
    plugin.backend = std::move(*created);
    return {};
}

void ask_availability(LoadedPlugin& plugin) {
    auto availability =
        guarded_call(to_string(Stage::availability), [&] { return plugin.backend->is_service_available(); });
    if (availability)
        plugin.availability = *availability;
    else
        plugin.availability = {false, availability.error()};
}

LoadOutcome load_plugin(const Candidate& candidate, sdk::Host& host) {
    auto outcome = open_plugin(candidate);
    if (!outcome) return outcome;
    auto& plugin = *outcome;
    if (auto created = create_backend(*plugin, host); !created)
        return sdk::unexpected(LoadFailure{candidate, plugin->info, created.error()});
    ask_availability(*plugin);
    return outcome;
}

}  // namespace ductor::plugin
