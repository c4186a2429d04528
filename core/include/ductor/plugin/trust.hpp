#pragma once
// Which files ductor loads at all. Loading a library runs its code (static
// constructors), so these rules are checked before it is loaded, like ssh's
// StrictModes:
//   - the file is a regular file: no FIFO, socket, device or folder; a
//     symlink is judged by its target;
//   - the file, every symlink on the way to it and every folder in which a
//     part of its path is looked up are owned by root or by the user ductor
//     runs as (running as root: by root only, so root never loads a plugin
//     from a user's --plugin-dir);
//   - the file and the folder that holds it (and, for a symlink, the folder
//     that holds the symlink) are not writable by group or others, sticky
//     bit or not: whoever may write there may add or replace a plugin;
//   - every other folder on the way (/, /usr, /tmp, ...) is not writable by
//     group or others unless it is sticky (there nobody may rename or remove
//     what another user owns, and the owner of what follows is checked).
// Windows: only the first rule; owners and modes are ACLs there and are not
// checked (docs/plugins.md says so).

#include <ductor/platform/files.hpp>
#include <ductor/sdk/expected.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ductor::plugin {

// Whether `file` may be loaded by a process of user `user`; why not otherwise
// ("not trusted: the folder /tmp/p is writable by others (mode 0777)").
// `user` nullopt: no owner or mode rules (Windows). Never throws.
sdk::Expected<void> check_trusted(const std::filesystem::path& file, std::optional<std::uint32_t> user);

// The same for the user this process runs as.
sdk::Expected<void> check_trusted(const std::filesystem::path& file);

// What the check saw of a trusted file: its platform::file_fingerprint() as
// examined (the target of a symlink); nullopt where there is none (Windows).
struct Trusted {
    std::optional<platform::Fingerprint> fingerprint;
};

// check_trusted() for each of `files` (paths' native texts, none null), in order; the
// folders and symlinks on the way are examined once for all (plugins share their
// folders). Never throws.
std::vector<sdk::Expected<Trusted>> check_all_trusted(
    const std::vector<const std::filesystem::path::string_type*>& files);

}  // namespace ductor::plugin
