// The runit backend's operations: files through the Host, runit through `sv`.
#include "runit.hpp"

#include <ductor/sdk/paths.hpp>
#include <ductor/sdk/shell.hpp>

#include <thread>

namespace ductor_runit {
namespace sdk = ductor::sdk;
namespace {

using std::chrono::seconds;
namespace fs = std::filesystem;

constexpr fs::perms k_script_mode = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec;
// runsvdir looks at its folder every 5 s; sv waits this long for a state.
constexpr seconds k_pickup_deadline{20};
constexpr seconds k_sv_wait{30};

std::string sv_failure(const std::string& what, const sdk::ProcessResult& result) {
    if (!result.started) return what + ": cannot run sv: " + result.error;
    if (result.timed_out) return what + ": sv did not answer in time";
    auto text = result.out + result.err;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return what + " (sv exit " + std::to_string(result.exit_code) + ")" + (text.empty() ? "" : ": " + text);
}

// runsv watches the folder: it answers `sv status` with a state of the service.
bool supervised(const std::optional<SvStatus>& status) {
    return status && (status->state == "run" || status->state == "down" || status->state == "finish");
}

}  // namespace

sdk::ProcessResult RunitBackend::sv(std::vector<std::string> arguments, seconds timeout) {
    sdk::ProcessRequest request;
    request.argv = {"sv"};
    request.argv.insert(request.argv.end(), arguments.begin(), arguments.end());
    request.timeout = timeout + seconds(10);
    auto result = m_host.run_process(request);
    m_host.log(sdk::LogLevel::debug, sdk::shell_join(request.argv) + ": exit " + std::to_string(result.exit_code));
    return result;
}

std::optional<SvStatus> RunitBackend::status_of(const fs::path& folder) {
    auto result = sv({"status", sdk::utf8(folder)}, seconds(10));
    if (!result.started || result.timed_out) return std::nullopt;
    return parse_sv_status(result.out.empty() ? result.err : result.out);
}

template <typename Condition>
std::optional<SvStatus> RunitBackend::wait_for(const fs::path& folder, seconds deadline, Condition condition) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        auto status = status_of(folder);
        if (condition(status)) return status;
        if (std::chrono::steady_clock::now() >= until) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

sdk::Availability RunitBackend::is_service_available() {
    if (m_host.os() != sdk::OsFamily::linux_os)
        return {false, "the runit backend finds runsvdir through Linux's /proc"};
    const auto uid = m_host.user_id();
    if (!uid) return {false, "no numeric user id"};
    const auto watched = watched_folder(m_host);
    for (const auto& found : find_runsvdirs(m_host, *uid)) {
        if (same_folder(found.folder, watched))
            return {true, "runsvdir (pid " + std::to_string(found.pid) + ") watches " + sdk::utf8(watched)};
    }
    return {false, "no runsvdir of uid " + std::to_string(*uid) + " watches " + sdk::utf8(watched) +
                       " (start one: runsvdir -P " + sdk::shell_quote(sdk::utf8(watched)) +
                       ", or point DUCTOR_RUNIT_DIR at the folder yours watches)"};
}

bool RunitBackend::is_service_installed(const sdk::ServiceSpec& spec) {
    return m_host.path_exists(layout(m_host, spec).service / "run");
}

sdk::Rendering RunitBackend::render(const sdk::ServiceSpec& spec) {
    const auto where = layout(m_host, spec);
    sdk::Rendering rendering;
    rendering.files.push_back({where.service / "run", run_script(m_host, spec), {}, k_script_mode});
    rendering.files.push_back({where.service / "finish", finish_script(spec), {}, k_script_mode});
    rendering.files.push_back({where.service / "log" / "run", log_run_script(where), {}, k_script_mode});
    const bool reinstall = m_host.path_exists(where.link) && is_service_installed(spec);
    // A fresh service starts when runsv picks it up; an installed one restarts
    // so that runsv runs the new `run`.
    if (reinstall)
        rendering.commands.push_back(
            {"sv", "-w", std::to_string(k_sv_wait.count()), "restart", sdk::utf8(where.service)});
    else
        rendering.commands.push_back({"sv", "up", sdk::utf8(where.service)});
    rendering.notes.push_back("enabled by the link " + sdk::utf8(where.link) + " -> " + sdk::utf8(where.service) +
                              " in the folder runsvdir watches");
    return rendering;
}

sdk::Result RunitBackend::install_service(const sdk::ServiceSpec& spec) {
    const auto where = layout(m_host, spec);
    auto rendering = render(spec);
    if (!rendering.error.empty()) return sdk::Result::failure(rendering.error);
    for (const auto& file : rendering.files)
        if (auto written = m_host.write_file(file.path, file.content, file.mode); !written.ok) return written;
    if (auto removed = m_host.remove_file(where.service / "down"); !removed.ok) return removed;
    if (auto linked = m_host.create_symlink(where.service, where.link); !linked.ok) return linked;
    if (!wait_for(where.service, k_pickup_deadline, supervised))
        return sdk::Result::failure("runsv did not take up " + sdk::utf8(where.service) + " within " +
                                    std::to_string(k_pickup_deadline.count()) + " s: is runsvdir watching " +
                                    sdk::utf8(where.watched) + "?");
    for (const auto& command : rendering.commands) {
        auto arguments = std::vector<std::string>(command.begin() + 1, command.end());
        if (auto result = sv(arguments, k_sv_wait); !result.succeeded())
            return sdk::Result::failure(sv_failure("starting " + spec.name, result));
    }
    sdk::Result result;
    for (auto& note : rendering.notes) result.note(note);
    return result;
}

sdk::Result RunitBackend::start_service(const sdk::ServiceSpec& spec) {
    const auto where = layout(m_host, spec);
    if (!is_service_installed(spec)) return sdk::Result::failure("'" + spec.name + "' is not installed");
    if (auto removed = m_host.remove_file(where.service / "down"); !removed.ok) return removed;
    auto result = sv({"-w", std::to_string(k_sv_wait.count()), "start", sdk::utf8(where.service)}, k_sv_wait);
    if (!result.succeeded()) return sdk::Result::failure(sv_failure("starting " + spec.name, result));
    return sdk::Result::success();
}

sdk::Result RunitBackend::stop_service(const sdk::ServiceSpec& spec) {
    const auto where = layout(m_host, spec);
    if (!is_service_installed(spec)) return sdk::Result::success().note("'" + spec.name + "' is not installed");
    // `down` keeps it stopped when runsv itself starts again (runsvdir restarted).
    if (auto written = m_host.write_file(where.service / "down", "", fs::perms::owner_read | fs::perms::owner_write);
        !written.ok)
        return written;
    if (!supervised(status_of(where.service))) return sdk::Result::success().note("runsv does not run it");
    auto result = sv({"-w", std::to_string(k_sv_wait.count()), "force-stop", sdk::utf8(where.service)}, k_sv_wait);
    if (!result.succeeded()) return sdk::Result::failure(sv_failure("stopping " + spec.name, result));
    return sdk::Result::success();
}

sdk::Result RunitBackend::restart_service(const sdk::ServiceSpec& spec) {
    const auto where = layout(m_host, spec);
    if (!is_service_installed(spec)) return sdk::Result::failure("'" + spec.name + "' is not installed");
    if (auto removed = m_host.remove_file(where.service / "down"); !removed.ok) return removed;
    auto result = sv({"-w", std::to_string(k_sv_wait.count()), "restart", sdk::utf8(where.service)}, k_sv_wait);
    if (!result.succeeded()) return sdk::Result::failure(sv_failure("restarting " + spec.name, result));
    return sdk::Result::success();
}

sdk::Result RunitBackend::uninstall_service(const sdk::ServiceSpec& spec) {
    const auto where = layout(m_host, spec);
    // The link first, so that runsvdir does not start runsv again.
    if (auto removed = m_host.remove_file(where.link); !removed.ok) return removed;
    if (!m_host.path_exists(where.service)) {
        auto result = m_host.remove_all(where.log_dir);
        return result.ok ? result.note("'" + spec.name + "' was not installed") : result;
    }
    sdk::Result outcome;
    if (supervised(status_of(where.service))) {
        sv({"-w", std::to_string(k_sv_wait.count()), "force-stop", sdk::utf8(where.service)}, k_sv_wait);
        sv({"exit", sdk::utf8(where.service)}, seconds(10));
        // runsv holds supervise/lock while it runs; sv says "fail" once it is gone.
        if (!wait_for(where.service, k_pickup_deadline, [](const auto& s) { return !supervised(s); }))
            outcome.note("runsv of " + sdk::utf8(where.service) +
                         " did not exit in time; its folder is removed anyway");
    }
    if (auto removed = m_host.remove_all(where.service); !removed.ok) return removed;
    if (auto removed = m_host.remove_all(where.log_dir); !removed.ok) return removed;
    return outcome;
}

sdk::ServiceStatus RunitBackend::service_status(const sdk::ServiceSpec& spec) {
    const auto where = layout(m_host, spec);
    sdk::ServiceStatus status;
    if (!is_service_installed(spec)) {
        status.state = sdk::ServiceState::not_installed;
        return status;
    }
    status.detail.push_back({"ServiceFolder", sdk::utf8(where.service)});
    const bool linked = m_host.path_exists(where.link);
    auto sv_status = status_of(where.service);
    if (sv_status) status.detail.push_back({"sv", sv_status->text});
    if (!linked)
        status.detail.push_back(
            {sdk::k_problem_detail, "not enabled: the link " + sdk::utf8(where.link) + " is missing"});
    if (sv_status && sv_status->state == "run") {
        status.state = sdk::ServiceState::running;
        status.pid = sv_status->pid;
    } else if (sv_status && sv_status->state == "finish") {
        status.state = sdk::ServiceState::starting;
    } else if (sv_status && sv_status->state == "down") {
        status.state = sdk::ServiceState::stopped;
    } else if (!linked) {
        status.state = sdk::ServiceState::stopped;
    } else {
        status.state = sdk::ServiceState::unknown;
        status.error = "runsv does not answer for " + sdk::utf8(where.service) + " (" +
                       (sv_status ? sv_status->text : std::string("no answer from sv")) + "): is runsvdir watching " +
                       sdk::utf8(where.watched) + "?";
    }
    return status;
}

sdk::LogSource RunitBackend::service_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest&) {
    const auto where = layout(m_host, spec);
    sdk::LogSource source;
    // svlogd's rotated files are named @<TAI64N>.s/.u: by name is by age.
    for (const auto& entry : m_host.list_directory(where.log_dir)) {
        const auto name = entry.filename().string();
        if (name.size() > 2 && name[0] == '@' && (name.back() == 's' || name.back() == 'u'))
            source.files.push_back(entry);
    }
    if (m_host.path_exists(where.log_dir / "current")) source.files.push_back(where.log_dir / "current");
    if (source.files.empty()) source.error = "no log yet in " + sdk::utf8(where.log_dir);
    return source;
}

}  // namespace ductor_runit
