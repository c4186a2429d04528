#pragma once
// The C-linkage part of the plugin contract: the only symbol the core reads
// before it touches any C++ symbol of a plugin.
//
// Every plugin exports `ductor_plugin_info()` (the DUCTOR_PLUGIN macro in
// <ductor/sdk/plugin.hpp> writes it). The core calls it first and refuses the
// plugin, without resolving anything else, when
//   - abi_major differs from the core's DUCTOR_ABI_MAJOR, or
//   - abi_minor is newer than the core's DUCTOR_ABI_MINOR.
// Minor versions add to the contract without changing what exists (new Host
// methods go at the end); a major version changes it.
//   1.1  Host::running_runner, Host::stop_runner
//   1.2  runner::Invocation and runner::PidRecord gain the fields of a runner
//        that is its program's only supervisor (--detach, backoff, ...)
// C++ types (std::string, std::vector, virtual classes) cross the boundary
// after this check, so a plugin must also be built with the same compiler
// family and standard library as the core.

#include <stdint.h>

#define DUCTOR_ABI_MAJOR 1
#define DUCTOR_ABI_MINOR 2

#if defined(_WIN32) || defined(__CYGWIN__)
#define DUCTOR_PLUGIN_EXPORT __declspec(dllexport)
#else
#define DUCTOR_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

extern "C" {

// Plain data describing a plugin. All strings are static, NUL-terminated,
// UTF-8 and owned by the plugin; the core copies them at once.
struct DuctorPluginInfo {
    uint32_t abi_major;   // DUCTOR_ABI_MAJOR the plugin was built against
    uint32_t abi_minor;   // DUCTOR_ABI_MINOR the plugin was built against
    const char* name;     // backend name, e.g. "systemd"; [a-z0-9_-]+
    const char* version;  // the plugin's own version, e.g. "1.2.0"
    int32_t priority;     // higher wins among available backends
    const char* summary;  // one line for `ductor plugins`
};

// Signature of the exported entry point `ductor_plugin_info`.
typedef const DuctorPluginInfo* (*DuctorPluginInfoFn)(void);
}

namespace ductor::sdk {
// Name of the C entry point every plugin exports.
inline constexpr const char* k_info_symbol = "ductor_plugin_info";
// Name of the Boost.DLL alias of the C++ factory (see plugin.hpp).
inline constexpr const char* k_factory_symbol = "ductor_create_backend";
}  // namespace ductor::sdk
