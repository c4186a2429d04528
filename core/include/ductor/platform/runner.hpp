#pragma once
// The operating-system side of `ductor run` and `ductor stop`: a child in a
// process group of its own with its output on pipes, stop requests (signals
// on POSIX), an exclusive PID file, and facts about other processes.
// POSIX implementation: runner_posix.cpp. Windows (runner_win.cpp) puts the
// child in a Job Object that ends with the runner, maps "signal the group" to
// Ctrl-Break (when the runner has a console) or to ending the job, and takes
// stop requests from console control events and a named event.

#include <ductor/sdk/expected.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ductor::platform {

// The child's two output streams.
enum class Stream { out, err };

// Bytes read from one of the child's streams. `data` views the ChildGroup's
// own buffer: it stays valid until the next read_some() of that group or its end.
struct OutputChunk {
    Stream stream = Stream::out;
    std::string_view data;
};

// Stop requests the runner understands. POSIX numbers them as signals;
// Windows uses the same two numbers (15, 9) for its two kinds of request.
int stop_signal_terminate();  // SIGTERM
int stop_signal_kill();       // SIGKILL

// What to start: argv[0] is looked up on PATH; `environment` is added to
// (and overrides) the inherited one. stdin is the null device.
struct ChildRequest {
    std::vector<std::string> argv;
    std::vector<std::pair<std::string, std::string>> environment;
};

// A running child, leader of a new process group, with stdout and stderr on
// two pipes. The destructor does not kill it on POSIX and reaps nothing; on
// Windows it closes the group's Job Object, which ends what is left of it.
class ChildGroup {
public:
    // Starts the child; the reason on failure. Never throws.
    static sdk::Expected<std::unique_ptr<ChildGroup>> spawn(const ChildRequest& request);
    ~ChildGroup();
    ChildGroup(const ChildGroup&) = delete;
    ChildGroup& operator=(const ChildGroup&) = delete;

    long long pid() const { return m_pid; }
    // Waits up to `wait` for output; appends what arrived to `chunks` (the
    // data of chunks from an earlier call is no longer valid).
    // Returns when something was read, a stream closed, the wait passed, or
    // a signal interrupted the wait; also when a child of this process ended
    // while a StopRequests is alive (POSIX), or when the child ended after
    // its output did (Windows).
    void read_some(std::vector<OutputChunk>& chunks, std::chrono::milliseconds wait);
    // True while at least one of the output pipes is open or output is still to be read.
    bool output_open() const;
    // Sends `signal` to every process of the group; false when none is left.
    bool signal_group(int signal) const;
    // True while some process of the group exists (a zombie counts).
    bool group_alive() const;
    // The exit code once the child ended (128+N for signal N), reaping it;
    // nullopt while it runs. After the first value, the same value again.
    std::optional<int> try_wait();

private:
    struct Native;  // the platform's handles: pipes, and on Windows the process, its job and the readers
    ChildGroup();
    long long m_pid = -1;
    std::unique_ptr<Native> m_native;
    std::optional<int> m_exit;
};

// Catches stop requests (SIGTERM, SIGINT, SIGHUP) while alive and ignores
// SIGPIPE; restores the previous handlers when destroyed. One at a time.
// POSIX: a stop request or a SIGCHLD also wakes ChildGroup::read_some()
// through a self-pipe.
// Windows: console control events, and the named event send_signal() sets.
class StopRequests {
public:
    StopRequests();
    ~StopRequests();
    StopRequests(const StopRequests&) = delete;
    StopRequests& operator=(const StopRequests&) = delete;
    // The signal received since the last call, if any.
    std::optional<int> take();
};

// An exclusively locked PID file. The lock belongs to the open file, so it
// ends with this process (also when it is killed); children do not inherit it.
class PidLock {
public:
    // Another process holds the lock.
    struct Busy {
        std::string content;  // the holder's PID file content (may be empty while it starts)
    };
    // Why acquire() gave no lock: `busy` when another process holds it, else `error`.
    struct Refused {
        std::optional<Busy> busy;
        std::string error;
    };
    // Creates or opens `path` and locks it without waiting.
    static sdk::Expected<std::unique_ptr<PidLock>, Refused> acquire(const std::filesystem::path& path);
    // Removes the file, then releases the lock.
    ~PidLock();
    PidLock(const PidLock&) = delete;
    PidLock& operator=(const PidLock&) = delete;
    // Replaces the file's content. Never throws; false on failure.
    bool write(const std::string& content);
    // What the file held before this process took the lock: the record a dead
    // holder left behind (empty for a new file).
    const std::string& previous_content() const { return m_previous; }
    // Lets the programs this process starts from now on inherit the lock, named
    // in their environment as k_inherited_lock_variable: a runner that one of
    // them detaches keeps it until it is ready (see detach), so a command killed
    // while it starts a runner leaves the lock held until that runner is up, and
    // the next command finds it running instead of racing it. POSIX only (a
    // no-op on Windows); one lock per process at a time.
    void hand_to_children();

private:
    PidLock() = default;
    std::filesystem::path m_path;
    std::string m_previous;
    std::intptr_t m_file = -1;  // a file descriptor (POSIX) or a HANDLE (Windows)
    bool m_handed = false;
};

// The environment variable that names a lock handed to children (a descriptor number).
inline constexpr const char* k_inherited_lock_variable = "DUCTOR_SERVICE_LOCK_FD";

// True when some process holds the lock of the PID file at `path`.
bool pid_file_locked(const std::filesystem::path& path);

// This process's id.
long long current_pid();

// When `pid` started, in a unit that only needs to compare equal for the
// same process (clock ticks since boot on Linux); nullopt when it is gone.
std::optional<std::uint64_t> process_start_time(long long pid);

// True when `pid` exists and is not a zombie.
bool process_alive(long long pid);

// Sends `signal` to one process (group: to the process group `pid`).
// Windows: terminate asks a runner through its named event; kill, and any
// request to a group, end the process (or the runner's job for child `pid`).
enum class Target { process, group };
bool send_signal(long long pid, int signal, Target target);

// True while some process of the group that `pid` led (POSIX: process group
// `pid`; Windows: the runner's Job Object of child `pid`) is alive, also when
// its leader is gone.
bool group_alive(long long pid);

// True when stdout is a terminal.
bool stdout_is_terminal();

// True when stderr is a terminal.
bool stderr_is_terminal();

// Makes this process the reaper of its orphaned descendants (Linux:
// PR_SET_CHILD_SUBREAPER), so a program's grandchildren stay under it. Does
// nothing where the system has no such notion.
void become_subreaper();

// Sleeps up to `limit`; a signal ends the sleep early (POSIX).
void pause_for(std::chrono::milliseconds limit);

// Reaps every ended child of this process except `keep` (which try_wait()
// reaps), without waiting. Does nothing on Windows.
void reap_adopted(long long keep);

// `ductor run --detach`: leaves the caller's session, terminal and
// descriptors (POSIX: fork, setsid, fork; stdin, stdout and stderr on the null
// device; every other inherited descriptor closed but a lock handed down with
// PidLock::hand_to_children, which it holds until it answers; the working
// folder `workdir`). Returns nullopt in the detached process, which must call
// detach_ready() or detach_failed() once. In the calling process it returns
// the exit code to end with once the detached one answered: 0 when it is
// ready, 1 when it failed (its reason printed to stderr) or gave no answer
// within `limit`. On failure to detach at all, the reason (the caller ends
// with 1). Windows: not supported (the reason).
sdk::Expected<std::optional<int>> detach(const std::filesystem::path& workdir, std::chrono::seconds limit);
void detach_ready();
void detach_failed(const std::string& why);

}  // namespace ductor::platform
