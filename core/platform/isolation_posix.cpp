// POSIX implementation of <ductor/platform/isolation.hpp>: fork, a pipe, poll.
#include <ductor/platform/isolation.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <exception>
#include <optional>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace ductor::platform {
namespace {

using Clock = std::chrono::steady_clock;

// The line a child sends after its job returned; a job's lines never contain '\x1e'.
constexpr std::string_view k_completed = "\x1e completed";
constexpr int k_job_threw = 70;

class PipeChannel final : public Channel {
public:
    explicit PipeChannel(int fd) : m_fd(fd) {}
    void send(std::string_view line) override {
        std::string text(line);
        for (auto& c : text) {
            if (c == '\n') c = ' ';
        }
        text += '\n';
        std::string_view rest = text;
        while (!rest.empty()) {
            ssize_t n = ::write(m_fd, rest.data(), rest.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) ::_exit(k_job_threw);  // the parent is gone
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
    }

private:
    int m_fd;
};

[[noreturn]] void child_main(const IsolatedJob& job, int fd, pid_t parent) {
#if defined(__SANITIZE_ADDRESS__)
    // A plugin may end this child with exit() in the middle of a call, when what
    // the child holds cannot be freed: not a leak to report on the parent's stderr.
    __lsan_disable();
#endif
#if defined(__linux__)
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(k_job_threw);
#else
    (void)parent;
#endif
    int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        ::dup2(null, STDIN_FILENO);
        ::dup2(null, STDOUT_FILENO);
    }
    PipeChannel channel(fd);
    try {
        job(channel);
    } catch (...) {
        ::_exit(k_job_threw);
    }
    channel.send(k_completed);
    ::_exit(0);  // no atexit handlers, no static destructors, no stdio flush: those are the parent's
}

struct Child {
    pid_t pid = -1;
    int fd = -1;
    std::string pending;
    Clock::time_point deadline;
    bool completed = false;
    bool done = false;
    IsolatedRun run;
};

void take_lines(Child& child, const char* data, std::size_t size) {
    child.pending.append(data, size);
    std::size_t start = 0;
    for (auto nl = child.pending.find('\n'); nl != std::string::npos; nl = child.pending.find('\n', start)) {
        std::string line = child.pending.substr(start, nl - start);
        start = nl + 1;
        if (line == k_completed)
            child.completed = true;
        else
            child.run.lines.push_back(std::move(line));
    }
    child.pending.erase(0, start);
}

void finish(Child& child, int status) {
    if (child.fd >= 0) {
        char buffer[4096];
        ssize_t n;
        while ((n = ::read(child.fd, buffer, sizeof buffer)) > 0)
            take_lines(child, buffer, static_cast<std::size_t>(n));
        ::close(child.fd);
        child.fd = -1;
    }
    if (child.completed && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        child.run.end = IsolatedRun::End::completed;
    } else if (WIFSIGNALED(status)) {
        child.run.end = IsolatedRun::End::signalled;
        child.run.code = WTERMSIG(status);
    } else {
        child.run.end = IsolatedRun::End::exited;
        child.run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    child.done = true;
}

std::optional<int> reap(pid_t pid, bool block) {
    int status = 0;
    for (;;) {
        pid_t r = ::waitpid(pid, &status, block ? 0 : WNOHANG);
        if (r == pid) return status;
        if (r == 0) return std::nullopt;
        if (errno != EINTR) return 0;  // not our child any more (SIGCHLD ignored): count it as exited 0
    }
}

// A child that closed its pipe is almost always ending: give it a moment to
// become reapable instead of sleeping a whole polling interval.
void settle(pid_t pid) {
    for (int i = 0; i < 200; ++i) {
        siginfo_t info{};
        if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid)
            return;
        ::sched_yield();
    }
}

Child start(const IsolatedJob& job, std::chrono::milliseconds silence) {
    Child child;
    int fds[2];
    if (::pipe(fds) != 0) {
        child.run.error = std::string("cannot create a pipe: ") + std::strerror(errno);
        child.done = true;
        return child;
    }
    ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    const pid_t parent = ::getpid();
    child.pid = ::fork();
    if (child.pid == 0) {
        ::close(fds[0]);
        child_main(job, fds[1], parent);
    }
    ::close(fds[1]);
    if (child.pid < 0) {
        child.run.error = std::string("cannot start a child process: ") + std::strerror(errno);
        ::close(fds[0]);
        child.done = true;
        return child;
    }
    ::fcntl(fds[0], F_SETFL, O_NONBLOCK);  // a grandchild may hold the pipe open: never block on it
    child.fd = fds[0];
    child.deadline = Clock::now() + silence;
    return child;
}

// One round of waiting: reads what is there, reaps what ended, kills what is silent too long.
void wait_round(std::vector<Child>& children, std::chrono::milliseconds silence) {
    std::vector<pollfd> fds;
    std::vector<Child*> owners;
    auto now = Clock::now();
    auto next = now + silence;
    bool lingering = false;  // a child closed its pipe but has not ended yet
    for (auto& child : children) {
        if (child.done) continue;
        next = std::min(next, child.deadline);
        if (child.fd >= 0) {
            fds.push_back({child.fd, POLLIN, 0});
            owners.push_back(&child);
        } else {
            lingering = true;
        }
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1;
    if (lingering) wait = std::min<long long>(wait, 5);
    ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(wait, 0)));
    for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        Child& child = *owners[i];
        char buffer[4096];
        ssize_t n = ::read(child.fd, buffer, sizeof buffer);
        if (n > 0) {
            take_lines(child, buffer, static_cast<std::size_t>(n));
            child.deadline = Clock::now() + silence;
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            ::close(child.fd);
            child.fd = -1;
            settle(child.pid);
        }
    }
    now = Clock::now();
    for (auto& child : children) {
        if (child.done) continue;
        if (auto status = reap(child.pid, false)) {
            finish(child, *status);
        } else if (now >= child.deadline) {
            ::kill(child.pid, SIGKILL);
            reap(child.pid, true);
            if (child.fd >= 0) ::close(child.fd);
            child.fd = -1;
            child.run.end = IsolatedRun::End::timed_out;
            child.done = true;
        }
    }
}

}  // namespace

bool isolation_supported() { return true; }

std::vector<IsolatedRun> run_isolated(const std::vector<IsolatedJob>& jobs, std::chrono::milliseconds silence) {
    std::vector<Child> children;
    children.reserve(jobs.size());
    for (const auto& job : jobs) children.push_back(start(job, silence));
    auto running = [&] {
        for (const auto& child : children) {
            if (!child.done) return true;
        }
        return false;
    };
    while (running()) wait_round(children, silence);
    std::vector<IsolatedRun> runs;
    runs.reserve(children.size());
    for (auto& child : children) runs.push_back(std::move(child.run));
    return runs;
}

std::string signal_name(int signal) {
    switch (signal) {
        case SIGSEGV: return "SIGSEGV";
        case SIGABRT: return "SIGABRT";
        case SIGBUS: return "SIGBUS";
        case SIGILL: return "SIGILL";
        case SIGFPE: return "SIGFPE";
        case SIGKILL: return "SIGKILL";
        case SIGTERM: return "SIGTERM";
        case SIGINT: return "SIGINT";
        case SIGHUP: return "SIGHUP";
        case SIGQUIT: return "SIGQUIT";
        case SIGPIPE: return "SIGPIPE";
        case SIGALRM: return "SIGALRM";
        case SIGTRAP: return "SIGTRAP";
        case SIGSYS: return "SIGSYS";
        case SIGUSR1: return "SIGUSR1";
        case SIGUSR2: return "SIGUSR2";
        default: return "signal " + std::to_string(signal);
    }
}

}  // namespace ductor::platform
