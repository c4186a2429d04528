#pragma once
// Running work in a child process, so that whatever the work does (crash,
// exit, hang) cannot take this process with it. ductor uses it to run plugin
// code it has no reason to trust yet: `ductor plugins`, and reading every
// plugin's info before one is chosen.
//
// POSIX: fork() without exec. The child's stdin and stdout are /dev/null, its
// stderr is this process's; on Linux it is killed when this process dies. It
// reports to the parent through a pipe, one line at a time.
// Windows: no isolation (isolation_supported() is false); the jobs run in this
// process, one after the other, and what they do happens to this process.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::platform {

bool isolation_supported();

// The child's side of the pipe.
class Channel {
public:
    virtual ~Channel() = default;
    // Sends one line (without '\n'; a '\n' inside is replaced by a space).
    // Sending also tells the parent the child is alive (see `silence`).
    virtual void send(std::string_view line) = 0;
};

// Work for a child. It must not throw (a child whose job throws exits with code 70).
using IsolatedJob = std::function<void(Channel&)>;

struct IsolatedRun {
    enum class End {
        completed,    // the job returned
        exited,       // the child ended before the job returned: exit code in `code`
        signalled,    // killed by signal `code`
        timed_out,    // sent nothing for `silence` and was killed
        not_started,  // fork or pipe failed: `error`
    };
    std::vector<std::string> lines;  // what the job sent, in order
    End end = End::not_started;
    int code = 0;
    std::string error;
};

// Runs every job in its own child process, all at the same time, and waits for
// all of them. A child that sends no line for `silence` is killed (SIGKILL).
// Results are in the order of `jobs`. Call it from a single-threaded process
// (fork copies only the calling thread). Never throws.
std::vector<IsolatedRun> run_isolated(const std::vector<IsolatedJob>& jobs, std::chrono::milliseconds silence);

// "SIGSEGV" for 11 (on Linux), "signal 77" for a number without a name.
std::string signal_name(int signal);

}  // namespace ductor::platform
