#pragma once
// The runner's log: whole lines of the child's stdout and stderr appended to
// <log dir>/<name>.log, rotated by size. Rotation renames <name>.log.(N-2)
// to .(N-1) ... <name>.log to <name>.log.1 and starts a new <name>.log, so
// there are at most N files and .1 is the newest rotated one. A line is
// never split across files or torn by a line of the other stream; a line
// longer than k_max_line is cut into pieces of that size (each ends in '\n').
//
// Faults never stop the runner or make it spin (docs/runner.md, "When the log
// cannot be written"): when rotation fails, lines are appended to the current
// file past the size limit and rotation is tried again after `retry_after`;
// when a write fails (a full disk), the file is cut back to whole lines, and
// lines are dropped and counted until a write works again, tried after
// `retry_after`. Each problem is noted once when it starts and once when it
// ends, and shown by problem() meanwhile.

#include <ductor/platform/files.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/sdk/runner.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::runner {

// Where the child's output goes: the log file, the runner's own stdout and
// stderr (journald reads them under systemd), or both.
enum class LogTo { file, stdout_only, both };

struct LogSettings {
    std::filesystem::path directory;         // created when missing
    std::string name;                        // file stem: <name>.log
    std::uint64_t max_bytes = 10ULL << 20U;  // rotate before a line would pass this size
    unsigned max_files = 5;                  // <name>.log plus .1 ... .(max_files-1)
    LogTo log_to = LogTo::both;
    // After a failed rotation or write: how long to keep to the fallback
    // before trying again (0: at the next line that needs it).
    std::chrono::milliseconds retry_after = std::chrono::seconds(10);
};

inline constexpr std::size_t k_max_line = 1U << 20U;

// File names are an SDK convention (backends show these files as logs).
using sdk::runner::log_path;
using sdk::runner::rotated_log_path;
// The existing log files of `name`, oldest first (for `service logs`).
std::vector<std::filesystem::path> log_files(const std::filesystem::path& directory, const std::string& name);

// Not thread-safe: the runner calls it from its one thread. Never throws
// for a file-system fault; each call returns after a bounded amount of work.
class LogWriter {
public:
    // Opens (appends to) the current file, unless LogTo::stdout_only; the reason on failure.
    static sdk::Expected<std::unique_ptr<LogWriter>> open(const LogSettings& settings);
    // Writes pending partial lines; when lines were dropped, notes how many in all.
    ~LogWriter();
    LogWriter(const LogWriter&) = delete;
    LogWriter& operator=(const LogWriter&) = delete;

    // Takes bytes of one stream; complete lines go to the file at once.
    void write(platform::Stream stream, std::string_view data);
    // Ends a stream's pending partial line with '\n' and writes it.
    void finish_lines();
    // Writes one line of the runner's own ("ductor run: ...") to stderr first, then to the file.
    void note(std::string_view message);
    // What keeps the log from being written as asked, one line for `status`
    // (e.g. "cannot write ...: No space left on device; dropping lines since
    // ... (12 lines dropped), retrying every 10 s"); empty while all is well.
    // It changes only when a fault starts, at a failed retry (at most once per
    // `retry_after`) and when the fault ends, so a caller may store it
    // whenever it changes.
    const std::string& problem() const { return m_problem; }
    // Lines (the program's and the runner's notes) that never reached the file, in all.
    std::uint64_t dropped_lines() const { return m_dropped; }

private:
    using Clock = std::chrono::steady_clock;
    // One kind of fault while it lasts: what failed, what the writer does
    // instead, since when, and when to try the normal way again.
    struct Fault {
        std::string reason;         // empty: no fault
        std::string since;          // UTC time it began
        std::uint64_t dropped = 0;  // lines lost to it
        Clock::time_point retry_at;
    };

    explicit LogWriter(LogSettings settings) : m_settings(std::move(settings)) {}
    // Opens the current file; the reason on failure.
    sdk::Expected<void> open_file();
    // Moves the files one place up (log -> log.1, ...; the oldest goes, and with
    // one file kept the log itself goes); why the log could not be moved away.
    sdk::Expected<void> shift_files();
    void rotate();
    bool rotation_due() const;
    void write_lines(std::string_view lines);
    void append(std::string_view lines);
    void drop(Fault& cause, std::string_view lines);
    void fail(Fault& fault, const std::string& reason, std::string_view lost);
    void recover(Fault& fault, const std::string& what);
    std::string fault_text(const Fault& fault) const;
    void update_problem();

    LogSettings m_settings;
    std::unique_ptr<platform::AppendFile> m_file;  // null when not logging to a file, or after a failed reopen
    std::string m_pending[2];                      // partial line per stream
    Fault m_rotation;                              // rotation or reopening failed
    Fault m_writing;                               // writes fail: lines are dropped
    std::uint64_t m_dropped = 0;
    std::string m_problem;
};

}  // namespace ductor::runner
