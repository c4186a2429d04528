#pragma once
// Loading one plugin file, in three steps that can be run (and guarded) one
// at a time:
//   1. open_plugin: judge the file (trust.hpp), load it (rtld_now, which runs
//      its static constructors), read its C info and check the contract ABI
//      and the C++ standard-library ABI; no C++ symbol is resolved before;
//   2. create_backend: call the plugin's C++ factory;
//   3. ask_availability: call is_service_available().
// Every failure is a reason (a LoadFailure); an exception thrown by the plugin
// is reported with its message. Nothing here throws.

#include <ductor/plugin/discovery.hpp>
#include <ductor/sdk/expected.hpp>
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
    std::string cxx_abi;  // the standard library and ABI it was built with (DUCTOR_CXX_ABI)
};

// A loaded plugin and, once created, its backend. The library is declared
// first so that it is destroyed last: nothing the plugin created outlives its
// code. Not movable: hold it by unique_ptr.
struct LoadedPlugin {
    boost::dll::shared_library library;
    std::unique_ptr<sdk::Backend> backend;  // null until create_backend() succeeded
    Candidate candidate;
    PluginInfo info;
    sdk::Availability availability;  // valid after ask_availability()

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

// A loaded plugin, or why it could not be loaded.
using LoadOutcome = sdk::Expected<std::unique_ptr<LoadedPlugin>, LoadFailure>;

// The steps of loading a plugin, as messages name them.
enum class Stage { loading, factory, availability };
// "loading", "the plugin factory", "is_service_available()".
const char* to_string(Stage stage);

// The C++ standard library and ABI of this ductor (DUCTOR_CXX_ABI).
const char* core_cxx_abi();

// Step 1: judges, loads and checks `candidate`; the result has no backend.
LoadOutcome open_plugin(const Candidate& candidate);

// Step 2: creates the backend with `host` (which must outlive the plugin).
// The reason on failure; the plugin is then of no use and may be dropped.
sdk::Expected<void> create_backend(LoadedPlugin& plugin, sdk::Host& host);

// Step 3: asks the created backend whether it is available; one that throws
// is unavailable with "is_service_available() threw: ...".
void ask_availability(LoadedPlugin& plugin);

// All three steps, one after the other, in this process.
LoadOutcome load_plugin(const Candidate& candidate, sdk::Host& host);

}  // namespace ductor::plugin
