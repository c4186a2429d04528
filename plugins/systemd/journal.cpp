#include "journal.hpp"

#include <ctime>
#include <string_view>

namespace ductor::systemd {
namespace {

// One field of the current entry, without its "NAME=" prefix; empty when absent.
std::string field(const LibSystemd& lib, sd_journal* journal, std::string_view name) {
    const void* data = nullptr;
    std::size_t size = 0;
    const std::string key(name);
    if (lib.sd_journal_get_data(journal, key.c_str(), &data, &size) < 0 || size <= name.size()) return {};
    return std::string(static_cast<const char*>(data) + name.size() + 1, size - name.size() - 1);
}

std::string entry_line(const LibSystemd& lib, sd_journal* journal) {
    std::uint64_t usec = 0;
    char stamp[32] = "";
    if (lib.sd_journal_get_realtime_usec(journal, &usec) >= 0) {
        const auto seconds = static_cast<std::time_t>(usec / 1000000);
        std::tm local{};
        if (::localtime_r(&seconds, &local) != nullptr) std::strftime(stamp, sizeof stamp, "%b %d %H:%M:%S", &local);
    }
    auto ident = field(lib, journal, "SYSLOG_IDENTIFIER");
    if (ident.empty()) ident = field(lib, journal, "_COMM");
    auto pid = field(lib, journal, "_PID");
    if (pid.empty()) pid = field(lib, journal, "SYSLOG_PID");
    std::string line = stamp;
    line += " " + ident + (pid.empty() ? std::string() : "[" + pid + "]") + ": " + field(lib, journal, "MESSAGE");
    return line + "\n";
}

// The matches journalctl adds for a user unit: the unit's own output, what
// the manager says about it, and its core dumps, each for this user only.
bool add_user_unit_matches(const LibSystemd& lib, sd_journal* journal, const std::string& unit, std::uint32_t uid) {
    const std::string user = "_UID=" + std::to_string(uid);
    bool ok = true;
    auto match = [&](const std::string& text) { ok = ok && lib.sd_journal_add_match(journal, text.c_str(), 0) >= 0; };
    match("_SYSTEMD_USER_UNIT=" + unit);
    match(user);
    ok = ok && lib.sd_journal_add_disjunction(journal) >= 0;
    match("USER_UNIT=" + unit);
    match(user);
    ok = ok && lib.sd_journal_add_disjunction(journal) >= 0;
    match("COREDUMP_USER_UNIT=" + unit);
    match(user);
    match("_UID=0");
    return ok;
}

}  // namespace

std::string read_journal_tail(const LibSystemd& lib, const std::string& unit, std::optional<std::uint32_t> uid,
                              unsigned lines) {
    if (lines == 0) return {};
    const bool root = uid == std::optional<std::uint32_t>(0);
    sd_journal* journal = nullptr;
    // A user sees their own journal (journalctl --user); root reads every journal (--user-unit).
    if (lib.sd_journal_open(&journal, SD_JOURNAL_LOCAL_ONLY | (root ? 0 : SD_JOURNAL_CURRENT_USER)) < 0) return {};
    std::string text;
    if (add_user_unit_matches(lib, journal, unit, uid.value_or(0)) && lib.sd_journal_seek_tail(journal) >= 0 &&
        lib.sd_journal_previous_skip(journal, lines) > 0) {
        do {
            text += entry_line(lib, journal);
        } while (lib.sd_journal_next(journal) > 0);
    }
    lib.sd_journal_close(journal);
    return text;
}

}  // namespace ductor::systemd
