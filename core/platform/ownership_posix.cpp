// POSIX implementation of <ductor/platform/ownership.hpp>.
#include <ductor/platform/ownership.hpp>

#include "fingerprint_posix.hpp"

#include <cerrno>
#include <cstring>
#include <vector>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ductor::platform {
namespace {

std::filesystem::file_type type_of(mode_t mode) {
    using std::filesystem::file_type;
    if (S_ISREG(mode)) return file_type::regular;
    if (S_ISDIR(mode)) return file_type::directory;
    if (S_ISLNK(mode)) return file_type::symlink;
    if (S_ISFIFO(mode)) return file_type::fifo;
    if (S_ISSOCK(mode)) return file_type::socket;
    if (S_ISBLK(mode)) return file_type::block;
    if (S_ISCHR(mode)) return file_type::character;
    return file_type::unknown;
}

}  // namespace

sdk::Expected<EntryFacts> examine_entry(const std::filesystem::path& path) { return examine_entry(path.native()); }

sdk::Expected<EntryFacts> examine_entry(const std::filesystem::path::string_type& path) {
    EntryFacts facts;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR) return sdk::unexpected(std::string(std::strerror(errno)));
        facts.type = std::filesystem::file_type::not_found;
        return facts;
    }
    facts.type = type_of(st.st_mode);
    facts.owner = static_cast<std::uint32_t>(st.st_uid);
    facts.mode = static_cast<std::uint32_t>(st.st_mode & 07777);
    if (S_ISREG(st.st_mode)) facts.fingerprint = posix::fingerprint_of(st);
    return facts;
}

std::optional<std::uint32_t> effective_user_id() { return static_cast<std::uint32_t>(::geteuid()); }

std::string describe_user(std::uint32_t uid) {
    std::string text = "uid " + std::to_string(uid);
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd* found = nullptr;
    if (::getpwuid_r(static_cast<uid_t>(uid), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
        found->pw_name != nullptr) {
        return text + " (" + found->pw_name + ")";
    }
    return text + " (no such user)";
}

}  // namespace ductor::platform
