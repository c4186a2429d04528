// POSIX implementation of <ductor/platform/runner.hpp>: posix_spawn into a
// new process group, signals, flock'ed PID files, /proc (Linux) or sysctl
// (macOS) for process start times.
#include <ductor/platform/runner.hpp>

#include <ductor/platform/process.hpp>

#include "posix_spawn_support.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <sys/sysctl.h>
#endif
#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace ductor::platform {
namespace {

volatile std::sig_atomic_t g_stop_signal = 0;
// The self-pipe of the live StopRequests (-1 without one): a stop signal or a
// SIGCHLD writes a byte, so read_some() wakes at once instead of at its timeout.
volatile std::sig_atomic_t g_wake_read = -1;
volatile std::sig_atomic_t g_wake_write = -1;

void wake() {
    int saved = errno;
    if (g_wake_write >= 0) {
        char byte = 0;
        (void)!::write(g_wake_write, &byte, 1);  // a full pipe is awake already
    }
    errno = saved;
}

extern "C" void on_stop_signal(int signal) {
    g_stop_signal = signal;
    wake();
}

// SIGCHLDs counted while a StopRequests is alive: try_wait() and reap_adopted()
// ask the kernel only after one came, not on every read.
volatile std::sig_atomic_t g_child_events = 0;

extern "C" void on_child_signal(int) {
    g_child_events = g_child_events + 1;
    wake();
}

void drain_wake_pipe() {
    char buffer[64];
    while (::read(g_wake_read, buffer, sizeof buffer) > 0) {
    }
}

constexpr int k_stop_signals[] = {SIGTERM, SIGINT, SIGHUP};

// How much of the program's output one read takes (and, on Linux, the pipes' size).
constexpr std::size_t k_read_size = 256 * 1024;

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

}  // namespace

struct ChildGroup::Native {
    int out = -1;
    int err = -1;
    bool counted = false;        // SIGCHLDs were counted when it started (a StopRequests was alive)
    int child_events_seen = -1;  // g_child_events at the last waitpid()
    // One read's worth per stream, which the chunks view (no copy per read);
    // pages are touched only as output comes.
    std::unique_ptr<char[]> buffer{new char[2 * k_read_size]};
};

ChildGroup::ChildGroup() : m_native(std::make_unique<Native>()) {}

int stop_signal_terminate() { return SIGTERM; }
int stop_signal_kill() { return SIGKILL; }

sdk::Expected<std::unique_ptr<ChildGroup>> ChildGroup::spawn(const ChildRequest& request) {
    if (request.argv.empty()) return sdk::unexpected(std::string("empty command"));
    // PATH lookup without its relative entries: the current folder is never searched.
    auto program = find_executable(request.argv[0]);
    if (!program) return sdk::unexpected(request.argv[0] + ": " + std::strerror(ENOENT));
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        return sdk::unexpected(std::string("cannot create a pipe: ") + std::strerror(errno));
    if (::pipe2(err, O_CLOEXEC) != 0) {
        auto error = std::string("cannot create a pipe: ") + std::strerror(errno);
        ::close(out[0]);
        ::close(out[1]);
        return sdk::unexpected(std::move(error));
    }
    int pid = 0;
    int rc = posix::spawn_in_new_group(program->string(), request.argv, request.environment, -1, out[1], err[1], pid);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        ::close(out[0]);
        ::close(err[0]);
        return sdk::unexpected(request.argv[0] + ": " + std::strerror(rc));
    }
    std::unique_ptr<ChildGroup> child(new ChildGroup());
    child->m_pid = pid;
    child->m_native->out = out[0];
    child->m_native->err = err[0];
    child->m_native->counted = g_wake_read >= 0;
#if defined(F_SETPIPE_SZ)
    // Fewer, larger reads for a program that writes a lot (best effort: the system may refuse).
    (void)::fcntl(out[0], F_SETPIPE_SZ, static_cast<int>(k_read_size));
    (void)::fcntl(err[0], F_SETPIPE_SZ, static_cast<int>(k_read_size));
#endif
    return child;
}

ChildGroup::~ChildGroup() {
    close_fd(m_native->out);
    close_fd(m_native->err);
}

void ChildGroup::read_some(std::vector<OutputChunk>& chunks, std::chrono::milliseconds wait) {
    auto& native = *m_native;
    // The pipes close a moment before the child can be reaped: the wake pipe
    // (SIGCHLD) then ends the wait, not the timeout.
    pollfd fds[3] = {{native.out, POLLIN, 0}, {native.err, POLLIN, 0}, {g_wake_read, POLLIN, 0}};
    int ready = ::poll(fds, 3, static_cast<int>(wait.count()));
    if (ready <= 0) return;  // timeout or a signal
    if (fds[2].fd >= 0 && (fds[2].revents & POLLIN) != 0) drain_wake_pipe();
    for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) == 0) continue;
        char* buffer = native.buffer.get() + static_cast<std::size_t>(i) * k_read_size;
        ssize_t n = ::read(fds[i].fd, buffer, k_read_size);
        if (n > 0) {
            chunks.push_back({i == 0 ? Stream::out : Stream::err, {buffer, static_cast<std::size_t>(n)}});
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            close_fd(i == 0 ? native.out : native.err);
        }
    }
}

bool ChildGroup::output_open() const { return m_native->out >= 0 || m_native->err >= 0; }

bool ChildGroup::signal_group(int signal) const { return ::kill(static_cast<pid_t>(-m_pid), signal) == 0; }

bool ChildGroup::group_alive() const { return ::kill(static_cast<pid_t>(-m_pid), 0) == 0 || errno == EPERM; }

std::optional<int> ChildGroup::try_wait() {
    if (m_exit) return m_exit;
    if (m_native->counted && g_wake_read >= 0) {  // it can only have ended if a SIGCHLD came since the last look
        const int events = g_child_events;
        if (events == m_native->child_events_seen) return std::nullopt;
        m_native->child_events_seen = events;
    }
    int status = 0;
    pid_t rc = ::waitpid(static_cast<pid_t>(m_pid), &status, WNOHANG);
    if (rc == static_cast<pid_t>(m_pid))
        m_exit = posix::decode_status(status);
    else if (rc < 0 && errno == ECHILD)
        m_exit = 1;  // someone else reaped it; nothing more to learn
    return m_exit;
}

namespace {
// The handlers StopRequests replaced (one StopRequests at a time), restored by its destructor.
struct sigaction g_previous[5];
}  // namespace

StopRequests::StopRequests() {
    g_stop_signal = 0;
    g_child_events = g_child_events + 1;  // children may have ended while nobody counted: look again
    int wake_fds[2];
    if (::pipe2(wake_fds, O_CLOEXEC | O_NONBLOCK) == 0) {
        g_wake_read = wake_fds[0];
        g_wake_write = wake_fds[1];
    }
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a signal interrupts poll()
    for (std::size_t i = 0; i < std::size(k_stop_signals); ++i) ::sigaction(k_stop_signals[i], &action, &g_previous[i]);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGPIPE, &ignore, &g_previous[3]);
    struct sigaction child {};
    child.sa_handler = on_child_signal;
    sigemptyset(&child.sa_mask);
    child.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    ::sigaction(SIGCHLD, &child, &g_previous[4]);
}

StopRequests::~StopRequests() {
    for (std::size_t i = 0; i < std::size(k_stop_signals); ++i) ::sigaction(k_stop_signals[i], &g_previous[i], nullptr);
    ::sigaction(SIGPIPE, &g_previous[3], nullptr);
    ::sigaction(SIGCHLD, &g_previous[4], nullptr);
    int read_end = g_wake_read, write_end = g_wake_write;
    g_wake_write = -1;
    g_wake_read = -1;
    close_fd(read_end);
    close_fd(write_end);
}

std::optional<int> StopRequests::take() {
    int signal = g_stop_signal;
    if (signal == 0) return std::nullopt;
    g_stop_signal = 0;
    return signal;
}

sdk::Expected<std::unique_ptr<PidLock>, PidLock::Refused> PidLock::acquire(const std::filesystem::path& path) {
    auto refuse = [](std::string why) { return sdk::unexpected(Refused{std::nullopt, std::move(why)}); };
    for (int attempt = 0; attempt < 10; ++attempt) {
        int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            return refuse(path.string() + ": " + std::strerror(errno));
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int why = errno;
            ::close(fd);
            if (why != EWOULDBLOCK) {
                return refuse("cannot lock " + path.string() + ": " + std::strerror(why));
            }
            std::ifstream in(path);
            std::ostringstream content;
            content << in.rdbuf();
            return sdk::unexpected(Refused{Busy{content.str()}, {}});
        }
        // The holder before us may have removed the file between our open
        // and our lock: then we locked a file nobody else can find. Retry.
        struct stat opened {
        }, named{};
        if (::fstat(fd, &opened) == 0 && ::stat(path.c_str(), &named) == 0 && opened.st_ino == named.st_ino &&
            opened.st_dev == named.st_dev) {
            // A stale record of a dead runner must not outlive the lock it lost;
            // the new holder gets to read it first (what the dead one left running).
            std::string previous;
            char buffer[4096];
            for (ssize_t n; (n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(previous.size()))) > 0;)
                previous.append(buffer, static_cast<std::size_t>(n));
            // A new file is empty already: no truncation (on ext4 a journaled change).
            if ((opened.st_size != 0 || !previous.empty()) && ::ftruncate(fd, 0) != 0) {
                auto why = "cannot empty " + path.string() + ": " + std::strerror(errno);
                ::close(fd);
                return refuse(std::move(why));
            }
            std::unique_ptr<PidLock> lock(new PidLock());
            lock->m_path = path;
            lock->m_file = fd;
            lock->m_previous = std::move(previous);
            return lock;
        }
        ::close(fd);
    }
    return refuse("cannot lock " + path.string() + ": it keeps being replaced");
}

void PidLock::hand_to_children() {
    const int fd = static_cast<int>(m_file);
    if (fd < 0 || ::fcntl(fd, F_SETFD, 0) != 0) return;
    ::setenv(k_inherited_lock_variable, std::to_string(fd).c_str(), 1);
    m_handed = true;
}

PidLock::~PidLock() {
    if (m_handed) ::unsetenv(k_inherited_lock_variable);
    ::unlink(m_path.c_str());
    int fd = static_cast<int>(m_file);
    // Emptied before it is closed: write() empties the file before each record, and ext4
    // flushes a file emptied and written again when it is closed (auto_da_alloc, for
    // files replaced by truncation). For a file already unlinked that costs milliseconds
    // of every `ductor run` and saves nothing.
    if (fd >= 0) (void)::ftruncate(fd, 0);
    close_fd(fd);
}

bool PidLock::write(const std::string& content) {
    int fd = static_cast<int>(m_file);
    if (::ftruncate(fd, 0) != 0) return false;
    return ::pwrite(fd, content.data(), content.size(), 0) == static_cast<ssize_t>(content.size());
}

bool pid_file_locked(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool locked = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);  // also releases our shared lock, if we got it
    return locked;
}

long long current_pid() { return static_cast<long long>(::getpid()); }

#if defined(__linux__)
namespace {
// Field `index` of /proc/PID/stat after the command name (0: the state, field 3);
// empty when the process is gone. Read with one read(2), which gives the whole line.
std::string stat_field(long long pid, std::size_t index) {
    char path[48];
    std::snprintf(path, sizeof path, "/proc/%lld/stat", pid);
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    char buffer[4096];
    ssize_t got = 0;
    do {
        got = ::read(fd, buffer, sizeof buffer);
    } while (got < 0 && errno == EINTR);
    ::close(fd);
    if (got <= 0) return {};
    std::string_view rest(buffer, static_cast<std::size_t>(got));
    const auto close_paren = rest.rfind(')');  // the command name may contain spaces and ')'
    if (close_paren == std::string_view::npos) return {};
    rest.remove_prefix(close_paren + 1);
    for (std::size_t n = 0;; ++n) {
        const auto start = rest.find_first_not_of(" \n");
        if (start == std::string_view::npos) return {};
        rest.remove_prefix(start);
        const auto field = rest.substr(0, rest.find_first_of(" \n"));
        if (n == index) return std::string(field);
        rest.remove_prefix(field.size());
    }
}
}  // namespace

std::optional<std::uint64_t> process_start_time(long long pid) {
    const auto field = stat_field(pid, 19);  // field 22: starttime
    std::uint64_t started = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), started);
    if (field.empty() || error != std::errc{} || end != field.data() + field.size()) return std::nullopt;
    return started;
}

bool process_alive(long long pid) {
    if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)) return false;
    const auto state = stat_field(pid, 0);
    return state != "Z";
}
#else
std::optional<std::uint64_t> process_start_time(long long pid) {
#if defined(__APPLE__)
    int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PID, static_cast<int>(pid)};
    struct kinfo_proc info {};
    size_t size = sizeof info;
    if (::sysctl(mib, 4, &info, &size, nullptr, 0) != 0 || size == 0) return std::nullopt;
    const auto& started = info.kp_proc.p_starttime;
    return static_cast<std::uint64_t>(started.tv_sec) * 1000000U + static_cast<std::uint64_t>(started.tv_usec);
#else
    (void)pid;
    return std::nullopt;
#endif
}

bool process_alive(long long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }
#endif

bool send_signal(long long pid, int signal, Target target) {
    if (pid <= 0) return false;
    auto id = static_cast<pid_t>(target == Target::group ? -pid : pid);
    return ::kill(id, signal) == 0;
}

bool group_alive(long long pid) {
    if (pid <= 0) return false;
    return ::kill(static_cast<pid_t>(-pid), 0) == 0 || errno == EPERM;
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }
bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

void become_subreaper() {
#if defined(__linux__)
    ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
#endif
}

void pause_for(std::chrono::milliseconds limit) { ::poll(nullptr, 0, static_cast<int>(limit.count())); }

void reap_adopted(long long keep) {
    static int scanned_at = -1;  // g_child_events when a scan last found nothing left to reap
    const bool counting = g_wake_read >= 0;
    const int events = g_child_events;
    if (counting && events == scanned_at) return;
    while (true) {
        siginfo_t info{};
        if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) {
            if (counting) scanned_at = events;
            return;
        }
        if (info.si_pid == static_cast<pid_t>(keep)) return;  // the program itself: try_wait() takes it
        ::waitpid(info.si_pid, nullptr, WNOHANG);
    }
}

namespace {

int g_ready_fd = -1;      // the detached process's end of the readiness pipe
int g_held_lock_fd = -1;  // a lock the starting command handed down, held until the answer

void tell_caller(const std::string& message) {
    if (g_ready_fd < 0) return;
    const char* data = message.data();
    std::size_t left = message.size();
    while (left > 0) {
        ssize_t n = ::write(g_ready_fd, data, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    close_fd(g_ready_fd);
    close_fd(g_held_lock_fd);  // ready or failed: the next command may go on
}

// In the caller: the detached process's answer, read until it closes the pipe.
int await_answer(int fd, std::chrono::seconds limit) {
    std::string answer;
    auto until = std::chrono::steady_clock::now() + limit;
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        pollfd p{fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) == 0) {
            std::fprintf(stderr, "ductor run: the detached runner did not report ready within %lld s\n",
                         static_cast<long long>(limit.count()));
            return 1;
        }
        char buffer[1024];
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    if (answer == "ready") return 0;
    if (answer.empty()) answer = "the detached runner ended before it was ready";
    std::fprintf(stderr, "ductor run: %s\n", answer.c_str());
    return 1;
}

// The descriptor of a lock handed down in the environment (hand_to_children),
// or -1; the variable is removed so the program never sees it.
int inherited_lock() {
    const char* named = std::getenv(k_inherited_lock_variable);
    int fd = -1;
    if (named != nullptr) {
        const std::string_view text(named);
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), fd);
        if (error != std::errc() || end != text.data() + text.size() || fd < 3 || ::fcntl(fd, F_GETFD) < 0) fd = -1;
    }
    ::unsetenv(k_inherited_lock_variable);
    return fd;
}

// In the detached process: the standard descriptors on the null device, the
// readiness pipe and a handed-down lock kept (close-on-exec, so the program
// never holds them), every other inherited descriptor closed.
void settle(int ready_fd, const std::filesystem::path& workdir) {
    int null = ::open("/dev/null", O_RDWR);
    for (int fd = 0; fd <= 2; ++fd) {
        if (null >= 0 && null != fd) ::dup2(null, fd);
    }
    if (null > 2) ::close(null);
    g_ready_fd = ::fcntl(ready_fd, F_DUPFD_CLOEXEC, 3);
    ::close(ready_fd);
    if (const int lock = inherited_lock(); lock >= 0) {
        g_held_lock_fd = ::fcntl(lock, F_DUPFD_CLOEXEC, 3);
        ::close(lock);
    }
    const int highest = std::max(g_ready_fd, g_held_lock_fd);
#if defined(__linux__)
    if (::close_range(static_cast<unsigned>(highest + 1), ~0U, 0) != 0)
#endif
        for (int fd = highest + 1; fd < 1024; ++fd) ::close(fd);
    for (int fd = 3; fd < highest; ++fd) {
        if (fd != g_ready_fd && fd != g_held_lock_fd) ::close(fd);
    }
    if (::chdir(workdir.c_str()) != 0 && ::chdir("/") != 0) {
        // the folder checks came earlier; "/" always exists
    }
}

}  // namespace

sdk::Expected<std::optional<int>> detach(const std::filesystem::path& workdir, std::chrono::seconds limit) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
        return sdk::unexpected(std::string("cannot create a pipe: ") + std::strerror(errno));
    pid_t first = ::fork();
    if (first < 0) {
        auto error = std::string("cannot fork: ") + std::strerror(errno);
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        return sdk::unexpected(std::move(error));
    }
    if (first > 0) {  // the caller
        ::close(pipe_fds[1]);
        int status = 0;
        while (::waitpid(first, &status, 0) < 0 && errno == EINTR) {
        }
        int code = await_answer(pipe_fds[0], limit);
        ::close(pipe_fds[0]);
        return std::optional<int>(code);
    }
    ::close(pipe_fds[0]);
    ::setsid();
    pid_t second = ::fork();
    if (second != 0) ::_exit(second < 0 ? 1 : 0);  // the middle process: its child is adopted by init
    settle(pipe_fds[1], workdir);
    return std::optional<int>();
}

void detach_ready() { tell_caller("ready"); }

void detach_failed(const std::string& why) { tell_caller(why); }

}  // namespace ductor::platform
