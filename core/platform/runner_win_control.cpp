// Windows implementation of the control side of <ductor/platform/runner.hpp>:
// stop requests (console control events and a named event that `ductor stop`
// sets), the PID file lock (LockFileEx) and facts about other processes.
#include <ductor/platform/runner.hpp>

#include "win_spawn.hpp"
#include "win_text.hpp"

#include <ductor/sdk/paths.hpp>

namespace ductor::platform {
namespace {

using win::Handle;

// Set by the console control handler and by `ductor stop`; auto-reset.
HANDLE g_stop_event = nullptr;

BOOL WINAPI on_console_event(DWORD /*type*/) {
    // Ctrl-C, Ctrl-Break, a closed console, logoff, shutdown: all ask to stop.
    // (For the last three Windows ends the process soon after this returns,
    // and the job ends the child with it.)
    ::SetEvent(g_stop_event);
    return TRUE;
}

// The byte the lock covers: far beyond any content, because Windows locks
// are mandatory and must not keep others from reading the PID record.
OVERLAPPED lock_range() {
    OVERLAPPED at{};
    at.Offset = 0;
    at.OffsetHigh = 1;  // 4 GiB
    return at;
}

bool delete_pending(HANDLE file) {
    FILE_STANDARD_INFO info{};
    return ::GetFileInformationByHandleEx(file, FileStandardInfo, &info, sizeof info) && info.DeletePending;
}

std::string read_all(HANDLE file) {
    std::string content;
    LARGE_INTEGER start{};
    if (!::SetFilePointerEx(file, start, nullptr, FILE_BEGIN)) return content;
    char buffer[4096];
    DWORD n = 0;
    while (::ReadFile(file, buffer, sizeof buffer, &n, nullptr) && n > 0) content.append(buffer, n);
    return content;
}

HANDLE open_shared(const std::filesystem::path& path, DWORD access, DWORD disposition) {
    return ::CreateFileW(path.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                         disposition, FILE_ATTRIBUTE_NORMAL, nullptr);
}

bool terminate_process(long long pid, int signal) {
    Handle process(::OpenProcess(PROCESS_TERMINATE, FALSE, static_cast<DWORD>(pid)));
    return process.valid() && ::TerminateProcess(process.get(), static_cast<UINT>(128 + signal));
}

}  // namespace

StopRequests::StopRequests() {
    g_stop_event = ::CreateEventW(nullptr, FALSE, FALSE, win::runner_stop_event_name(current_pid()).c_str());
    ::SetConsoleCtrlHandler(on_console_event, TRUE);
}

StopRequests::~StopRequests() {
    ::SetConsoleCtrlHandler(on_console_event, FALSE);
    if (g_stop_event != nullptr) ::CloseHandle(g_stop_event);
    g_stop_event = nullptr;
}

std::optional<int> StopRequests::take() {
    if (g_stop_event == nullptr || ::WaitForSingleObject(g_stop_event, 0) != WAIT_OBJECT_0) return std::nullopt;
    return stop_signal_terminate();
}

sdk::Expected<std::unique_ptr<PidLock>, PidLock::Refused> PidLock::acquire(const std::filesystem::path& path) {
    auto refuse = [](std::string why) { return sdk::unexpected(Refused{std::nullopt, std::move(why)}); };
    for (int attempt = 0; attempt < 20; ++attempt) {
        Handle file(open_shared(path, GENERIC_READ | GENERIC_WRITE, OPEN_ALWAYS));
        if (!file.valid()) {
            DWORD why = ::GetLastError();
            if (why == ERROR_ACCESS_DENIED) {  // the holder before us is deleting it
                ::Sleep(25);
                continue;
            }
            return refuse(sdk::utf8(path) + ": " + win::last_error_text(why));
        }
        OVERLAPPED at = lock_range();
        if (!::LockFileEx(file.get(), LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &at)) {
            DWORD why = ::GetLastError();
            if (why != ERROR_LOCK_VIOLATION && why != ERROR_IO_PENDING) {
                return refuse("cannot lock " + sdk::utf8(path) + ": " + win::last_error_text(why));
            }
            return sdk::unexpected(Refused{Busy{read_all(file.get())}, {}});
        }
        if (delete_pending(file.get())) continue;  // we locked a file that is going away: retry
        // A stale record of a dead runner must not outlive the lock it lost;
        // the new holder gets to read it first.
        std::string previous = read_all(file.get());
        LARGE_INTEGER zero{};
        ::SetFilePointerEx(file.get(), zero, nullptr, FILE_BEGIN);
        ::SetEndOfFile(file.get());
        std::unique_ptr<PidLock> lock(new PidLock());
        lock->m_path = path;
        lock->m_file = reinterpret_cast<std::intptr_t>(file.get());
        lock->m_previous = std::move(previous);
        *file.out() = nullptr;  // the lock owns it now
        return lock;
    }
    return refuse("cannot lock " + sdk::utf8(path) + ": it keeps being replaced");
}

void PidLock::hand_to_children() {}  // detach is POSIX only, so nothing could hold it on

PidLock::~PidLock() {
    ::DeleteFileW(m_path.c_str());  // gone once the handle below is closed
    ::CloseHandle(reinterpret_cast<HANDLE>(m_file));
}

bool PidLock::write(const std::string& content) {
    auto file = reinterpret_cast<HANDLE>(m_file);
    LARGE_INTEGER start{};
    if (!::SetFilePointerEx(file, start, nullptr, FILE_BEGIN) || !::SetEndOfFile(file)) return false;
    DWORD written = 0;
    return ::WriteFile(file, content.data(), static_cast<DWORD>(content.size()), &written, nullptr) &&
           written == content.size();
}

bool pid_file_locked(const std::filesystem::path& path) {
    Handle file(open_shared(path, GENERIC_READ, OPEN_EXISTING));
    if (!file.valid()) return false;
    OVERLAPPED at = lock_range();
    if (::LockFileEx(file.get(), LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &at)) {
        at = lock_range();
        ::UnlockFileEx(file.get(), 0, 1, 0, &at);
        return false;
    }
    return ::GetLastError() == ERROR_LOCK_VIOLATION;
}

long long current_pid() { return static_cast<long long>(::GetCurrentProcessId()); }

std::optional<std::uint64_t> process_start_time(long long pid) {
    if (pid <= 0) return std::nullopt;
    Handle process(::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid)));
    FILETIME created{}, exited{}, kernel{}, user{};
    if (!process.valid() || !::GetProcessTimes(process.get(), &created, &exited, &kernel, &user)) return std::nullopt;
    return (static_cast<std::uint64_t>(created.dwHighDateTime) << 32U) | created.dwLowDateTime;
}

bool process_alive(long long pid) {
    if (pid <= 0) return false;
    Handle process(::OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid)));
    if (!process.valid()) return ::GetLastError() == ERROR_ACCESS_DENIED;
    return ::WaitForSingleObject(process.get(), 0) == WAIT_TIMEOUT;
}

bool send_signal(long long pid, int signal, Target target) {
    if (pid <= 0) return false;
    if (target == Target::group) {
        Handle job(::OpenJobObjectW(JOB_OBJECT_TERMINATE, FALSE, win::runner_job_name(pid).c_str()));
        if (job.valid()) return ::TerminateJobObject(job.get(), static_cast<UINT>(128 + signal)) != 0;
        return terminate_process(pid, signal);
    }
    if (signal == stop_signal_kill()) return terminate_process(pid, signal);
    Handle event(::OpenEventW(EVENT_MODIFY_STATE, FALSE, win::runner_stop_event_name(pid).c_str()));
    return event.valid() && ::SetEvent(event.get());
}

bool group_alive(long long pid) {
    if (pid <= 0) return false;
    Handle job(::OpenJobObjectW(JOB_OBJECT_QUERY, FALSE, win::runner_job_name(pid).c_str()));
    if (!job.valid()) return process_alive(pid);
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION info{};
    if (!::QueryInformationJobObject(job.get(), JobObjectBasicAccountingInformation, &info, sizeof info, nullptr))
        return process_alive(pid);
    return info.ActiveProcesses > 0;
}

bool stdout_is_terminal() {
    DWORD mode = 0;
    return ::GetConsoleMode(::GetStdHandle(STD_OUTPUT_HANDLE), &mode) != 0;
}

bool stderr_is_terminal() {
    DWORD mode = 0;
    return ::GetConsoleMode(::GetStdHandle(STD_ERROR_HANDLE), &mode) != 0;
}

// A Job Object already keeps the program's descendants with the runner.
void become_subreaper() {}
void reap_adopted(long long /*keep*/) {}
void pause_for(std::chrono::milliseconds limit) { ::Sleep(static_cast<DWORD>(limit.count())); }

sdk::Expected<std::optional<int>> detach(const std::filesystem::path& /*workdir*/, std::chrono::seconds /*limit*/) {
    return sdk::unexpected(std::string("--detach is not supported on Windows; Task Scheduler starts the runner there"));
}
void detach_ready() {}
void detach_failed(const std::string& /*why*/) {}

}  // namespace ductor::platform
