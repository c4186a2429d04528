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
    line += " " + ident + (pid.empty() ? std::string() : "[" + pid + "]") + ": ";
    // A message of several lines continues under its first, as journalctl indents it.
    const std::string indent(line.size(), ' ');
    auto message = field(lib, journal, "MESSAGE");
    while (!message.empty() && message.back() == '\n') message.pop_back();
    for (std::size_t start = 0;;) {
        const auto end = message.find('\n', start);
        line += message.substr(start, end - start) + "\n";
        if (end == std::string::npos) break;
        line += indent;
        start = end + 1;
    }
    return line;
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

namespace {

// The user unit's journal, or null when it cannot be opened.
sd_journal* open_unit_journal(const LibSystemd& lib, const std::string& unit, std::optional<std::uint32_t> uid) {
    const bool root = uid == std::optional<std::uint32_t>(0);
    sd_journal* journal = nullptr;
    // A user reads their own journal (journalctl --user); root every journal (--user-unit).
    if (lib.sd_journal_open(&journal, SD_JOURNAL_LOCAL_ONLY | (root ? 0 : SD_JOURNAL_CURRENT_USER)) < 0) return nullptr;
    if (!add_user_unit_matches(lib, journal, unit, uid.value_or(0))) {
        lib.sd_journal_close(journal);
        return nullptr;
    }
    return journal;
}

// The last `lines` entries, each passed to `emit`; whether there was one.
template <typename Emit>
bool tail(const LibSystemd& lib, sd_journal* journal, unsigned lines, Emit&& emit) {
    if (lines == 0 || lib.sd_journal_seek_tail(journal) < 0 || lib.sd_journal_previous_skip(journal, lines) <= 0)
        return false;
    do {
        emit(entry_line(lib, journal));
    } while (lib.sd_journal_next(journal) > 0);
    return true;
}

}  // namespace

std::string read_journal_tail(const LibSystemd& lib, const std::string& unit, std::optional<std::uint32_t> uid,
                              unsigned lines) {
    auto* journal = open_unit_journal(lib, unit, uid);
    if (journal == nullptr) return {};
    std::string text;
    tail(lib, journal, lines, [&](const std::string& line) { text += line; });
    lib.sd_journal_close(journal);
    return text;
}

sdk::Expected<void> write_journal(const LibSystemd& lib, const std::string& unit, std::optional<std::uint32_t> uid,
                                  unsigned lines, bool follow, std::ostream& out) {
    auto* journal = open_unit_journal(lib, unit, uid);
    if (journal == nullptr) return sdk::unexpected("cannot open the journal of " + unit);
    if (!tail(lib, journal, lines, [&](const std::string& line) { out << line; }) && !follow)
        out << "-- No entries --\n";
    out.flush();
    // Following: from the end on, every new entry as journald writes it.
    if (follow && lines == 0) lib.sd_journal_seek_tail(journal);
    while (follow && out) {
        int moved = 0;
        while ((moved = lib.sd_journal_next(journal)) > 0) out << entry_line(lib, journal);
        out.flush();
        if (moved < 0 || lib.sd_journal_wait(journal, static_cast<std::uint64_t>(-1)) < 0) break;
    }
    lib.sd_journal_close(journal);
    return {};
}

}  // namespace ductor::systemd
