#pragma once
// The C-linkage part of the plugin contract: what the core reads from a plugin
// before it touches any of the plugin's C++ symbols.
//
// Every plugin exports `ductor_plugin_info()` (the DUCTOR_PLUGIN macro in
// <ductor/sdk/plugin.hpp> writes it). Loading a library runs its static
// constructors, so the core first judges the file itself (owner, mode,
// folders; see docs/plugins.md) and only then loads it. Right
// after loading it calls ductor_plugin_info() and refuses the plugin, without
// resolving any other symbol, when
//   - abi_major differs from the core's DUCTOR_ABI_MAJOR,
//   - abi_minor is newer than the core's DUCTOR_ABI_MINOR, or
//   - cxx_abi differs from the core's DUCTOR_CXX_ABI: C++ types (std::string,
//     std::vector, classes with virtual functions) cross the boundary, so both
//     sides must use the same standard library with the same ABI settings.
// A core of ABI X.Y loads plugins of ABI X.0 up to X.Y.
//
// What a version may change:
//   - abi_major and abi_minor are the first two fields of DuctorPluginInfo in
//     every version, so any core can read them from any plugin.
//   - A minor version only adds what the older side never touches: virtual
//     methods at the end of Host (the core implements all of them; an older
//     plugin never calls the new ones), new SDK types, functions and
//     constants, and fields at the end of DuctorPluginInfo that the core reads
//     only when abi_minor says they are there.
//   - Everything else needs a major version: a new virtual method in Backend
//     (the core would call past the end of an older plugin's table), any
//     change to an existing virtual method, a field added to or changed in a
//     struct or class that crosses the boundary (ServiceSpec, Result,
//     ServiceStatus, runner::Invocation, ...: the two sides would disagree on
//     its layout, whatever its position), and any change of meaning.
// History:
//   1.1  Host::running_runner, Host::stop_runner
//   1.2  runner::Invocation and runner::PidRecord gain the fields of a runner
//        that is its program's only supervisor (--detach, backoff, ...);
//        ServiceSpec gains `overwrite` (at its end); the status detail key
//        k_problem_detail marks a disagreement with the manager
//   2.0  DuctorPluginInfo carries cxx_abi, the standard library and ABI the
//        plugin was built with; 1.x plugins cannot state it and are refused.
//        By the rules above, 1.2's new struct fields needed a major version
//        too: 2.0 is that version.
//   2.1  Host::create_symlink, Host::remove_all; the SDK library gains
//        shell_quote and shell_join (<ductor/sdk/shell.hpp>); the testing
//        library ductor::sdk_testing (a fake Host and the contract checks).
//        Backend::is_service_running is no longer pure: its default asks
//        service_status() (the same slot in the table, so 2.0 plugins,
//        which all override it, are unaffected). Two optional interfaces a
//        backend may implement beside Backend, found by the core with
//        dynamic_cast (so no Backend virtual is added): sdk::LogWriter
//        (<ductor/sdk/log_writer.hpp>, the backend writes the logs itself) and
//        sdk::InstalledQuery (<ductor/sdk/installed_query.hpp>, "installed?"
//        answered yes, no or unknown with the reason).
//   2.2  SDK helpers only (no type that crosses the boundary changes):
//        <ductor/sdk/text.hpp> (UTF-8 decoding, XML characters and
//        references, files of one argument a line, ascii_lowercase),
//        <ductor/sdk/runner_logs.hpp> (service_logs() from the runner's files),
//        <ductor/sdk/windows_command_line.hpp> (CommandLineToArgvW quoting),
//        <ductor/sdk/expected.hpp> (Expected<T>: the error idiom behind the
//        boundary), absolute_path_entries(), moved_ductor_home() and
//        description_of() in <ductor/sdk/paths.hpp>.
//   3.0  ServiceSpec loses `linger` (and sdk::Linger goes): what only
//        systemd acts on leaves the generic spec. A backend whose manager
//        ends a user's services at logout implements the optional interface
//        sdk::LingerControl (<ductor/sdk/linger_control.hpp>), and the core
//        reports linger and enables it (`install --enable-linger`) through
//        it; install_service() and render() no longer deal with it.
//        runner::Invocation gains `home` (`ductor run --home`), so that a
//        manager that passes the runner no environment (Task Scheduler)
//        still runs it in the ductor home the user moved.
//        <ductor/sdk/expected.hpp> gains to_result(), an Expected<void> as
//        the boundary's Result (a header-only helper).

#include <stdint.h>

#ifdef __cplusplus
#include <cstddef>  // defines the standard library's identification macros used below
#endif

#define DUCTOR_ABI_MAJOR 3
#define DUCTOR_ABI_MINOR 0

// DUCTOR_CXX_ABI: the standard library and the settings that change its ABI,
// as seen by the translation unit that expands it (the plugin's, through
// DUCTOR_PLUGIN; the core's, when it compares).
#define DUCTOR_ABI_STR2_(x) #x
#define DUCTOR_ABI_STR_(x) DUCTOR_ABI_STR2_(x)
#if defined(_LIBCPP_VERSION)
#define DUCTOR_CXX_STDLIB_ "libc++, ABI version " DUCTOR_ABI_STR_(_LIBCPP_ABI_VERSION)
#elif defined(__GLIBCXX__)
#if _GLIBCXX_USE_CXX11_ABI
#define DUCTOR_CXX_STDLIB_ "libstdc++, C++11 ABI"
#else
#define DUCTOR_CXX_STDLIB_ "libstdc++, old string ABI (_GLIBCXX_USE_CXX11_ABI=0)"
#endif
#elif defined(_MSVC_STL_VERSION) || defined(_CPPLIB_VER)
#define DUCTOR_CXX_STDLIB_ "MSVC STL, _ITERATOR_DEBUG_LEVEL=" DUCTOR_ABI_STR_(_ITERATOR_DEBUG_LEVEL)
#else
#define DUCTOR_CXX_STDLIB_ "unknown standard library"
#endif
#if defined(_GLIBCXX_DEBUG)
#define DUCTOR_CXX_DEBUG_ ", debug mode (_GLIBCXX_DEBUG)"
#else
#define DUCTOR_CXX_DEBUG_ ""
#endif
#if defined(_MSC_VER) && !defined(__MINGW32__)
#if defined(_DLL) && defined(_DEBUG)
#define DUCTOR_CXX_RUNTIME_ ", /MDd runtime"
#elif defined(_DLL)
#define DUCTOR_CXX_RUNTIME_ ", /MD runtime"
#elif defined(_DEBUG)
#define DUCTOR_CXX_RUNTIME_ ", /MTd runtime"
#else
#define DUCTOR_CXX_RUNTIME_ ", /MT runtime"
#endif
#elif defined(__MINGW32__)
#if defined(_UCRT)
#define DUCTOR_CXX_CRT_ ", mingw-w64 on UCRT"
#else
#define DUCTOR_CXX_CRT_ ", mingw-w64 on MSVCRT"
#endif
#if defined(__SEH__)
#define DUCTOR_CXX_RUNTIME_ DUCTOR_CXX_CRT_ ", SEH exceptions"
#elif defined(__USING_SJLJ_EXCEPTIONS__)
#define DUCTOR_CXX_RUNTIME_ DUCTOR_CXX_CRT_ ", SJLJ exceptions"
#else
#define DUCTOR_CXX_RUNTIME_ DUCTOR_CXX_CRT_ ", DWARF exceptions"
#endif
#else
#define DUCTOR_CXX_RUNTIME_ ""
#endif
#define DUCTOR_CXX_ABI DUCTOR_CXX_STDLIB_ DUCTOR_CXX_DEBUG_ DUCTOR_CXX_RUNTIME_

#if defined(_WIN32) || defined(__CYGWIN__)
#define DUCTOR_PLUGIN_EXPORT __declspec(dllexport)
#else
#define DUCTOR_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

extern "C" {

// Plain data describing a plugin. All strings are static, NUL-terminated,
// UTF-8 and owned by the plugin; the core copies them at once.
struct DuctorPluginInfo {
    uint32_t abi_major;   // DUCTOR_ABI_MAJOR the plugin was built against (always the first field)
    uint32_t abi_minor;   // DUCTOR_ABI_MINOR the plugin was built against (always the second field)
    const char* cxx_abi;  // DUCTOR_CXX_ABI as the plugin saw it (since 2.0)
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
