#pragma once
// file_fingerprint() (<ductor/platform/files.hpp>) of what stat or lstat
// returned, shared by the files and ownership code (private to the platform
// layer).

#include <ductor/platform/files.hpp>

#include <cstdint>

#include <sys/stat.h>

namespace ductor::platform::posix {

inline Fingerprint fingerprint_of(const struct stat& st) {
#if defined(__APPLE__)
    const auto& modified = st.st_mtimespec;
    const auto& changed = st.st_ctimespec;
#else
    const auto& modified = st.st_mtim;
    const auto& changed = st.st_ctim;
#endif
    return {static_cast<std::uint64_t>(st.st_dev),       static_cast<std::uint64_t>(st.st_ino),
            static_cast<std::int64_t>(st.st_size),       static_cast<std::int64_t>(modified.tv_sec),
            static_cast<std::int64_t>(modified.tv_nsec), static_cast<std::int64_t>(changed.tv_sec),
            static_cast<std::int64_t>(changed.tv_nsec)};
}

}  // namespace ductor::platform::posix
