#include <ductor/host/real_host.hpp>

#include <ductor/platform/files.hpp>
#include <ductor/platform/process.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/runner/stop.hpp>
#include <ductor/sdk/paths.hpp>
#include <ductor/sdk/runner.hpp>

#include <spdlog/spdlog.h>

#include <chrono>

namespace ductor::host {

std::filesystem::path ductor_home_for(const std::filesystem::path& home) {
    if (auto dir = platform::environment("DUCTOR_HOME"); dir && !dir->empty()) return sdk::path_from_utf8(*dir);
    return home / ".ductor";
}

sdk::Expected<void> check_ductor_home() {
    if (auto dir = platform::environment("DUCTOR_HOME");
        dir && !dir->empty() && !sdk::path_from_utf8(*dir).has_root_directory())
        return sdk::unexpected("DUCTOR_HOME '" + *dir + "' is not an absolute path");
    auto home = platform::home_directory();
    if (!home.has_root_directory())
        return sdk::unexpected("the home folder '" + home.string() + "' (HOME) is not an absolute path");
    return {};
}

RealHost::RealHost()
    : m_home(platform::home_directory()),
      m_user(platform::user_name()),
      m_ductor_home(ductor_home_for(m_home)),
      m_executable(platform::executable_path()) {}

sdk::ProcessResult RealHost::run_process(const sdk::ProcessRequest& request) {
    std::string line;
    for (const auto& arg : request.argv) line += (line.empty() ? "" : " ") + arg;
    spdlog::debug("running: {}", line);
    auto result = platform::run_captured(request);
    spdlog::debug("  -> exit {}{}", result.exit_code, result.timed_out ? " (timed out)" : "");
    return result;
}

void RealHost::log(sdk::LogLevel level, std::string_view message) {
    switch (level) {
        case sdk::LogLevel::debug: spdlog::debug("{}", message); break;
        case sdk::LogLevel::info: spdlog::info("{}", message); break;
        case sdk::LogLevel::warn: spdlog::warn("{}", message); break;
        case sdk::LogLevel::error: spdlog::error("{}", message); break;
    }
}

sdk::OsFamily RealHost::os() const { return platform::os_family(); }
std::optional<std::uint32_t> RealHost::user_id() const { return platform::user_id(); }

std::optional<std::string> RealHost::environment(std::string_view key) const {
    return platform::environment(std::string(key));
}

bool RealHost::path_exists(const std::filesystem::path& path) const {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

std::optional<std::string> RealHost::read_file(const std::filesystem::path& path) const {
    return platform::read_file(path);
}

std::vector<std::filesystem::path> RealHost::list_directory(const std::filesystem::path& path) const {
    return platform::list_directory(path);
}

sdk::Result RealHost::write_file(const std::filesystem::path& path, std::string_view content,
                                 std::filesystem::perms mode) {
    spdlog::debug("writing {}", path.string());
    return sdk::to_result(platform::write_file_atomic(path, content, mode));
}

sdk::Result RealHost::remove_file(const std::filesystem::path& path) {
    spdlog::debug("removing {}", path.string());
    return sdk::to_result(platform::remove_file(path));
}

sdk::Result RealHost::create_directories(const std::filesystem::path& path) {
    return sdk::to_result(platform::create_directories(path));
}

std::optional<long long> RealHost::running_runner(std::string_view name) const {
    return runner::running_runner(sdk::runner::pid_file(m_ductor_home, name));
}

sdk::Result RealHost::stop_runner(std::string_view name) {
    auto report = runner::stop_runner(sdk::runner::pid_file(m_ductor_home, name));
    std::string said;
    for (const auto& sentence : report.said) said += (said.empty() ? "" : "; ") + sentence;
    if (report.failed) return sdk::Result::failure("the runner of '" + std::string(name) + "': " + said);
    spdlog::info("the runner of '{}': {}", name, said);
    return sdk::Result::success();
}

sdk::Result RealHost::create_symlink(const std::filesystem::path& target, const std::filesystem::path& link) {
    spdlog::debug("linking {} -> {}", link.string(), target.string());
    std::error_code ec;
    if (std::filesystem::is_directory(std::filesystem::symlink_status(link, ec)))
        return sdk::Result::failure("cannot make " + link.string() + " a link: it is a folder");
    if (auto made = platform::create_directories(link.parent_path()); !made) return sdk::to_result(std::move(made));
    // A temp link beside the target name, renamed over it: readers see the old
    // entry or the new link, never neither.
    auto temp = link;
    temp.replace_filename("." + link.filename().string() + ".tmp-link-" +
                          std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::remove(temp, ec);
    std::filesystem::create_symlink(target, temp, ec);
    if (ec) return sdk::Result::failure("cannot create the link " + link.string() + ": " + ec.message());
    std::filesystem::rename(temp, link, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
        return sdk::Result::failure("cannot create the link " + link.string() + ": " + ec.message());
    }
    return sdk::Result::success();
}

sdk::Result RealHost::remove_all(const std::filesystem::path& path) {
    spdlog::debug("removing {} and everything in it", path.string());
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (ec) return sdk::Result::failure("cannot remove " + path.string() + ": " + ec.message());
    return sdk::Result::success();
}

}  // namespace ductor::host
