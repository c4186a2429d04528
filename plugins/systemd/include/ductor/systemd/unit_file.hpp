#pragma once
// The systemd user unit ductor writes for a service: built by pure functions
// from a spec, so the same text is installed, previewed and tested.

#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/spec.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::systemd {

// The system folders a service's PATH ends with, in order.
inline const std::vector<std::string> k_system_path_dirs = {"/usr/local/bin", "/usr/bin", "/bin"};

// What the unit needs besides the spec, looked up by the caller.
struct UnitContext {
    std::string path_value;      // the PATH the service gets
    std::filesystem::path home;  // the user's home, for HOME=
};

// The first line of every unit ductor writes: how install recognises its own.
inline constexpr std::string_view k_unit_marker = "# Written by ductor;";
// The unit file's mode.
inline constexpr auto k_unit_mode = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                    std::filesystem::perms::group_read | std::filesystem::perms::others_read;

// systemd's LONG_LINE_MAX: a unit line this long or longer is not loaded.
inline constexpr std::size_t k_longest_unit_line = 1024 * 1024;

// "<name>.service".
std::string unit_name(const sdk::ServiceSpec& spec);

// The environment the service gets, in order: PATH, HOME, DUCTOR_SUPERVISOR=1,
// then the user's variables; a user variable named like a default replaces it
// in place.
std::vector<sdk::EnvVar> service_environment(const sdk::ServiceSpec& spec, const UnitContext& context);

// The complete unit file text, or why the spec cannot be rendered. Pure.
sdk::Expected<std::string> render_unit(const sdk::ServiceSpec& spec, const UnitContext& context);

}  // namespace ductor::systemd
