#pragma once
// The runit backend: each service is a runit service folder under the ductor
// home, enabled by a link in the folder a per-user runsvdir watches.
//
//   <watched>/<name>  -> <ductor home>/runit/<name>      the enable link
//   <ductor home>/runit/<name>/run                       the program, exec'd
//   <ductor home>/runit/<name>/finish                    the restart policy
//   <ductor home>/runit/<name>/log/run                   svlogd
//   <ductor home>/runit/<name>/down                      while stopped
//   <log dir>/runit-<name>/current                       the log (svlogd's)
//
// <watched> is $DUCTOR_RUNIT_DIR, else ~/.config/ductor/runit/service.

#include <ductor/sdk/backend.hpp>
#include <ductor/sdk/host.hpp>
#include <ductor/sdk/spec.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor_runit {

// Where one service's files are.
struct Layout {
    std::filesystem::path watched;  // the folder runsvdir watches
    std::filesystem::path link;     // <watched>/<name>
    std::filesystem::path service;  // <ductor home>/runit/<name>
    std::filesystem::path log_dir;  // svlogd's folder
};
Layout layout(const ductor::sdk::Host& host, const ductor::sdk::ServiceSpec& spec);

// The folder runsvdir must watch: $DUCTOR_RUNIT_DIR, else ~/.config/ductor/runit/service.
std::filesystem::path watched_folder(const ductor::sdk::Host& host);

// The scripts, pure functions of the spec (each a POSIX sh script).
std::string run_script(const ductor::sdk::Host& host, const ductor::sdk::ServiceSpec& spec);
std::string finish_script(const ductor::sdk::ServiceSpec& spec);
std::string log_run_script(const Layout& where);

// A runsvdir found in /proc: its PID and the folder it watches.
struct Runsvdir {
    long long pid = 0;
    std::filesystem::path folder;
};
// The runsvdirs of user `uid`, read from /proc/<pid>/cmdline and status
// through the Host (no child processes).
std::vector<Runsvdir> find_runsvdirs(const ductor::sdk::Host& host, std::uint32_t uid);
// Whether two absolute paths name the same folder ("/a/b/" and "/a/./b" do).
bool same_folder(const std::filesystem::path& a, const std::filesystem::path& b);

// One line of `sv status` ("run: /x: (pid 123) 5s; run: log: (pid 122) 5s").
struct SvStatus {
    std::string state;  // run, down, finish, fail, warning, ... (the first word)
    std::optional<long long> pid;
    std::string text;  // the line as sv printed it
};
std::optional<SvStatus> parse_sv_status(std::string_view out);

class RunitBackend final : public ductor::sdk::Backend {
public:
    explicit RunitBackend(ductor::sdk::Host& host) : m_host(host) {}

    ductor::sdk::Availability is_service_available() override;
    bool is_service_installed(const ductor::sdk::ServiceSpec& spec) override;
    ductor::sdk::Result install_service(const ductor::sdk::ServiceSpec& spec) override;
    ductor::sdk::Result start_service(const ductor::sdk::ServiceSpec& spec) override;
    ductor::sdk::Result stop_service(const ductor::sdk::ServiceSpec& spec) override;
    ductor::sdk::Result restart_service(const ductor::sdk::ServiceSpec& spec) override;
    ductor::sdk::Result uninstall_service(const ductor::sdk::ServiceSpec& spec) override;
    ductor::sdk::ServiceStatus service_status(const ductor::sdk::ServiceSpec& spec) override;
    ductor::sdk::LogSource service_logs(const ductor::sdk::ServiceSpec& spec,
                                        const ductor::sdk::LogRequest& request) override;
    ductor::sdk::Rendering render(const ductor::sdk::ServiceSpec& spec) override;

private:
    ductor::sdk::ProcessResult sv(std::vector<std::string> arguments, std::chrono::seconds timeout);
    std::optional<SvStatus> status_of(const std::filesystem::path& folder);
    // Polls `sv status` until `condition` holds or `deadline` passes.
    template <typename Condition>
    std::optional<SvStatus> wait_for(const std::filesystem::path& folder, std::chrono::seconds deadline,
                                     Condition condition);

    ductor::sdk::Host& m_host;
};

}  // namespace ductor_runit
