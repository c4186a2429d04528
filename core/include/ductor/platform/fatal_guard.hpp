#pragma once
// A call into code that may end this process (a plugin's factory or
// is_service_available(), in ductor's own process): if it does, the user
// learns which code did it and when, instead of seeing ductor vanish.
//
// While a FatalCallGuard lives, on POSIX:
//   - a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) prints
//     "ductor: error: <subject> crashed with SIGSEGV during <operation>; <hint>";
//   - a call to exit() prints "... called exit() during ...";
//   - no return within `timeout` prints "... did not answer within 5 s during ...";
// and the process then ends at once with `exit_code`. What cannot be caught:
// _exit() and SIGKILL. Guards do not nest: an inner guard does nothing.
// It owns SIGALRM and the real-time interval timer while it lives.
// Windows: does nothing.

#include <chrono>
#include <string>
#include <string_view>

namespace ductor::platform {

class FatalCallGuard {
public:
    FatalCallGuard(std::string_view subject, std::string_view operation, std::chrono::milliseconds timeout,
                   std::string_view hint, int exit_code);
    ~FatalCallGuard();
    FatalCallGuard(const FatalCallGuard&) = delete;
    FatalCallGuard& operator=(const FatalCallGuard&) = delete;

private:
    bool m_armed = false;
};

// "5 s", "250 ms": a timeout as messages show it.
std::string describe_timeout(std::chrono::milliseconds timeout);

}  // namespace ductor::platform
