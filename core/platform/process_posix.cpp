// POSIX implementation of <ductor/platform/process.hpp> over posix_spawn.
#include <ductor/platform/process.hpp>

#include "posix_spawn_support.hpp"

#include <ductor/sdk/paths.hpp>

#include <cerrno>
#include <optional>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ductor::platform {
namespace {

using Clock = std::chrono::steady_clock;

// Owns a file descriptor; closes it once.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd&& other) noexcept : m_fd(other.release()) {}
    Fd& operator=(Fd&& other) noexcept {
        reset(other.release());
        return *this;
    }
    ~Fd() { reset(); }
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }
    void reset(int fd = -1) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = fd;
    }

private:
    int m_fd = -1;
};

struct Pipe {
    Fd read, write;
};

std::optional<Pipe> make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
    return Pipe{Fd(fds[0]), Fd(fds[1])};
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return posix::decode_status(status);
}

// Waits for `pid` until `deadline`; nullopt when it is still running then.
std::optional<int> wait_until(pid_t pid, Clock::time_point deadline) {
    while (true) {
        int status = 0;
        pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) return posix::decode_status(status);
        if (done < 0 && errno != EINTR) return -1;
        if (Clock::now() >= deadline) return std::nullopt;
        ::usleep(2000);
    }
}

// Blocks SIGPIPE on this thread while alive, so writing to a child that
// exited gives EPIPE instead of killing the process; a SIGPIPE raised
// meanwhile is consumed before the old mask comes back.
class BlockBrokenPipe {
public:
    BlockBrokenPipe() {
        sigset_t pipe_only;
        sigemptyset(&pipe_only);
        sigaddset(&pipe_only, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        m_was_pending = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &pipe_only, &m_old);
    }
    ~BlockBrokenPipe() {
        sigset_t pending;
        sigpending(&pending);
        if (!m_was_pending && sigismember(&pending, SIGPIPE) == 1) {
            sigset_t pipe_only;
            sigemptyset(&pipe_only);
            sigaddset(&pipe_only, SIGPIPE);
            timespec zero{0, 0};
            sigtimedwait(&pipe_only, nullptr, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    BlockBrokenPipe(const BlockBrokenPipe&) = delete;
    BlockBrokenPipe& operator=(const BlockBrokenPipe&) = delete;

private:
    sigset_t m_old{};
    bool m_was_pending = false;
};

// Pumps stdin/stdout/stderr until both outputs close or the deadline passes.
bool pump(Fd& in, std::string_view input, Fd& out, Fd& err, sdk::ProcessResult& result, Clock::time_point deadline) {
    char buffer[65536];
    while (out.get() >= 0 || err.get() >= 0) {
        pollfd fds[3] = {{out.get(), POLLIN, 0}, {err.get(), POLLIN, 0}, {in.get(), POLLOUT, 0}};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return false;
        int ready = ::poll(fds, 3, static_cast<int>(std::min<long long>(left, 1000)));
        if (ready < 0 && errno != EINTR) return false;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0)
                (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
            else if (n == 0 || errno != EINTR)
                (i == 0 ? out : err).reset();
        }
        if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
            ssize_t n = input.empty() ? 0 : ::write(in.get(), input.data(), input.size());
            if (n > 0) input.remove_prefix(static_cast<std::size_t>(n));
            if (input.empty() || (n < 0 && errno != EINTR && errno != EAGAIN)) in.reset();  // EPIPE: input done
        }
    }
    return true;
}

// argv[0] as an absolute path (PATH lookup without relative entries), or why not.
sdk::Expected<std::string> resolve_program(const std::string& name) {
    if (auto found = find_executable(name)) return found->string();
    return sdk::unexpected(name + ": " + std::strerror(ENOENT) +
                           (name.find('/') == std::string::npos ? " (not found on PATH)" : " (or not executable)"));
}

}  // namespace

sdk::ProcessResult run_captured(const sdk::ProcessRequest& request) {
    sdk::ProcessResult result;
    if (request.argv.empty()) {
        result.error = "empty command";
        return result;
    }
    auto program = resolve_program(request.argv[0]);
    if (!program) {
        result.error = std::move(program).error();
        return result;
    }
    auto in = make_pipe(), out = make_pipe(), err = make_pipe();
    if (!in || !out || !err) {
        result.error = std::string("cannot create pipes: ") + std::strerror(errno);
        return result;
    }
    ::fcntl(in->write.get(), F_SETFL, O_NONBLOCK);
    int pid = 0;
    if (int rc = posix::spawn_in_new_group(*program, request.argv, request.environment, in->read.get(),
                                           out->write.get(), err->write.get(), pid);
        rc != 0) {
        result.error = request.argv[0] + ": " + std::strerror(rc);
        return result;
    }
    result.started = true;
    in->read.reset();
    out->write.reset();
    err->write.reset();
    if (!request.stdin_data) in->write.reset();
    const auto deadline = Clock::now() + request.timeout;
    std::string_view input = request.stdin_data ? std::string_view(*request.stdin_data) : std::string_view{};
    BlockBrokenPipe no_sigpipe;
    auto code =
        pump(in->write, input, out->read, err->read, result, deadline) ? wait_until(pid, deadline) : std::nullopt;
    if (!code) {  // the deadline passed, with its output open or after closing it
        ::kill(-pid, SIGKILL);
        result.timed_out = true;
        code = wait_for(pid);
    }
    result.exit_code = *code;
    return result;
}

sdk::Expected<int> run_attached(const std::vector<std::string>& argv_in) {
    if (argv_in.empty()) return sdk::unexpected("empty command");
    auto program = resolve_program(argv_in[0]);
    if (!program) return sdk::unexpected(std::move(program).error());
    auto args = argv_in;
    auto argv = posix::c_strings(args);
    struct sigaction ignore {
    }, old_int{}, old_quit{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGINT, &ignore, &old_int);
    ::sigaction(SIGQUIT, &ignore, &old_quit);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGQUIT);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    int rc = ::posix_spawn(&pid, program->c_str(), nullptr, &attr, argv.data(), environ);
    posix_spawnattr_destroy(&attr);
    sdk::Expected<int> result = 0;
    if (rc != 0)
        result = sdk::unexpected(argv_in[0] + ": " + std::strerror(rc));
    else
        result = wait_for(pid);
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGQUIT, &old_quit, nullptr);
    return result;
}

bool is_executable_file(const std::filesystem::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::optional<std::filesystem::path> find_executable(std::string_view name, std::optional<std::string> path_value) {
    if (name.empty()) return std::nullopt;
    if (name.find('/') != std::string_view::npos) {
        std::error_code ec;
        auto absolute = std::filesystem::absolute(std::filesystem::path(name), ec);
        if (ec || !is_executable_file(absolute)) return std::nullopt;
        return absolute.lexically_normal();
    }
    if (!path_value) {
        const char* env = std::getenv("PATH");
        path_value = env != nullptr ? env : "/usr/local/bin:/usr/bin:/bin";
    }
    for (const auto& dir : sdk::absolute_path_entries(*path_value, ':')) {
        auto candidate = std::filesystem::path(dir) / name;
        if (is_executable_file(candidate)) return candidate.lexically_normal();
    }
    return std::nullopt;
}

}  // namespace ductor::platform
