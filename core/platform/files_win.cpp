// Windows implementation of the platform-specific part of <ductor/platform/files.hpp>.
#include <ductor/platform/files.hpp>

#include "win_text.hpp"

#include <ductor/sdk/paths.hpp>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <string>

#include <windows.h>

namespace ductor::platform {
namespace {

std::string failure_text(const std::string& what, const std::filesystem::path& path, DWORD code) {
    return what + " " + sdk::utf8(path) + ": " + win::last_error_text(code);
}

// Creates a new, unique temp file beside `path`; INVALID_HANDLE_VALUE on failure.
HANDLE create_temp_beside(const std::filesystem::path& path, std::filesystem::path& tmp) {
    static std::atomic<unsigned> counter{0};
    for (int attempt = 0; attempt < 100; ++attempt) {
        tmp = path.parent_path() / (L"." + path.filename().wstring() + L".tmp-" +
                                    std::to_wstring(::GetCurrentProcessId()) + L"-" + std::to_wstring(counter++));
        HANDLE file = ::CreateFileW(tmp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
        if (file != INVALID_HANDLE_VALUE || ::GetLastError() != ERROR_FILE_EXISTS) return file;
    }
    return INVALID_HANDLE_VALUE;
}

}  // namespace

sdk::Expected<void> write_file_atomic(const std::filesystem::path& path, std::string_view content,
                                      std::filesystem::perms mode) {
    const auto dir = path.parent_path().empty() ? std::filesystem::path(L".") : path.parent_path();
    if (auto made = platform::create_directories(dir); !made) return made;
    remove_stale_temps(path);
    std::filesystem::path tmp;
    HANDLE file = create_temp_beside(path, tmp);
    if (file == INVALID_HANDLE_VALUE)
        return sdk::unexpected(failure_text("cannot create a temp file in", dir, ::GetLastError()));
    std::string failure;
    DWORD written = 0;
    if (!::WriteFile(file, content.data(), static_cast<DWORD>(content.size()), &written, nullptr) ||
        written != content.size()) {
        failure = failure_text("cannot write", tmp, ::GetLastError());
    } else if (!::FlushFileBuffers(file)) {
        failure = failure_text("cannot flush", tmp, ::GetLastError());
    }
    ::CloseHandle(file);
    if (failure.empty()) {
        std::error_code ec;
        std::filesystem::permissions(tmp, mode, ec);  // Windows keeps only the read-only bit
        if (!::MoveFileExW(tmp.c_str(), path.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
            failure = failure_text("cannot replace", path, ::GetLastError());
        }
    }
    if (!failure.empty()) {
        ::DeleteFileW(tmp.c_str());
        return sdk::unexpected(std::move(failure));
    }
    return {};
}

sdk::Expected<void> remove_file(const std::filesystem::path& path) {
    if (::DeleteFileW(path.c_str())) return {};
    DWORD code = ::GetLastError();
    if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND) return {};
    return sdk::unexpected(failure_text("cannot remove", path, code));
}

sdk::Expected<std::unique_ptr<AppendFile>> AppendFile::open(const std::filesystem::path& path) {
    // Not inheritable (no SECURITY_ATTRIBUTES); FILE_SHARE_DELETE lets rotation rename it while open.
    HANDLE handle =
        ::CreateFileW(path.c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                      OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (handle == INVALID_HANDLE_VALUE) return sdk::unexpected(failure_text("cannot open", path, ::GetLastError()));
    LARGE_INTEGER size{};
    std::unique_ptr<AppendFile> file(new AppendFile());
    file->m_path = path;
    file->m_handle = reinterpret_cast<std::intptr_t>(handle);
    file->m_size = ::GetFileSizeEx(handle, &size) ? static_cast<std::uint64_t>(size.QuadPart) : 0;
    return file;
}

AppendFile::~AppendFile() {
    if (m_handle != -1) ::CloseHandle(reinterpret_cast<HANDLE>(m_handle));
}

sdk::Expected<void> AppendFile::write(std::string_view bytes) {
    auto handle = reinterpret_cast<HANDLE>(m_handle);
    const std::uint64_t before = m_size;
    while (!bytes.empty()) {
        DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(bytes.size(), 1U << 30U));
        DWORD written = 0;
        if (!::WriteFile(handle, bytes.data(), chunk, &written, nullptr) || written == 0) {
            auto failure = failure_text("cannot write", m_path, ::GetLastError());
            cut_back(before);
            return sdk::unexpected(std::move(failure));
        }
        m_size += written;
        bytes.remove_prefix(written);
    }
    return {};
}

void AppendFile::cut_back(std::uint64_t size) {
    // The append-only handle cannot set the end of the file; a second handle
    // to the same file (even when it was renamed meanwhile) can.
    auto handle = reinterpret_cast<HANDLE>(m_handle);
    HANDLE writable = ::ReOpenFile(handle, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, 0);
    if (writable != INVALID_HANDLE_VALUE) {
        LARGE_INTEGER end{};
        end.QuadPart = static_cast<LONGLONG>(size);
        if (::SetFilePointerEx(writable, end, nullptr, FILE_BEGIN)) ::SetEndOfFile(writable);
        ::CloseHandle(writable);
    }
    LARGE_INTEGER now{};
    m_size = ::GetFileSizeEx(handle, &now) ? static_cast<std::uint64_t>(now.QuadPart) : size;
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
    try {
        std::ifstream in(path, std::ios::binary);
        if (!in) return std::nullopt;
        std::ostringstream buffer;
        buffer << in.rdbuf();
        if (in.bad()) return std::nullopt;
        return std::move(buffer).str();
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<Fingerprint> file_fingerprint(const std::filesystem::path&) { return std::nullopt; }

std::optional<FileId> file_id(const std::filesystem::path& path) {
    HANDLE file = ::CreateFileW(path.c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
    if (file == INVALID_HANDLE_VALUE) return std::nullopt;
    BY_HANDLE_FILE_INFORMATION info{};
    bool ok = ::GetFileInformationByHandle(file, &info) != 0;
    ::CloseHandle(file);
    if (!ok) return std::nullopt;
    return FileId{info.dwVolumeSerialNumber,
                  (static_cast<unsigned long long>(info.nFileIndexHigh) << 32) | info.nFileIndexLow};
}

std::vector<SuffixedFile> files_with_suffix(const std::filesystem::path& dir, std::string_view suffix) {
    std::vector<SuffixedFile> files;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& file = it->path();
        if (file.extension() != suffix) continue;
        std::error_code type_ec;
        if (it->is_directory(type_ec)) continue;  // a symlink's target is examined; other types are not
        files.push_back({file.native(), file.stem().string(), file.native().size() - file.filename().native().size()});
    }
    // Every entry is dir / name: the whole paths sort as their names do.
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return files;
}

bool can_create_files_in(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_directory(path, ec);
}

}  // namespace ductor::platform
