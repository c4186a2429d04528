#pragma once
// How a plugin exports itself. In exactly one source file of the plugin:
//
//   #include <ductor/sdk/plugin.hpp>
//   class MyBackend : public ductor::sdk::Backend { ... explicit MyBackend(ductor::sdk::Host&); };
//   DUCTOR_PLUGIN(MyBackend, "mybackend", "1.0.0", 50, "My service manager")
//
// The macro exports:
//   - `ductor_plugin_info` (C linkage): the ABI version, the C++ standard
//     library identity (DUCTOR_CXX_ABI, computed here, in the plugin's own
//     translation unit) and metadata, read by the core before anything else
//     (see abi.hpp);
//   - `ductor_create_backend` (a Boost.DLL alias): the factory, called only
//     when the ABI matches. It receives the Host and returns the backend; it
//     may throw (the core reports the message and skips the plugin).
//
// Priority guide: native managers 100, generic fallbacks 10, experiments 0.
//
// Language and toolchain: the SDK headers are C++17, so a plugin needs C++17
// or later (find_package(ductor) and ductor_add_plugin() ask for at least
// that). C++ types cross the plugin boundary, so a plugin must also be built
// with the same compiler family, C++ standard library (and its ABI settings)
// and SDK major version as the ductor that loads it; the core checks the
// last two before it calls anything (see abi.hpp).
//
// What runs when: loading the library runs its static constructors (keep them
// trivial: no threads, no I/O, never exit); the factory and
// is_service_available() run only when the core asks this backend (in
// priority order, or when the user named it with --backend). `ductor plugins`
// runs all three in a child process; ordinary commands run them in ductor's
// own process, and a plugin that crashes there or does not answer within 5 s
// ends the command with a message naming it.

#include <ductor/sdk/abi.hpp>
#include <ductor/sdk/backend.hpp>
#include <ductor/sdk/host.hpp>

#include <boost/dll/alias.hpp>

#include <memory>

namespace ductor::sdk {
// The factory's C++ signature, as the core looks it up.
using BackendFactory = std::unique_ptr<Backend>(Host&);
}  // namespace ductor::sdk

#define DUCTOR_PLUGIN(BackendClass, Name, Version, Priority, Summary)                                   \
    extern "C" DUCTOR_PLUGIN_EXPORT const DuctorPluginInfo* ductor_plugin_info(void) {                  \
        static const DuctorPluginInfo info = {DUCTOR_ABI_MAJOR, DUCTOR_ABI_MINOR, DUCTOR_CXX_ABI, Name, \
                                              Version,          Priority,         Summary};             \
        return &info;                                                                                   \
    }                                                                                                   \
    namespace ductor_plugin_detail {                                                                    \
    inline std::unique_ptr<::ductor::sdk::Backend> create_backend(::ductor::sdk::Host& host) {          \
        return std::make_unique<BackendClass>(host);                                                    \
    }                                                                                                   \
    }                                                                                                   \
    BOOST_DLL_ALIAS(ductor_plugin_detail::create_backend, ductor_create_backend)
