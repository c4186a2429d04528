#include "fake_host.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/sdk/runner.hpp>

#include <algorithm>
#include <stdexcept>

namespace ductor::test {

FakeHost::FakeHost() { std::filesystem::create_directories(home_directory()); }

void FakeHost::respond(std::vector<std::string> argv_prefix, sdk::ProcessResult result, bool once) {
    m_rules.push_back(Rule{std::move(argv_prefix), std::move(result), once});
}

sdk::ProcessResult FakeHost::exited(int code, std::string out, std::string err) {
    sdk::ProcessResult result;
    result.started = true;
    result.exit_code = code;
    result.out = std::move(out);
    result.err = std::move(err);
    return result;
}

std::vector<std::string> FakeHost::call_lines() const {
    std::vector<std::string> lines;
    for (const auto& call : m_calls) {
        std::string line;
        for (const auto& arg : call.argv) line += (line.empty() ? "" : " ") + arg;
        lines.push_back(line);
    }
    return lines;
}

sdk::ProcessResult FakeHost::run_process(const sdk::ProcessRequest& request) {
    m_calls.push_back(request);
    for (auto it = m_rules.begin(); it != m_rules.end(); ++it) {
        const auto& prefix = it->prefix;
        if (prefix.size() > request.argv.size()) continue;
        if (!std::equal(prefix.begin(), prefix.end(), request.argv.begin())) continue;
        auto result = it->result;
        if (it->once) m_rules.erase(it);
        return result;
    }
    return exited(0);
}

void FakeHost::log(sdk::LogLevel level, std::string_view message) { m_logs.emplace_back(level, std::string(message)); }

std::optional<std::string> FakeHost::environment(std::string_view key) const {
    if (auto it = m_env.find(key); it != m_env.end()) return it->second;
    return std::nullopt;
}

bool FakeHost::inside(const std::filesystem::path& path) const {
    auto rel = path.lexically_normal().lexically_relative(m_dir.path());
    return !rel.empty() && *rel.begin() != "..";
}

bool FakeHost::path_exists(const std::filesystem::path& path) const {
    if (m_pretend.count(path) != 0) return true;
    std::error_code ec;
    return inside(path) && std::filesystem::exists(path, ec);
}

std::optional<std::string> FakeHost::read_file(const std::filesystem::path& path) const {
    if (!inside(path)) return std::nullopt;
    return platform::read_file(path);
}

std::vector<std::filesystem::path> FakeHost::list_directory(const std::filesystem::path& path) const {
    if (!inside(path)) return {};
    return platform::list_directory(path);
}

sdk::Result FakeHost::write_file(const std::filesystem::path& path, std::string_view content,
                                 std::filesystem::perms mode) {
    if (!inside(path)) return sdk::Result::failure("fake host: write outside the sandbox: " + path.string());
    return platform::write_file_atomic(path, content, mode);
}

sdk::Result FakeHost::remove_file(const std::filesystem::path& path) {
    if (!inside(path)) return sdk::Result::failure("fake host: remove outside the sandbox: " + path.string());
    return platform::remove_file(path);
}

sdk::Result FakeHost::create_directories(const std::filesystem::path& path) {
    if (!inside(path)) return sdk::Result::failure("fake host: mkdir outside the sandbox: " + path.string());
    return platform::create_directories(path);
}

std::optional<long long> FakeHost::running_runner(std::string_view name) const {
    // Like the real one: only while the runner's PID file is there.
    if (!path_exists(sdk::runner::pid_file(ductor_home(), name))) return std::nullopt;
    if (auto it = m_runners.find(name); it != m_runners.end()) return it->second;
    return std::nullopt;
}

sdk::Result FakeHost::stop_runner(std::string_view name) {
    stopped_runners.emplace_back(name);
    if (!stop_runner_failure.empty()) return sdk::Result::failure(stop_runner_failure);
    return remove_file(sdk::runner::pid_file(ductor_home(), name));
}

}  // namespace ductor::test
