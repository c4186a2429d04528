#include <ductor/runner/pid_file.hpp>

#include <sstream>

namespace ductor::runner {
namespace {

std::string id_text(const ProcessId& id) { return std::to_string(id.pid) + " " + std::to_string(id.start_time); }

bool parse_id(std::istringstream& in, ProcessId& id) {
    return static_cast<bool>(in >> id.pid >> id.start_time) && id.pid > 0;
}

}  // namespace

std::string format_pid_record(const PidRecord& record) {
    std::string text = "runner=" + id_text(record.runner) + "\n";
    if (record.child) text += "child=" + id_text(*record.child) + "\n";
    text += "grace=" + std::to_string(record.grace_seconds) + "\n";
    return text;
}

std::optional<PidRecord> parse_pid_record(const std::string& text) {
    PidRecord record;
    bool has_runner = false;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        auto eq = line.find('=');
        if (eq == std::string::npos) return std::nullopt;
        auto key = line.substr(0, eq);
        std::istringstream value(line.substr(eq + 1));
        if (key == "runner") {
            has_runner = parse_id(value, record.runner);
            if (!has_runner) return std::nullopt;
        } else if (key == "child") {
            ProcessId child;
            if (!parse_id(value, child)) return std::nullopt;
            record.child = child;
        } else if (key == "grace") {
            if (!(value >> record.grace_seconds) || record.grace_seconds < 0) return std::nullopt;
        }
    }
    if (!has_runner) return std::nullopt;
    return record;
}

}  // namespace ductor::runner
