#include <ductor/runner/log_writer.hpp>

#include <ductor/platform/files.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace ductor::runner {
namespace {

std::size_t index_of(platform::Stream stream) { return stream == platform::Stream::out ? 0 : 1; }

std::string utc_timestamp() {
    auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));  // the runner has one thread
    return text;
}

std::string lines_text(std::uint64_t count) { return std::to_string(count) + (count == 1 ? " line" : " lines"); }

std::string duration_text(std::chrono::milliseconds duration) {
    if (duration.count() % 1000 == 0) return std::to_string(duration.count() / 1000) + " s";
    return std::to_string(duration.count()) + " ms";
}

// The length of the longest run of whole lines at the start of `lines` that
// fits in `room` bytes; 0 when not even the first line fits.
std::size_t whole_lines_within(std::string_view lines, std::uint64_t room) {
    if (lines.size() <= room) return lines.size();
    if (room == 0) return 0;
    auto cut = lines.rfind('\n', static_cast<std::size_t>(room) - 1);
    return cut == std::string_view::npos ? 0 : cut + 1;
}

std::size_t first_line_length(std::string_view lines) { return lines.find('\n') + 1; }

}  // namespace

std::vector<std::filesystem::path> log_files(const std::filesystem::path& directory, const std::string& name) {
    return sdk::runner::order_log_files(platform::list_directory(directory), name);
}

sdk::Expected<std::unique_ptr<LogWriter>> LogWriter::open(const LogSettings& settings) {
    std::unique_ptr<LogWriter> writer(new LogWriter(settings));
    if (settings.log_to == LogTo::stdout_only) return writer;
    std::error_code ec;
    std::filesystem::create_directories(settings.directory, ec);
    if (ec) return sdk::unexpected("cannot create " + settings.directory.string() + ": " + ec.message());
    if (writer->m_settings.max_files == 0) writer->m_settings.max_files = 1;
    if (auto opened = writer->open_file(); !opened) return sdk::unexpected(opened.error());
    return writer;
}

LogWriter::~LogWriter() {
    finish_lines();
    if (m_dropped > 0) note("in all, " + lines_text(m_dropped) + " could not be written to the log");
}

sdk::Expected<void> LogWriter::open_file() {
    auto file = platform::AppendFile::open(log_path(m_settings.directory, m_settings.name));
    if (!file) {
        m_file.reset();
        return sdk::unexpected(file.error());
    }
    m_file = std::move(*file);
    return {};
}

// Closes the current file and renames <name>.log.(N-2) to .(N-1) ... and
// <name>.log to .1 (with one file: removes <name>.log); why the last step
// failed otherwise. A missing rotated file is no failure.
sdk::Expected<void> LogWriter::shift_files() {
    m_file.reset();  // closed first: Windows renames a file nobody has open most reliably
    const auto& dir = m_settings.directory;
    const auto& name = m_settings.name;
    const auto current = log_path(dir, name);
    const unsigned last = m_settings.max_files - 1;  // highest rotated index kept
    std::error_code ec;
    if (last == 0) {
        std::filesystem::remove(current, ec);
        if (ec) return sdk::unexpected("cannot remove " + current.string() + ": " + ec.message());
        return {};
    }
    std::filesystem::remove(rotated_log_path(dir, name, last), ec);
    for (unsigned index = last - 1; index >= 1; --index) {
        std::filesystem::rename(rotated_log_path(dir, name, index), rotated_log_path(dir, name, index + 1), ec);
    }
    ec.clear();
    std::filesystem::rename(current, rotated_log_path(dir, name, 1), ec);
    if (!ec) return {};
    return sdk::unexpected("cannot rename " + current.string() + " to " + rotated_log_path(dir, name, 1).string() +
                           ": " + ec.message());
}

// Starts a new file. When the old one cannot be renamed away, it is opened
// again and appended to past the size limit: the output is worth more than
// the limit. When no file can be opened, lines are dropped and counted.
// Either way until a try after `retry_after` works (rotation_due).
void LogWriter::rotate() {
    const auto current = log_path(m_settings.directory, m_settings.name).string();
    sdk::Expected<void> rotated;
    if (m_file) {
        if (auto shifted = shift_files(); !shifted)
            rotated = sdk::unexpected("cannot rotate the log: " + shifted.error() + "; appending to " + current +
                                      " past the size limit");
    }
    if (auto opened = open_file(); !opened) rotated = sdk::unexpected(opened.error() + "; dropping lines");
    if (rotated)
        recover(m_rotation, "log rotation");
    else
        fail(m_rotation, rotated.error(), {});
}

bool LogWriter::rotation_due() const { return m_rotation.reason.empty() || Clock::now() >= m_rotation.retry_at; }

// `lines` is one or more complete lines; rotation happens only between them.
// Every pass appends (or drops) at least one line, or tries one rotation, and
// a rotation try is always followed by an append: the loop cannot spin.
void LogWriter::write_lines(std::string_view lines) {
    if (m_settings.log_to == LogTo::stdout_only) return;
    bool may_rotate = true;
    while (!lines.empty()) {
        auto room = m_file && m_file->size() < m_settings.max_bytes ? m_settings.max_bytes - m_file->size() : 0;
        auto take = whole_lines_within(lines, room);
        bool worth_rotating = !m_file || m_file->size() > 0;  // an empty file takes a long line as it is
        if (take == 0 && may_rotate && worth_rotating && rotation_due()) {
            rotate();
            may_rotate = false;
            continue;
        }
        // Nothing fits: a new file gets one line (longer than a whole file); a
        // file that cannot be rotated gets all of them.
        if (take == 0) take = m_rotation.reason.empty() ? first_line_length(lines) : lines.size();
        append(lines.substr(0, take));
        lines.remove_prefix(take);
        may_rotate = true;
    }
}

// Writes whole lines; drops and counts them while writes fail.
void LogWriter::append(std::string_view lines) {
    if (!m_file) return drop(m_rotation, lines);
    if (!m_writing.reason.empty() && Clock::now() < m_writing.retry_at) return drop(m_writing, lines);
    auto written = m_file->write(lines);
    if (written)
        recover(m_writing, "writing the log");
    else
        fail(m_writing, written.error() + "; dropping lines", lines);
}

// Counts `lines` as lost, in all and to the account of `cause`. problem()
// shows the new count at the next try (fail), not at once: it stays stable.
void LogWriter::drop(Fault& cause, std::string_view lines) {
    auto count = static_cast<std::uint64_t>(std::count(lines.begin(), lines.end(), '\n'));
    m_dropped += count;
    cause.dropped += count;
}

// Starts or continues `fault` (its reason says what the writer does
// instead); noted only when it starts, so a lasting fault is one line.
void LogWriter::fail(Fault& fault, const std::string& reason, std::string_view lost) {
    bool starts = fault.reason.empty();
    if (starts) fault = Fault{{}, utc_timestamp(), 0, {}};
    fault.reason = reason;
    fault.retry_at = Clock::now() + m_settings.retry_after;
    drop(fault, lost);
    update_problem();
    if (starts) note(fault_text(fault));
}

// Ends `fault`, if there is one, with a note that `what` works again.
void LogWriter::recover(Fault& fault, const std::string& what) {
    if (fault.reason.empty()) return;
    std::string message = what + " works again after failing since " + fault.since;
    if (fault.dropped > 0) message += "; " + lines_text(fault.dropped) + " dropped meanwhile";
    fault = Fault{};
    update_problem();
    note(message);
}

std::string LogWriter::fault_text(const Fault& fault) const {
    std::string text = fault.reason + " since " + fault.since;
    if (fault.dropped > 0) text += " (" + lines_text(fault.dropped) + " dropped)";
    return text + ", retrying every " + duration_text(m_settings.retry_after);
}

void LogWriter::update_problem() {
    m_problem.clear();
    for (const Fault* fault : {&m_rotation, &m_writing}) {
        if (fault->reason.empty()) continue;
        if (!m_problem.empty()) m_problem += "; ";
        m_problem += fault_text(*fault);
    }
}

void LogWriter::write(platform::Stream stream, std::string_view data) {
    if (m_settings.log_to != LogTo::file) {
        auto* target = stream == platform::Stream::out ? stdout : stderr;
        std::fwrite(data.data(), 1, data.size(), target);
        std::fflush(target);
    }
    auto& pending = m_pending[index_of(stream)];
    while (!data.empty()) {
        auto newline = data.find('\n');
        if (newline == std::string_view::npos) {
            pending.append(data);
            while (pending.size() >= k_max_line) {
                write_lines(pending.substr(0, k_max_line - 1) + "\n");
                pending.erase(0, k_max_line - 1);
            }
            return;
        }
        if (!pending.empty()) {
            pending.append(data.substr(0, newline + 1));
            data.remove_prefix(newline + 1);
            std::string line;
            line.swap(pending);
            for (std::size_t at = 0; at < line.size(); at += k_max_line - 1) {
                auto piece = line.substr(at, k_max_line - 1);
                write_lines(piece.back() == '\n' ? piece : piece + "\n");
            }
            continue;
        }
        auto last = data.rfind('\n');
        write_lines(data.substr(0, last + 1));
        data.remove_prefix(last + 1);
    }
}

void LogWriter::finish_lines() {
    for (auto& pending : m_pending) {
        if (pending.empty()) continue;
        write_lines(pending + "\n");
        pending.clear();
    }
}

void LogWriter::note(std::string_view message) {
    std::string line = "ductor run: " + std::string(message);
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
    write_lines(utc_timestamp() + " " + line + "\n");
}

}  // namespace ductor::runner
