#pragma once
// Helpers shared by backends for what every service gets: its PATH, its
// environment, its description (part of the SDK library, `ductor::sdk`).
// Pure functions over the Host; no side effects.

#include <ductor/sdk/host.hpp>
#include <ductor/sdk/spec.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::sdk {

// A path as UTF-8 text (path::string() may use a narrow code page on Windows).
std::string utf8(const std::filesystem::path& path);

// The path that UTF-8 `text` names, on every platform (a path made from a
// narrow std::string reads it in the ANSI code page on Windows). The inverse of utf8().
std::filesystem::path path_from_utf8(std::string_view text);

// The absolute folders of a PATH-style list (SDK 2.2), in order, as UTF-8
// text: `value` split at `separator` (':' on POSIX, ';' on Windows), empty
// and relative entries dropped (they would name the current folder, which is
// never searched).
std::vector<std::string> absolute_path_entries(std::string_view value, char separator);

// Orders NVM-style version folder names ("v22.1.0", "v9.11.2") newest first by
// number, not by string; names that are not versions come last, by name.
std::vector<std::string> sort_versions_newest_first(std::vector<std::string> names);

// The node bin folders NVM installed ($NVM_DIR or ~/.nvm, versions/node/*/bin),
// newest version first. Only folders that exist are returned.
std::vector<std::filesystem::path> nvm_bin_directories(const Host& host);

// The PATH a service gets: ~/.local/bin, the NVM bin folders (newest first),
// then `system_dirs` in order; duplicates removed, first occurrence kept.
std::string service_path(const Host& host, const std::vector<std::string>& system_dirs);

// The description a backend writes for `spec` (SDK 2.2): spec.description,
// or "ductor service <name>" when it is empty.
std::string description_of(const ServiceSpec& spec);

// DUCTOR_HOME=<ductor home> when the user moved the ductor home ($DUCTOR_HOME
// set and not empty), for a runner the manager starts without the user's
// environment; nullopt when the runner finds the default home by itself (SDK 2.2).
std::optional<EnvVar> moved_ductor_home(const Host& host);

// The environment a service gets: `defaults` in order, each replaced in place
// by the user's variable of the same key, then the user's other variables in
// their order.
std::vector<EnvVar> merge_environment(std::vector<EnvVar> defaults, const std::vector<EnvVar>& user);

}  // namespace ductor::sdk
