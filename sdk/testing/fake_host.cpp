#include <ductor/sdk_testing/fake_host.hpp>

#include <ductor/sdk/runner.hpp>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace ductor::sdk_testing {
namespace {

namespace fs = std::filesystem;

fs::path make_sandbox() {
    static std::atomic<unsigned> counter{0};
    std::random_device entropy;
    const auto base = fs::temp_directory_path();
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto name = "ductor-test-" + std::to_string(entropy()) + "-" + std::to_string(counter++);
        std::error_code ec;
        if (fs::create_directory(base / name, ec) && !ec) return base / name;
    }
    throw std::runtime_error("cannot create a temp folder in " + base.string());
}

sdk::Result failure(const std::string& what, const fs::path& path, const std::error_code& ec) {
    return sdk::Result::failure(what + " " + path.string() + ": " + ec.message());
}

}  // namespace

FakeHost::FakeHost() : m_root(make_sandbox()) { fs::create_directories(home_directory()); }

FakeHost::~FakeHost() {
    std::error_code ignored;
    fs::remove_all(m_root, ignored);
}

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
    if (m_responder) {
        if (auto answer = m_responder(request)) return *answer;
    }
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

bool FakeHost::inside(const fs::path& path) const {
    auto rel = path.lexically_normal().lexically_relative(m_root);
    return !rel.empty() && *rel.begin() != "..";
}

bool FakeHost::path_exists(const fs::path& path) const {
    if (m_pretend.count(path) != 0) return true;
    std::error_code ec;
    return inside(path) && fs::exists(path, ec);
}

std::optional<std::string> FakeHost::read_file(const fs::path& path) const {
    std::error_code ec;
    if (!inside(path) || fs::is_directory(path, ec)) return std::nullopt;  // a folder, as the real host
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return buffer.str();
}

std::vector<fs::path> FakeHost::list_directory(const fs::path& path) const {
    std::vector<fs::path> entries;
    if (!inside(path)) return entries;
    std::error_code ec;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(it->path());
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
    return entries;
}

sdk::Result FakeHost::write_file(const fs::path& path, std::string_view content, fs::perms mode) {
    if (!inside(path)) return sdk::Result::failure("fake host: write outside the sandbox: " + path.string());
    if (auto made = create_directories(path.parent_path()); !made.ok) return made;
    auto temp = path;
    temp.replace_filename("." + path.filename().string() + ".tmp");
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out) {
            std::error_code ignored;
            fs::remove(temp, ignored);
            return sdk::Result::failure("fake host: cannot write " + temp.string());
        }
    }
    std::error_code ec;
    fs::permissions(temp, mode, ec);
    if (!ec) fs::rename(temp, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        return failure("fake host: cannot write", path, ec);
    }
    m_writes.push_back({path, std::string(content), mode});
    return sdk::Result::success();
}

sdk::Result FakeHost::remove_file(const fs::path& path) {
    if (!inside(path)) return sdk::Result::failure("fake host: remove outside the sandbox: " + path.string());
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(path, ec)))
        return sdk::Result::failure("fake host: " + path.string() + " is a folder");
    fs::remove(path, ec);
    if (ec) return failure("fake host: cannot remove", path, ec);
    return sdk::Result::success();
}

sdk::Result FakeHost::create_directories(const fs::path& path) {
    if (!inside(path)) return sdk::Result::failure("fake host: mkdir outside the sandbox: " + path.string());
    std::error_code ec;
    if (fs::is_directory(path, ec)) return sdk::Result::success();
    fs::create_directories(path, ec);
    if (ec && !fs::is_directory(path)) return failure("fake host: cannot create the folder", path, ec);
    return sdk::Result::success();
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

sdk::Result FakeHost::create_symlink(const fs::path& target, const fs::path& link) {
    if (!inside(link)) return sdk::Result::failure("fake host: link outside the sandbox: " + link.string());
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(link, ec)))
        return sdk::Result::failure("fake host: cannot make " + link.string() + " a link: it is a folder");
    if (auto made = create_directories(link.parent_path()); !made.ok) return made;
    auto temp = link;
    temp.replace_filename("." + link.filename().string() + ".tmp-link");
    fs::remove(temp, ec);
    fs::create_symlink(target, temp, ec);
    if (!ec) fs::rename(temp, link, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        return failure("fake host: cannot create the link", link, ec);
    }
    return sdk::Result::success();
}

sdk::Result FakeHost::remove_all(const fs::path& path) {
    if (!inside(path)) return sdk::Result::failure("fake host: remove outside the sandbox: " + path.string());
    std::error_code ec;
    fs::remove_all(path, ec);
    if (ec) return failure("fake host: cannot remove", path, ec);
    return sdk::Result::success();
}

}  // namespace ductor::sdk_testing
