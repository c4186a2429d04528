#pragma once
// The text of file_fingerprint() (<ductor/platform/files.hpp>) for what stat or
// lstat returned, shared by the files and ownership code (private to the
// platform layer).

#include <charconv>
#include <string>

#include <sys/stat.h>

namespace ductor::platform::posix {

// "dev:ino:size:mtime.ns:ctime.ns", formatted in place: every command takes one per plugin file.
inline std::string fingerprint_text(const struct stat& st) {
#if defined(__APPLE__)
    const auto& modified = st.st_mtimespec;
    const auto& changed = st.st_ctimespec;
#else
    const auto& modified = st.st_mtim;
    const auto& changed = st.st_ctim;
#endif
    char text[8 * 24];  // seven numbers of at most 20 characters, six separators
    char* at = text;
    char* const end = text + sizeof text;
    auto put = [&](auto number, char after) {
        at = std::to_chars(at, end - 1, number).ptr;  // an error leaves `at` at the end
        if (after != 0 && at < end) *at++ = after;
    };
    put(st.st_dev, ':');
    put(st.st_ino, ':');
    put(st.st_size, ':');
    put(modified.tv_sec, '.');
    put(modified.tv_nsec, ':');
    put(changed.tv_sec, '.');
    put(changed.tv_nsec, 0);
    return std::string(text, at);
}

}  // namespace ductor::platform::posix
