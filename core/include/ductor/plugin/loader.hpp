#pragma once
// Loading one plugin file: check that it is a ductor plugin of a compatible
// ABI (C symbol first), then create its backend through the C++ factory.
// Every failure is a LoadFailure with a reason; nothing here throws.

#include <ductor/plugin/discovery.hpp>
#include <ductor/sdk/backend.hpp>
#include <ductor/sdk/host.hpp>

#include <boost/dll/shared_library.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace ductor::plugin {

// What the plugin declared about itself (copied out of the library).
struct PluginInfo {
    std::string name;
    std::string version;
    std::string summary;
    std::int32_t priority = 0;
    std::uint32_t abi_major = 0;
    std::uint32_t abi_minor = 0;
};

// A loaded plugin and the backend it created. The library is declared first
// so that it is destroyed last: nothing the plugin created outlives its code.
// Not movable: hold it by unique_ptr.
struct LoadedPlugin {
    boost::dll::shared_library library;
    std::unique_ptr<sdk::Backend> backend;
    Candidate candidate;
    PluginInfo info;
    sdk::Availability availability;

    LoadedPlugin() = default;
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;
    ~LoadedPlugin() { backend.reset(); }
};

struct LoadFailure {
    Candidate candidate;
    std::optional<PluginInfo> info;  // when the plugin got as far as declaring itself
    std::string reason;
};

using LoadOutcome = std::variant<std::unique_ptr<LoadedPlugin>, LoadFailure>;

// Loads `candidate` (rtld_now), checks its ABI, creates its backend with
// `host` (which must outlive the result) and asks it whether it is available.
LoadOutcome load_plugin(const Candidate& candidate, sdk::Host& host);

}  // namespace ductor::plugin
