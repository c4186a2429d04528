#pragma once
// The exit codes scripts can rely on (docs/ductor.1.adoc, EXIT STATUS, is their one description).

namespace ductor::cli {

enum class ExitCode : int {
    success = 0,
    failed = 1,         // the operation failed
    usage = 2,          // bad command line or input
    not_running = 3,    // status: installed but not running
    not_installed = 4,  // status: not installed
    no_backend = 5,     // no usable backend (or the forced one is unusable)
};

inline int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace ductor::cli
