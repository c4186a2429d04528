// POSIX implementation of <ductor/platform/files.hpp>.
#include <ductor/platform/files.hpp>

#include "fingerprint_posix.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <numeric>
#include <vector>

#include <dirent.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ductor::platform {
namespace {

std::string errno_text(const std::string& what, const std::filesystem::path& path) {
    return what + " " + path.string() + ": " + std::strerror(errno);
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void fsync_directory(const std::filesystem::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;  // best effort: the rename already happened
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

sdk::Expected<void> write_file_atomic(const std::filesystem::path& path, std::string_view content,
                                      std::filesystem::perms mode) {
    const auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    if (auto made = platform::create_directories(dir); !made) return made;
    remove_stale_temps(path);
    std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) return sdk::unexpected(errno_text("cannot create a temp file in", dir));
    const std::filesystem::path tmp = name.data();
    std::string failure;
    if (!write_all(fd, content))
        failure = errno_text("cannot write", tmp);
    else if (::fchmod(fd, static_cast<mode_t>(mode)) != 0)
        failure = errno_text("cannot set the mode of", tmp);
    else if (::fsync(fd) != 0)
        failure = errno_text("cannot flush", tmp);
    if (::close(fd) != 0 && failure.empty()) failure = errno_text("cannot close", tmp);
    if (failure.empty() && ::rename(tmp.c_str(), path.c_str()) != 0) failure = errno_text("cannot replace", path);
    if (!failure.empty()) {
        ::unlink(tmp.c_str());
        return sdk::unexpected(std::move(failure));
    }
    fsync_directory(dir);
    return {};
}

sdk::Expected<void> remove_file(const std::filesystem::path& path) {
    if (::unlink(path.c_str()) == 0 || errno == ENOENT) return {};
    return sdk::unexpected(errno_text("cannot remove", path));
}

sdk::Expected<std::unique_ptr<AppendFile>> AppendFile::open(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return sdk::unexpected(errno_text("cannot open", path));
    struct stat st {};
    std::unique_ptr<AppendFile> file(new AppendFile());
    file->m_path = path;
    file->m_handle = fd;
    file->m_size = ::fstat(fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
    return file;
}

AppendFile::~AppendFile() {
    if (m_handle >= 0) ::close(static_cast<int>(m_handle));
}

sdk::Expected<void> AppendFile::write(std::string_view bytes) {
    if (write_all(static_cast<int>(m_handle), bytes)) {
        m_size += bytes.size();
        return {};
    }
    auto failure = errno_text("cannot write", m_path);
    cut_back(m_size);
    return sdk::unexpected(std::move(failure));
}

void AppendFile::cut_back(std::uint64_t size) {
    int fd = static_cast<int>(m_handle);
    while (::ftruncate(fd, static_cast<off_t>(size)) != 0 && errno == EINTR) {
    }
    struct stat st {};
    m_size = ::fstat(fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : size;
}

std::optional<FileId> file_id(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return FileId{static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino)};
}

std::optional<Fingerprint> file_fingerprint(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return posix::fingerprint_of(st);
}

namespace {

// What is left to read from `fd`; nullopt on a read error (a folder: EISDIR) or without memory.
std::optional<std::string> read_all(int fd, const struct stat& st) noexcept {
    try {
        // A regular file is read whole at once, with a byte of room to see its end in the same call.
        const auto known = S_ISREG(st.st_mode) && st.st_size > 0 ? static_cast<std::size_t>(st.st_size) + 1 : 0;
        std::string text(std::max<std::size_t>(known, 4096), '\0');
        std::size_t size = 0;
        while (true) {
            if (size == text.size()) text.resize(text.size() * 2);
            const auto n = ::read(fd, text.data() + size, text.size() - size);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return std::nullopt;
            if (n == 0) break;
            size += static_cast<std::size_t>(n);
        }
        text.resize(size);
        return text;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

int open_for_reading(const std::filesystem::path& path, int flags) {
    int fd = -1;
    do fd = ::open(path.c_str(), flags | O_RDONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    return fd;
}

}  // namespace

// open, fstat and read(2) straight into the string: every command reads the plugin info cache,
// and the service commands the install record, which an std::ifstream copied through a stream
// buffer (about 90,000 instructions for the cache alone).
std::optional<std::string> read_file(const std::filesystem::path& path) {
    // O_NONBLOCK only so that opening a named pipe does not wait for a writer. A file under a
    // lease that another process holds refuses such an open (EWOULDBLOCK): that open waits for
    // the lease to be broken, as an open always did.
    int fd = open_for_reading(path, O_NONBLOCK);
    if (fd < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) fd = open_for_reading(path, 0);
    if (fd < 0) return std::nullopt;
    std::optional<std::string> text;
    struct stat st {};
    if (::fstat(fd, &st) == 0) {
        // Reads wait as they always did for what is not a regular file: a pipe's writers (a
        // named pipe nobody had opened reads as empty), a terminal's Ctrl-D. The flags are put
        // back: a descriptor from /dev/fd may share them with its other holders.
        if (S_ISREG(st.st_mode)) {
            text = read_all(fd, st);
        } else if (const int flags = ::fcntl(fd, F_GETFL);
                   flags >= 0 && ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0) {
            text = read_all(fd, st);
            (void)::fcntl(fd, F_SETFL, flags);
        }
    }
    ::close(fd);
    return text;
}

std::vector<SuffixedFile> files_with_suffix(const std::filesystem::path& dir, std::string_view suffix) {
    std::string prefix = dir.native();
    if (prefix.empty() || prefix.back() != '/') prefix += '/';
    std::vector<SuffixedFile> files;
    std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(dir.c_str()), ::closedir);
    if (!listing) return {};
    DIR* folder = listing.get();
    while (const dirent* entry = ::readdir(folder)) {
        const std::string_view name(entry->d_name);
        if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix) continue;
        bool is_folder = entry->d_type == DT_DIR;
        if (entry->d_type == DT_LNK || entry->d_type == DT_UNKNOWN) {  // a symlink's target is examined
            struct stat st {};
            is_folder = ::fstatat(::dirfd(folder), entry->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode);
        }
        if (!is_folder)
            files.push_back(
                {prefix + entry->d_name, std::string(name.substr(0, name.size() - suffix.size())), prefix.size()});
    }
    // Every path is the same folder's text and a name: they sort as the names do. The
    // indexes are sorted, and each file is moved once, not swapped about by the sort.
    std::vector<std::size_t> order(files.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&files](std::size_t a, std::size_t b) { return files[a].path < files[b].path; });
    std::vector<SuffixedFile> sorted;
    sorted.reserve(files.size());
    for (const auto i : order) sorted.push_back(std::move(files[i]));
    return sorted;
}

bool can_create_files_in(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_directory(path, ec) && ::access(path.c_str(), W_OK | X_OK) == 0;
}

}  // namespace ductor::platform
