#pragma once
// A Host for unit tests of backends. It records every process a backend asks
// to run and answers from a script; files live in a private temp folder that
// serves as the user's home; paths outside it exist only when the test says so.

#include "temp_dir.hpp"

#include <ductor/sdk/host.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ductor::test {

class FakeHost : public sdk::Host {
public:
    FakeHost();

    // --- what the test arranges ------------------------------------------
    // Answers the next process whose argv starts with `argv_prefix` (first
    // matching rule wins; a rule answers every time unless `once`).
    void respond(std::vector<std::string> argv_prefix, sdk::ProcessResult result, bool once = false);
    // Shorthand for a started process with this exit code and output.
    static sdk::ProcessResult exited(int code, std::string out = {}, std::string err = {});
    // Makes a path outside the sandbox "exist" for path_exists().
    void pretend_exists(std::filesystem::path path) { m_pretend.insert(std::move(path)); }
    void set_env(std::string key, std::string value) { m_env[std::move(key)] = std::move(value); }
    void set_os(sdk::OsFamily os) { m_os = os; }
    void set_user_id(std::optional<std::uint32_t> uid) { m_uid = uid; }
    // Makes running_runner(name) report a live runner with this PID while the
    // runner's PID file exists in the sandbox (nullopt: none at all).
    void set_running_runner(const std::string& name, std::optional<long long> pid) { m_runners[name] = pid; }

    // --- what the test checks --------------------------------------------
    const std::vector<sdk::ProcessRequest>& calls() const { return m_calls; }
    // Every recorded argv, joined by spaces, for readable assertions.
    std::vector<std::string> call_lines() const;
    const std::vector<std::pair<sdk::LogLevel, std::string>>& log_lines() const { return m_logs; }
    const std::filesystem::path& root() const { return m_dir.path(); }

    // --- sdk::Host --------------------------------------------------------
    sdk::ProcessResult run_process(const sdk::ProcessRequest& request) override;
    void log(sdk::LogLevel level, std::string_view message) override;
    sdk::OsFamily os() const override { return m_os; }
    std::filesystem::path home_directory() const override { return m_dir.path() / "home"; }
    std::string user_name() const override { return "tester"; }
    std::optional<std::uint32_t> user_id() const override { return m_uid; }
    std::optional<std::string> environment(std::string_view key) const override;
    std::filesystem::path ductor_home() const override { return home_directory() / ".ductor"; }
    std::filesystem::path ductor_executable() const override { return "/opt/ductor/bin/ductor"; }
    bool path_exists(const std::filesystem::path& path) const override;
    std::optional<std::string> read_file(const std::filesystem::path& path) const override;
    std::vector<std::filesystem::path> list_directory(const std::filesystem::path& path) const override;
    sdk::Result write_file(const std::filesystem::path& path, std::string_view content,
                           std::filesystem::perms mode) override;
    sdk::Result remove_file(const std::filesystem::path& path) override;
    sdk::Result create_directories(const std::filesystem::path& path) override;
    std::optional<long long> running_runner(std::string_view name) const override;
    // Records the call and removes the runner's PID file; fails with
    // `stop_runner_failure` when the test set one.
    sdk::Result stop_runner(std::string_view name) override;
    std::vector<std::string> stopped_runners;
    std::string stop_runner_failure;

private:
    struct Rule {
        std::vector<std::string> prefix;
        sdk::ProcessResult result;
        bool once;
    };
    bool inside(const std::filesystem::path& path) const;

    TempDir m_dir;
    std::vector<Rule> m_rules;
    std::vector<sdk::ProcessRequest> m_calls;
    std::vector<std::pair<sdk::LogLevel, std::string>> m_logs;
    std::set<std::filesystem::path> m_pretend;
    std::map<std::string, std::string, std::less<>> m_env;
    sdk::OsFamily m_os = sdk::OsFamily::linux_os;
    std::optional<std::uint32_t> m_uid = 1000;
    std::map<std::string, std::optional<long long>, std::less<>> m_runners;
};

}  // namespace ductor::test
