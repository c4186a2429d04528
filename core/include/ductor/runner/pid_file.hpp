#pragma once
// The content of a runner's PID file (<ductor home>/run/<name>.pid): who the
// runner and its current child are, with start times so that a PID that was
// reused by an unrelated process is never signalled.
//
//   runner=4242 4711133        (PID and start time)
//   child=4250 4711140         (absent until the child started)
//   grace=10                   (seconds the runner gives its child)

#include <cstdint>
#include <optional>
#include <string>

namespace ductor::runner {

struct ProcessId {
    long long pid = 0;
    std::uint64_t start_time = 0;  // see platform::process_start_time
    friend bool operator==(const ProcessId&, const ProcessId&) = default;
};

struct PidRecord {
    ProcessId runner;
    std::optional<ProcessId> child;
    long long grace_seconds = 10;
    friend bool operator==(const PidRecord&, const PidRecord&) = default;
};

std::string format_pid_record(const PidRecord& record);
// nullopt when the text is not a PID record (empty, torn, foreign).
std::optional<PidRecord> parse_pid_record(const std::string& text);

}  // namespace ductor::runner
