#pragma once
// Helpers for the runner tests: a `ductor run` started in the background,
// scripts written to a folder, waiting for a condition.

#include <ductor/platform/runner.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ductor::test {

using Env = std::vector<std::pair<std::string, std::string>>;

// The environment every runner test uses: its own ductor home, no plugins or
// backend from the developer, and no service manager around the runner.
Env runner_env(const std::filesystem::path& ductor_home);

// A `ductor ARGS...` started without waiting; its output is collected by wait().
class Background {
public:
    Background(const std::vector<std::string>& args, const Env& env);
    long long pid() const { return m_process->pid(); }
    // Waits up to `limit` for the exit; the exit code, or nullopt when it still runs.
    std::optional<int> wait(std::chrono::milliseconds limit);
    const std::string& out() const { return m_out; }
    const std::string& err() const { return m_err; }
    ~Background();  // still running: SIGTERM (the runner stops its program), then SIGKILL

private:
    std::unique_ptr<platform::ChildGroup> m_process;
    std::string m_out, m_err;
};

// Writes an executable sh script `name` with `body` into `dir`; returns its path.
std::filesystem::path write_script(const std::filesystem::path& dir, const std::string& name, const std::string& body);

// Polls `ready` every 20 ms for up to `limit`; its last answer.
bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds limit = std::chrono::seconds(5));

// The PID written to `file` (one number), once it holds one.
std::optional<long long> read_pid(const std::filesystem::path& file);

}  // namespace ductor::test
