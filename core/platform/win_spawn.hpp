#pragma once
// Pieces shared by the Windows process files (private): an owned HANDLE, the
// command line and the environment block CreateProcessW takes.

#include <string>
#include <utility>
#include <vector>

#include <windows.h>

namespace ductor::platform::win {

// Owns a HANDLE (null and INVALID_HANDLE_VALUE mean none).
class Handle {
public:
    Handle() = default;
    explicit Handle(HANDLE h) : m_handle(h) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { reset(); }
    HANDLE get() const { return m_handle; }
    HANDLE* out() { return &m_handle; }
    bool valid() const { return m_handle != nullptr && m_handle != INVALID_HANDLE_VALUE; }
    void reset(HANDLE h = nullptr) {
        if (valid()) ::CloseHandle(m_handle);
        m_handle = h;
    }

private:
    HANDLE m_handle = nullptr;
};

// argv as one command line, each argument quoted for CommandLineToArgvW.
std::wstring command_line(const std::vector<std::string>& argv);

// The current environment block plus `extra` (which replaces variables of
// the same name, compared without regard to case), for CREATE_UNICODE_ENVIRONMENT.
std::wstring environment_block(const std::vector<std::pair<std::string, std::string>>& extra);

// The names of a runner's kernel objects, so that `ductor stop` can find
// them: the Job Object of child `pid`, and the stop event of runner `pid`.
std::wstring runner_job_name(long long pid);
std::wstring runner_stop_event_name(long long pid);

}  // namespace ductor::platform::win
