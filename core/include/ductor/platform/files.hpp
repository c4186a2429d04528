#pragma once
// File operations with the guarantees the SDK's Host promises (atomic writes,
// explicit modes, idempotent removal). Used by the real Host and by tests.

#include <ductor/sdk/expected.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::platform {

// Writes `content` to `path` atomically: a temp file in the same folder,
// fsync, rename over the target, fsync of the folder. Missing parent folders
// are created (0755). On any failure the target is untouched and the temp file
// removed. Temp files of this path that a killed writer left behind
// (".<name>.tmp-*") are removed first: writers of one path take turns (the
// service lock), so such a file is never another writer's. Never throws.
sdk::Expected<void> write_file_atomic(const std::filesystem::path& path, std::string_view content,
                                      std::filesystem::perms mode);

// Removes the temp files a killed write_file_atomic() of `path` left behind. Never throws.
void remove_stale_temps(const std::filesystem::path& path);

// Removes a file; a missing file is success. Never throws.
sdk::Expected<void> remove_file(const std::filesystem::path& path);

// Creates a folder and its parents; an existing folder is success. Never throws.
sdk::Expected<void> create_directories(const std::filesystem::path& path);

// The whole file, or nullopt when it cannot be read (a folder, too). A pipe is read to its
// writers' end; on POSIX a named pipe that nobody has opened for writing reads as empty instead
// of waiting for a writer. Never throws.
std::optional<std::string> read_file(const std::filesystem::path& path);

// Entries of a folder, full paths sorted by file name; empty on any error.
std::vector<std::filesystem::path> list_directory(const std::filesystem::path& path);

// A file of a folder, with its name less the suffix it was picked by.
struct SuffixedFile {
    std::filesystem::path::string_type path;  // folder / name, as text: no path made
    std::string stem;                         // the name without the suffix
    std::size_t name_at = 0;                  // where the name starts in `path`

    // The file's name (with the suffix), a view of `path`.
    std::basic_string_view<std::filesystem::path::value_type> name() const {
        return std::basic_string_view<std::filesystem::path::value_type>(path).substr(name_at);
    }
};

// The entries of folder `dir` named *`suffix` (a suffix that starts with its
// only dot, e.g. ".so": "a.so" and "..so" match, ".so" does not) that are not
// folders nor symlinks to folders, sorted by name; those read before an error.
// POSIX examines an entry only when the listing does not tell its type.
std::vector<SuffixedFile> files_with_suffix(const std::filesystem::path& dir, std::string_view suffix);

// Whether this process may create files in the existing folder `path`
// (POSIX: access(2) with W_OK|X_OK; Windows: it is a folder, whose read-only
// attribute Windows ignores). Creates nothing. Never throws.
bool can_create_files_in(const std::filesystem::path& path);

// Identity of a file (device + inode on POSIX), to notice that a path now
// names another file (log rotation). nullopt when it does not exist.
struct FileId {
    unsigned long long device = 0;
    unsigned long long inode = 0;
    friend bool operator==(const FileId&, const FileId&) = default;
};
std::optional<FileId> file_id(const std::filesystem::path& path);

// What changes whenever a file is replaced or modified (POSIX: device, inode,
// size, and modification and change times to the nanosecond; the change time
// cannot be set back by the file's owner). Numbers, compared as numbers: every
// command takes one per plugin file, and text is made only to be written.
struct Fingerprint {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t size = 0;
    std::int64_t modified_seconds = 0;
    std::int64_t modified_nanoseconds = 0;
    std::int64_t changed_seconds = 0;
    std::int64_t changed_nanoseconds = 0;
    friend bool operator==(const Fingerprint&, const Fingerprint&) = default;

    // "device:inode:size:mtime.ns:ctime.ns", every number as std::to_chars writes it.
    std::string text() const;
    // The fingerprint whose text() is exactly `text`; nullopt for any other text.
    static std::optional<Fingerprint> from_text(std::string_view text);
};

// The fingerprint of the file `path` names; nullopt when it cannot be examined,
// and on Windows, which has no change time.
std::optional<Fingerprint> file_fingerprint(const std::filesystem::path& path);

// A file opened for appending that child processes do not inherit
// (O_CLOEXEC on POSIX; a non-inheritable handle that allows renaming the file
// while it is open on Windows). For the runner's log.
class AppendFile {
public:
    // Opens or creates `path` (0644); the reason on failure.
    static sdk::Expected<std::unique_ptr<AppendFile>> open(const std::filesystem::path& path);
    ~AppendFile();
    AppendFile(const AppendFile&) = delete;
    AppendFile& operator=(const AppendFile&) = delete;

    // Appends all of `bytes` or none of them: after a failed or short write
    // (a full disk) the file is cut back to its size before the call, so no
    // reader ever sees a part of `bytes`. The reason on failure.
    sdk::Expected<void> write(std::string_view bytes);
    // The file's size when opened plus what was written since.
    std::uint64_t size() const { return m_size; }

private:
    AppendFile() = default;
    void cut_back(std::uint64_t size);  // best effort; m_size is the real size afterwards
    std::filesystem::path m_path;       // for messages
    std::intptr_t m_handle = -1;
    std::uint64_t m_size = 0;
};

}  // namespace ductor::platform
