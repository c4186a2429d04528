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
    std::string text;
    text.reserve(7 * 21);
    auto put = [&text](auto number, char after) {
        char digits[24];
        text.append(digits, std::to_chars(digits, digits + sizeof digits, number).ptr);
        if (after != 0) text += after;
    };
    put(st.st_dev, ':');
    put(st.st_ino, ':');
    put(st.st_size, ':');
    put(modified.tv_sec, '.');
    put(modified.tv_nsec, ':');
    put(changed.tv_sec, '.');
    put(changed.tv_nsec, 0);
    return text;
}

}  // namespace ductor::platform::posix
