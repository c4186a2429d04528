#pragma once
// The Host handed to plugins in production: real processes, real files, the
// core's spdlog logger.

#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/host.hpp>

namespace ductor::host {

class RealHost final : public sdk::Host {
public:
    RealHost();

    sdk::ProcessResult run_process(const sdk::ProcessRequest& request) override;
    void log(sdk::LogLevel level, std::string_view message) override;
    sdk::OsFamily os() const override;
    std::filesystem::path home_directory() const override { return m_home; }
    std::string user_name() const override { return m_user; }
    std::optional<std::uint32_t> user_id() const override;
    std::optional<std::string> environment(std::string_view key) const override;
    std::filesystem::path ductor_home() const override { return m_ductor_home; }
    std::filesystem::path ductor_executable() const override { return m_executable; }
    bool path_exists(const std::filesystem::path& path) const override;
    std::optional<std::string> read_file(const std::filesystem::path& path) const override;
    std::vector<std::filesystem::path> list_directory(const std::filesystem::path& path) const override;
    sdk::Result write_file(const std::filesystem::path& path, std::string_view content,
                           std::filesystem::perms mode) override;
    sdk::Result remove_file(const std::filesystem::path& path) override;
    sdk::Result create_directories(const std::filesystem::path& path) override;
    std::optional<long long> running_runner(std::string_view name) const override;
    sdk::Result stop_runner(std::string_view name) override;
    sdk::Result create_symlink(const std::filesystem::path& target, const std::filesystem::path& link) override;
    sdk::Result remove_all(const std::filesystem::path& path) override;

private:
    std::filesystem::path m_home;
    std::string m_user;
    std::filesystem::path m_ductor_home;
    std::filesystem::path m_executable;
};

// $DUCTOR_HOME when set and non-empty, else <home>/.ductor.
std::filesystem::path ductor_home_for(const std::filesystem::path& home);

// Whether the ductor home can be used: the reason when it cannot (DUCTOR_HOME or HOME relative).
sdk::Expected<void> check_ductor_home();

}  // namespace ductor::host
