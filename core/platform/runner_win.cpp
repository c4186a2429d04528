// Windows implementation of the child side of <ductor/platform/runner.hpp>:
// CreateProcessW into a Job Object of its own, output read by two threads.
//
// What Windows can and cannot do here:
// - The job has JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: when the runner ends, in
//   any way (also TerminateProcess), the system closes the job and ends every
//   process in it. Processes started by the child join the job too.
// - A graceful stop exists only for console programs sharing the runner's
//   console: the child gets its own console process group, and "terminate"
//   sends it Ctrl-Break. A runner without a console (ductorw.exe) has nobody
//   to send it to, so "terminate" ends the job at once; so does "kill".
// - Ended processes exit with 128 + the request's number (143, 137), like a
//   POSIX process ended by that signal.
#include <ductor/platform/runner.hpp>

#include <ductor/platform/process.hpp>
#include <ductor/sdk/runner.hpp>

#include "win_spawn.hpp"
#include "win_text.hpp"

#include <ductor/sdk/paths.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace ductor::platform {
namespace {

using win::Handle;

constexpr int k_terminate = 15;
constexpr int k_kill = 9;

// True when this process is attached to a console.
bool has_console() {
    DWORD ids[1];
    return ::GetConsoleProcessList(ids, 1) != 0;
}

// The NUL device, inheritable, as the child's stdin.
HANDLE open_null_input() {
    SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
    return ::CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING, 0, nullptr);
}

// A pipe whose write end (only) the child inherits.
bool make_output_pipe(Handle& read_end, Handle& write_end) {
    SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
    if (!::CreatePipe(read_end.out(), write_end.out(), &inherit, 0)) return false;
    return ::SetHandleInformation(read_end.get(), HANDLE_FLAG_INHERIT, 0) != 0;
}

// A job that ends its processes when its last handle closes.
HANDLE create_job(long long pid) {
    HANDLE job = ::CreateJobObjectW(nullptr, win::runner_job_name(pid).c_str());
    if (job == nullptr) return nullptr;
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (!::SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits)) {
        ::CloseHandle(job);
        return nullptr;
    }
    return job;
}

}  // namespace

struct ChildGroup::Native {
    Handle process;
    Handle job;
    Handle pipes[2];
    bool console_group = false;  // the child leads a console process group of the runner's console
    mutable std::mutex mutex;
    std::condition_variable changed;
    struct Pending {
        Stream stream;
        std::string data;
    };
    std::vector<Pending> pending;        // guarded by mutex
    std::vector<std::string> delivered;  // what the chunks of the last read_some() view
    int open_streams = 2;                // guarded by mutex
    std::thread readers[2];

    void read_pipe(int index);
    DWORD active_processes() const;
};

void ChildGroup::Native::read_pipe(int index) {
    char buffer[65536];
    DWORD n = 0;
    while (::ReadFile(pipes[index].get(), buffer, sizeof buffer, &n, nullptr) && n > 0) {
        std::lock_guard<std::mutex> lock(mutex);
        pending.push_back({index == 0 ? Stream::out : Stream::err, std::string(buffer, n)});
        changed.notify_all();
    }
    std::lock_guard<std::mutex> lock(mutex);
    --open_streams;
    changed.notify_all();
}

DWORD ChildGroup::Native::active_processes() const {
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION info{};
    if (::QueryInformationJobObject(job.get(), JobObjectBasicAccountingInformation, &info, sizeof info, nullptr))
        return info.ActiveProcesses;
    return ::WaitForSingleObject(process.get(), 0) == WAIT_TIMEOUT ? 1 : 0;
}

ChildGroup::ChildGroup() : m_native(std::make_unique<Native>()) {}

int stop_signal_terminate() { return k_terminate; }
int stop_signal_kill() { return k_kill; }

namespace {

// Attributes that let the child inherit `handles` and no other handle (the
// runner's log file, for one, must stay the runner's alone).
class InheritOnly {
public:
    explicit InheritOnly(std::vector<HANDLE> handles) : m_handles(std::move(handles)) {
        SIZE_T size = 0;
        ::InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
        m_buffer.resize(size);
        m_initialized = size > 0 && ::InitializeProcThreadAttributeList(list(), 1, 0, &size);
        m_ready =
            m_initialized && ::UpdateProcThreadAttribute(list(), 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, m_handles.data(),
                                                         m_handles.size() * sizeof(HANDLE), nullptr, nullptr);
    }
    ~InheritOnly() {
        if (m_initialized) ::DeleteProcThreadAttributeList(list());
    }
    InheritOnly(const InheritOnly&) = delete;
    InheritOnly& operator=(const InheritOnly&) = delete;
    LPPROC_THREAD_ATTRIBUTE_LIST list() { return reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(m_buffer.data()); }
    bool ready() const { return m_ready; }

private:
    std::vector<HANDLE> m_handles;
    std::vector<char> m_buffer;
    bool m_initialized = false;
    bool m_ready = false;
};

// Starts the child suspended with the given standard handles; a console
// child of a console runner leads a new console process group, one of a
// runner without a console gets a hidden console of its own. The reason when it cannot.
sdk::Expected<void> create_suspended(const ChildRequest& request, HANDLE out, HANDLE err, bool console,
                                     PROCESS_INFORMATION& info) {
    Handle null_input(open_null_input());
    InheritOnly inherit({null_input.get(), out, err});
    if (!null_input.valid() || !inherit.ready())
        return sdk::unexpected("cannot prepare the standard handles: " + win::last_error_text(::GetLastError()));
    STARTUPINFOEXW startup{};
    startup.StartupInfo.cb = sizeof startup;
    startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    startup.StartupInfo.hStdInput = null_input.get();
    startup.StartupInfo.hStdOutput = out;
    startup.StartupInfo.hStdError = err;
    startup.lpAttributeList = inherit.list();
    // Resolved here: CreateProcessW would also search the current folder.
    auto program = find_executable(request.argv[0]);
    if (!program) return sdk::unexpected(request.argv[0] + ": not found on PATH");
    if (sdk::runner::is_batch_program(sdk::utf8(*program))) {
        return sdk::unexpected(
            sdk::utf8(*program) +
            " is a batch file, which Windows runs through cmd.exe with cmd's own reading of the arguments (an "
            "argument with '&' or '%' could run a command or be replaced); run a program that is not a batch "
            "file, or cmd.exe itself with /c and the batch file if you accept cmd's rules");
    }
    auto line = win::command_line(request.argv);
    auto env = win::environment_block(request.environment);
    DWORD flags = CREATE_UNICODE_ENVIRONMENT | CREATE_SUSPENDED | EXTENDED_STARTUPINFO_PRESENT |
                  (console ? CREATE_NEW_PROCESS_GROUP : CREATE_NO_WINDOW);
    if (::CreateProcessW(program->c_str(), line.data(), nullptr, nullptr, TRUE, flags, env.data(), nullptr,
                         &startup.StartupInfo, &info))
        return {};
    return sdk::unexpected(request.argv[0] + ": " + win::last_error_text(::GetLastError()));
}

}  // namespace

sdk::Expected<std::unique_ptr<ChildGroup>> ChildGroup::spawn(const ChildRequest& request) {
    if (request.argv.empty()) return sdk::unexpected(std::string("empty command"));
    std::unique_ptr<ChildGroup> child(new ChildGroup());
    auto& native = *child->m_native;
    Handle out_write, err_write;
    if (!make_output_pipe(native.pipes[0], out_write) || !make_output_pipe(native.pipes[1], err_write))
        return sdk::unexpected("cannot create a pipe: " + win::last_error_text(::GetLastError()));
    native.console_group = has_console();
    PROCESS_INFORMATION info{};
    if (auto created = create_suspended(request, out_write.get(), err_write.get(), native.console_group, info);
        !created)
        return sdk::unexpected(created.error());
    native.process.reset(info.hProcess);
    Handle thread(info.hThread);
    child->m_pid = static_cast<long long>(info.dwProcessId);
    native.job.reset(create_job(child->m_pid));
    if (!native.job.valid() || !::AssignProcessToJobObject(native.job.get(), native.process.get())) {
        auto why = "cannot put " + request.argv[0] + " into a job object: " + win::last_error_text(::GetLastError());
        ::TerminateProcess(native.process.get(), 1);
        return sdk::unexpected(std::move(why));
    }
    ::ResumeThread(thread.get());
    out_write.reset();  // the child holds the only write ends now: EOF when its tree ends
    err_write.reset();
    for (int i = 0; i < 2; ++i) native.readers[i] = std::thread([&native, i] { native.read_pipe(i); });
    return child;
}

ChildGroup::~ChildGroup() {
    auto& native = *m_native;
    // Ends the processes left in the job; nothing can leave it (no breakaway
    // allowed), so this closes the last write ends and the readers see EOF.
    native.job.reset();
    for (auto& reader : native.readers) {
        if (reader.joinable()) reader.join();
    }
}

void ChildGroup::read_some(std::vector<OutputChunk>& chunks, std::chrono::milliseconds wait) {
    auto& native = *m_native;
    std::unique_lock<std::mutex> lock(native.mutex);
    if (native.open_streams == 0 && native.pending.empty() &&
        ::WaitForSingleObject(native.process.get(), 0) == WAIT_TIMEOUT) {
        // The output ended before the process did: wake when it ends, not at the timeout.
        lock.unlock();
        ::WaitForSingleObject(native.process.get(), static_cast<DWORD>(wait.count()));
        return;
    }
    int open_before = native.open_streams;
    native.changed.wait_for(lock, wait, [&] { return !native.pending.empty() || native.open_streams != open_before; });
    native.delivered.clear();
    native.delivered.reserve(native.pending.size());  // no reallocation: the views stay valid
    for (auto& chunk : native.pending) {
        native.delivered.push_back(std::move(chunk.data));
        chunks.push_back({chunk.stream, native.delivered.back()});
    }
    native.pending.clear();
}

bool ChildGroup::output_open() const {
    std::lock_guard<std::mutex> lock(m_native->mutex);
    return m_native->open_streams > 0 || !m_native->pending.empty();  // open until read_some took it all
}

bool ChildGroup::signal_group(int signal) const {
    auto& native = *m_native;
    if (native.active_processes() == 0) return false;
    if (signal != k_kill && native.console_group &&
        ::GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, static_cast<DWORD>(m_pid))) {
        return true;
    }
    return ::TerminateJobObject(native.job.get(), static_cast<UINT>(128 + signal)) != 0;
}

bool ChildGroup::group_alive() const { return m_native->active_processes() > 0; }

std::optional<int> ChildGroup::try_wait() {
    if (m_exit) return m_exit;
    if (::WaitForSingleObject(m_native->process.get(), 0) != WAIT_OBJECT_0) return std::nullopt;
    DWORD code = 1;
    ::GetExitCodeProcess(m_native->process.get(), &code);
    m_exit = static_cast<int>(code);
    return m_exit;
}

}  // namespace ductor::platform
