#pragma once
// The runner's log: whole lines of the child's stdout and stderr appended to
// <log dir>/<name>.log, rotated by size. Rotation renames <name>.log.(N-2)
// to .(N-1) ... <name>.log to <name>.log.1 and starts a new <name>.log, so
// there are at most N files and .1 is the newest rotated one. A line is
// never split across files or torn by a line of the other stream; a line
// longer than k_max_line is cut into pieces of that size (each ends in '\n').

#include <ductor/platform/files.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/sdk/runner.hpp>

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
};

inline constexpr std::size_t k_max_line = 1U << 20U;

// File names are an SDK convention (backends show these files as logs).
using sdk::runner::log_path;
using sdk::runner::rotated_log_path;
// The existing log files of `name`, oldest first (for `service logs`).
std::vector<std::filesystem::path> log_files(const std::filesystem::path& directory, const std::string& name);

class LogWriter {
public:
    // Opens (appends to) the current file, unless LogTo::stdout_only. nullptr and `error` on failure.
    static std::unique_ptr<LogWriter> open(const LogSettings& settings, std::string& error);
    ~LogWriter();  // writes pending partial lines, closes the file
    LogWriter(const LogWriter&) = delete;
    LogWriter& operator=(const LogWriter&) = delete;

    // Takes bytes of one stream; complete lines go to the file at once.
    void write(platform::Stream stream, std::string_view data);
    // Ends a stream's pending partial line with '\n' and writes it.
    void finish_lines();
    // Writes one line of the runner's own ("ductor run: ...") to the file and stderr.
    void note(std::string_view message);
    // The last write or rotation error, empty when all went well.
    const std::string& error() const { return m_error; }

private:
    explicit LogWriter(LogSettings settings) : m_settings(std::move(settings)) {}
    bool open_file();
    void rotate();
    void write_lines(std::string_view lines);
    void write_bytes(std::string_view bytes);

    LogSettings m_settings;
    std::unique_ptr<platform::AppendFile> m_file;  // null when not logging to a file or it cannot be opened
    std::string m_pending[2];                      // partial line per stream
    std::string m_error;
};

}  // namespace ductor::runner
