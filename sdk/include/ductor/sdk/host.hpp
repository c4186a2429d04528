#pragma once
// The Host is a plugin's only door to the outside world. The core creates one
// and hands it to the plugin's factory; tests hand in a fake that records what
// the plugin asked for. A plugin keeps the reference for its lifetime (the core
// guarantees the Host outlives every backend it created) and uses no global
// state, no std::system, no direct child processes of its own.
//
// Threads: the core calls a backend from one thread at a time; Host methods may
// be called from that thread. Exceptions: Host methods do not throw; failures
// come back as values.

#include <ductor/sdk/result.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::sdk {

// One child process to run to completion. argv[0] is looked up on PATH when it
// has no directory part. Never a shell string.
struct ProcessRequest {
    std::vector<std::string> argv;
    std::optional<std::string> stdin_data;  // empty: stdin is /dev/null
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};
    std::vector<std::pair<std::string, std::string>> environment;  // added to the inherited one
};

// What a finished (or unstartable) child reported.
struct ProcessResult {
    bool started = false;    // false: could not be started at all; see `error`
    bool timed_out = false;  // true: killed after the request's timeout
    int exit_code = -1;      // exit status, or 128+N when ended by signal N
    std::string out;         // everything it wrote to stdout
    std::string err;         // everything it wrote to stderr
    std::string error;       // why it could not be started (e.g. "no such file")

    bool succeeded() const { return started && !timed_out && exit_code == 0; }
};

enum class LogLevel { debug, info, warn, error };

// The operating system the core runs on, decided when the core was built.
enum class OsFamily { linux_os, macos, windows, other };

class Host {
public:
    virtual ~Host() = default;

    // --- processes -------------------------------------------------------
    // Runs a child to completion and captures its output.
    virtual ProcessResult run_process(const ProcessRequest& request) = 0;

    // --- logging ---------------------------------------------------------
    // Logs through the core's logger (the core decides what -v/-q show).
    virtual void log(LogLevel level, std::string_view message) = 0;

    // --- the user and the machine ---------------------------------------
    virtual OsFamily os() const = 0;
    virtual std::filesystem::path home_directory() const = 0;  // the user's home
    virtual std::string user_name() const = 0;                 // login name
    virtual std::optional<std::uint32_t> user_id() const = 0;  // numeric uid (POSIX only)
    virtual std::optional<std::string> environment(std::string_view key) const = 0;
    virtual std::filesystem::path ductor_home() const = 0;        // $DUCTOR_HOME or ~/.ductor
    virtual std::filesystem::path ductor_executable() const = 0;  // absolute path of `ductor`

    // --- files ------------------------------------------------------------
    // Plugins touch files only through these, so a fake Host can sandbox them.
    virtual bool path_exists(const std::filesystem::path& path) const = 0;
    // The whole file; nullopt when it cannot be read (missing, a folder, no permission).
    virtual std::optional<std::string> read_file(const std::filesystem::path& path) const = 0;
    // Entries of a folder (full paths, sorted by name); empty when it does not exist.
    virtual std::vector<std::filesystem::path> list_directory(const std::filesystem::path& path) const = 0;
    // Writes atomically: a temp file in the same folder, fsync, rename, then
    // `mode` (POSIX permission bits). Creates missing parent folders (0755).
    // On failure the target is untouched and no temp file is left behind.
    virtual Result write_file(const std::filesystem::path& path, std::string_view content,
                              std::filesystem::perms mode) = 0;
    // Removes a file; removing a missing file succeeds.
    virtual Result remove_file(const std::filesystem::path& path) = 0;
    // Creates a folder and its parents; an existing folder succeeds.
    virtual Result create_directories(const std::filesystem::path& path) = 0;

    // --- the runner (ABI 1.1) -------------------------------------------------
    // The PID of the `ductor run` of service `name` when one runs now: its
    // PID file is locked by a live runner whose start time matches the record
    // (a stale file or a reused PID gives nullopt). Locale-independent; no
    // child processes.
    virtual std::optional<long long> running_runner(std::string_view name) const = 0;
    // Ends the `ductor run` of service `name` and its whole process tree the
    // way `ductor stop` does (stop request, the runner's grace period, then
    // kill), and cleans a stale PID file. Success when nothing runs.
    virtual Result stop_runner(std::string_view name) = 0;

    // --- links and whole folders (ABI 2.1) --------------------------------
    // Makes `link` a symbolic link to `target` (stored as given, not
    // resolved; a relative target is read from the link's folder). An
    // existing link or file at `link` is replaced atomically (a temp link
    // beside it, renamed over it); an existing folder there is a failure.
    // Creates missing parent folders (0755). Windows may refuse symbolic
    // links to an unprivileged user: that comes back as a failure.
    virtual Result create_symlink(const std::filesystem::path& target, const std::filesystem::path& link) = 0;
    // Removes `path` and, when it is a folder, everything below it. Symbolic
    // links are removed, never followed. Removing a missing path succeeds.
    virtual Result remove_all(const std::filesystem::path& path) = 0;
};

// Whether anything is at `path` in its folder: what path_exists() sees, or a
// symbolic link whose target is missing (which path_exists() follows to nothing).
inline bool entry_exists(const Host& host, const std::filesystem::path& path) {
    if (host.path_exists(path)) return true;
    for (const auto& entry : host.list_directory(path.parent_path()))
        if (entry.filename() == path.filename()) return true;
    return false;
}

// Why an install must not write over `path` without --force: what is there is not
// a definition ductor wrote (`is_ours(text)` is false), or cannot be read (a
// folder, a file without read permission, a symbolic link to nothing), so that
// ductor cannot tell. nullopt when nothing is there or it is ductor's own.
template <class IsOurs>
std::optional<std::string> foreign_definition(const Host& host, const std::filesystem::path& path, IsOurs is_ours) {
    if (const auto text = host.read_file(path)) {
        if (is_ours(*text)) return std::nullopt;
        return path.string() +
               " exists and was not written by ductor; choose another --name, or add --force to "
               "replace it";
    }
    if (!entry_exists(host, path)) return std::nullopt;
    return path.string() +
           " exists but cannot be read, so ductor cannot tell whether it wrote it; choose another --name, or add "
           "--force to replace it";
}

}  // namespace ductor::sdk
