#pragma once
// A Host for unit tests of backends (the testing library
// `ductor::sdk_testing`, SDK 2.1). It records every process a backend asks to
// run and answers from a script; files live in a private temp folder that
// serves as the user's home, removed with everything in it when the host
// dies; paths outside it exist only when the test says so, and writes outside
// it fail. Not thread-safe (neither is a backend's caller). C++17.

#include <ductor/sdk/host.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ductor::sdk_testing {

class FakeHost : public sdk::Host {
public:
    // Creates the sandbox under the system temp folder; throws
    // std::runtime_error when it cannot.
    FakeHost();
    ~FakeHost() override;
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    // --- what the test arranges ------------------------------------------
    // Answers the next process whose argv starts with `argv_prefix` (first
    // matching rule wins; a rule answers every time unless `once`).
    void respond(std::vector<std::string> argv_prefix, sdk::ProcessResult result, bool once = false);
    // A responder asked before the rules: a model of a manager that keeps
    // state (what `stop` did changes what `status` says). nullopt: not
    // answered, the rules decide. Process requests no rule or responder
    // answers exit 0 with no output.
    using Responder = std::function<std::optional<sdk::ProcessResult>(const sdk::ProcessRequest&)>;
    void set_responder(Responder responder) { m_responder = std::move(responder); }
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
    // Every successful write_file(), in order (also of files removed since).
    struct Write {
        std::filesystem::path path;
        std::string content;
        std::filesystem::perms mode;
    };
    const std::vector<Write>& writes() const { return m_writes; }
    // The sandbox folder (the home is root()/"home").
    const std::filesystem::path& root() const { return m_root; }

    // --- sdk::Host --------------------------------------------------------
    sdk::ProcessResult run_process(const sdk::ProcessRequest& request) override;
    void log(sdk::LogLevel level, std::string_view message) override;
    sdk::OsFamily os() const override { return m_os; }
    std::filesystem::path home_directory() const override { return m_root / "home"; }
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
    // ABI 2.1: inside the sandbox only (the link's target may point anywhere).
    sdk::Result create_symlink(const std::filesystem::path& target, const std::filesystem::path& link) override;
    sdk::Result remove_all(const std::filesystem::path& path) override;

private:
    struct Rule {
        std::vector<std::string> prefix;
        sdk::ProcessResult result;
        bool once;
    };
    bool inside(const std::filesystem::path& path) const;

    std::filesystem::path m_root;
    std::vector<Rule> m_rules;
    Responder m_responder;
    std::vector<sdk::ProcessRequest> m_calls;
    std::vector<Write> m_writes;
    std::vector<std::pair<sdk::LogLevel, std::string>> m_logs;
    std::set<std::filesystem::path> m_pretend;
    std::map<std::string, std::string, std::less<>> m_env;
    sdk::OsFamily m_os = sdk::OsFamily::linux_os;
    std::optional<std::uint32_t> m_uid = 1000;
    std::map<std::string, std::optional<long long>, std::less<>> m_runners;
};

}  // namespace ductor::sdk_testing
