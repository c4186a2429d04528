#pragma once
// Helpers shared by backends that build a PATH for the service (part of the
// SDK library, `ductor::sdk`). Pure functions over the Host; no side effects.

#include <ductor/sdk/host.hpp>
#include <ductor/sdk/spec.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::sdk {

// A path as UTF-8 text (path::string() may use a narrow code page on Windows).
std::string utf8(const std::filesystem::path& path);

// The path that UTF-8 `text` names, on every platform (a path made from a
// narrow std::string reads it in the ANSI code page on Windows). The inverse of utf8().
std::filesystem::path path_from_utf8(std::string_view text);

// Orders NVM-style version folder names ("v22.1.0", "v9.11.2") newest first by
// number, not by string; names that are not versions come last, by name.
std::vector<std::string> sort_versions_newest_first(std::vector<std::string> names);

// The node bin folders NVM installed ($NVM_DIR or ~/.nvm, versions/node/*/bin),
// newest version first. Only folders that exist are returned.
std::vector<std::filesystem::path> nvm_bin_directories(const Host& host);

// The PATH a service gets: ~/.local/bin, the NVM bin folders (newest first),
// then `system_dirs` in order; duplicates removed, first occurrence kept.
std::string service_path(const Host& host, const std::vector<std::string>& system_dirs);

// The environment a service gets: `defaults` in order, each replaced in place
// by the user's variable of the same key, then the user's other variables in
// their order.
std::vector<EnvVar> merge_environment(std::vector<EnvVar> defaults, const std::vector<EnvVar>& user);

}  // namespace ductor::sdk
