#include <ductor/runner/log_writer.hpp>

#include <ductor/platform/files.hpp>

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

}  // namespace

std::vector<std::filesystem::path> log_files(const std::filesystem::path& directory, const std::string& name) {
    return sdk::runner::order_log_files(platform::list_directory(directory), name);
}

std::unique_ptr<LogWriter> LogWriter::open(const LogSettings& settings, std::string& error) {
    std::unique_ptr<LogWriter> writer(new LogWriter(settings));
    if (settings.log_to == LogTo::stdout_only) return writer;
    std::error_code ec;
    std::filesystem::create_directories(settings.directory, ec);
    if (ec) {
        error = "cannot create " + settings.directory.string() + ": " + ec.message();
        return nullptr;
    }
    if (writer->m_settings.max_files == 0) writer->m_settings.max_files = 1;
    if (!writer->open_file()) {
        error = writer->m_error;
        return nullptr;
    }
    return writer;
}

LogWriter::~LogWriter() { finish_lines(); }

bool LogWriter::open_file() {
    m_file = platform::AppendFile::open(log_path(m_settings.directory, m_settings.name), m_error);
    return m_file != nullptr;
}

void LogWriter::rotate() {
    m_file.reset();
    const auto& dir = m_settings.directory;
    const auto& name = m_settings.name;
    const unsigned last = m_settings.max_files - 1;  // highest rotated index kept
    std::error_code ec;
    if (last == 0) {
        std::filesystem::remove(log_path(dir, name), ec);
    } else {
        std::filesystem::remove(rotated_log_path(dir, name, last), ec);
        for (unsigned index = last - 1; index >= 1; --index) {
            std::filesystem::rename(rotated_log_path(dir, name, index), rotated_log_path(dir, name, index + 1), ec);
        }
        std::filesystem::rename(log_path(dir, name), rotated_log_path(dir, name, 1), ec);
        if (ec) m_error = "cannot rotate " + log_path(dir, name).string() + ": " + ec.message();
    }
    open_file();
}

void LogWriter::write_bytes(std::string_view bytes) {
    if (!m_file) return;
    if (!m_file->write(bytes)) m_error = "cannot write the log file";
}

// `lines` is one or more complete lines; rotation happens only between them.
void LogWriter::write_lines(std::string_view lines) {
    if (!m_file) return;
    while (!lines.empty()) {
        const auto size = m_file ? m_file->size() : 0;
        auto room = size < m_settings.max_bytes ? m_settings.max_bytes - size : 0;
        if (lines.size() <= room) {
            write_bytes(lines);
            break;
        }
        auto cut = room == 0 ? std::string_view::npos : lines.rfind('\n', static_cast<std::size_t>(room) - 1);
        if (cut != std::string_view::npos) {
            write_bytes(lines.substr(0, cut + 1));
            lines.remove_prefix(cut + 1);
        } else if (size == 0) {  // one line longer than a whole file: it gets a file of its own
            auto end = lines.find('\n');
            write_bytes(lines.substr(0, end + 1));
            lines.remove_prefix(end + 1);
        }
        rotate();
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
