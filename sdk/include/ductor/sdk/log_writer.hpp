#pragma once
// An optional interface a Backend may implement besides sdk::Backend: it
// writes the service's logs itself (the systemd backend reads journald
// in-process) instead of naming a command or files in service_logs(), which
// spares a child process. The core asks for it with dynamic_cast on the
// backend; a backend without it is asked service_logs() as before, and an
// older core never asks, so it needs no new ABI version. Keep service_logs()
// working too: it is what an older core calls.

#include <ductor/sdk/backend.hpp>

#include <ostream>

namespace ductor::sdk {

class LogWriter {
public:
    virtual ~LogWriter() = default;

    // Writes the last request.lines lines of the service's log (the backend's
    // default when empty) to `out`; with request.follow, then every new line
    // as it comes, until the process is interrupted. Flushes `out` after each
    // batch. A failure (the log cannot be read) returns the reason.
    virtual Result write_logs(const ServiceSpec& spec, const LogRequest& request, std::ostream& out) = 0;
};

}  // namespace ductor::sdk
