#pragma once
// Who owns a file system entry, its mode, and whose files this process
// trusts: the facts behind the plugin trust rules (plugin/trust.hpp).
// POSIX: lstat(2) and the effective user id. Windows: ownership lives in ACLs,
// which are not modelled here, so owner and mode are unknown there.

#include <ductor/platform/files.hpp>
#include <ductor/sdk/expected.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace ductor::platform {

struct EntryFacts {
    std::filesystem::file_type type = std::filesystem::file_type::none;  // not_found when it does not exist
    std::optional<std::uint32_t> owner;  // numeric user id; nullopt where unknown (Windows)
    std::optional<std::uint32_t> mode;   // permission bits with setuid, setgid and sticky (07777); nullopt on Windows
    // A regular file's file_fingerprint() (files.hpp); nullopt otherwise and on Windows.
    std::optional<Fingerprint> fingerprint;
};

// Facts about `path` itself: a final symlink is reported, not followed. The
// error says why it could not be examined, e.g. "Permission denied". Never throws.
sdk::Expected<EntryFacts> examine_entry(const std::filesystem::path& path);
// The same for a path's native text, without making the path.
sdk::Expected<EntryFacts> examine_entry(const std::filesystem::path::string_type& path);

// The user this process runs as (POSIX: the effective user id); nullopt on Windows.
std::optional<std::uint32_t> effective_user_id();

// For messages: "uid 1000 (alice)", "uid 0 (root)", "uid 61234 (no such user)".
std::string describe_user(std::uint32_t uid);

}  // namespace ductor::platform
