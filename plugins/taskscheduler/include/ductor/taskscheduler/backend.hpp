#pragma once
// The taskscheduler backend: a per-user Task Scheduler logon task (Windows)
// that runs the program through the windowless runner, managed with schtasks.
// It needs no administrator rights: the task's trigger and principal name the
// current user only.

#include <ductor/sdk/backend.hpp>
#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/installed_query.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ductor::taskscheduler {

class TaskSchedulerBackend final : public sdk::Backend, public sdk::InstalledQuery {
public:
    // Keeps a reference to `host`, which must outlive the backend.
    explicit TaskSchedulerBackend(sdk::Host& host) : m_host(host) {}

    // Windows with %SystemRoot%\System32\schtasks.exe present; no child processes.
    sdk::Availability is_service_available() override;
    // `schtasks /Query /TN <name>` exits 0.
    bool is_service_installed(const sdk::ServiceSpec& spec) override;
    // The same query, with "unknown" and schtasks' reason when it could not
    // answer (access denied, not started, timed out) instead of "no".
    sdk::Installed query_installed(const sdk::ServiceSpec& spec) override;
    // Installed and the runner's PID file names a PID.
    bool is_service_running(const sdk::ServiceSpec& spec) override;
    // Writes the run definition <ductor home>/tasks/<name>.run (owner-only),
    // then <ductor home>/<name>_task.xml, /Create /F from it, removes the XML
    // (also on failure), then /Run. A re-install ends the running task first;
    // a failed /Create puts the previous definition back.
    sdk::Result install_service(const sdk::ServiceSpec& spec) override;
    // /Run
    sdk::Result start_service(const sdk::ServiceSpec& spec) override;
    // /End, then ends what is left of the runner's process tree (Host::stop_runner).
    sdk::Result stop_service(const sdk::ServiceSpec& spec) override;
    // Stops as above, then /Delete /F and removes the run definition; succeeds
    // with a note when nothing is installed.
    sdk::Result uninstall_service(const sdk::ServiceSpec& spec) override;
    // Installed from /Query's exit code, running and PID from the runner's PID file.
    sdk::ServiceStatus service_status(const sdk::ServiceSpec& spec) override;
    // The runner's log files, oldest first.
    sdk::LogSource service_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest& request) override;
    // The run definition, the task XML (UTF-16LE bytes, UTF-8 preview) and the
    // /Create and /Run commands; an error for what Task Scheduler or Windows
    // cannot carry unchanged (see action.hpp), and (unless spec.overwrite
    // allows it) for an existing task of that name whose action is not
    // ductor's runner (read with /Query /XML where Task Scheduler is here).
    sdk::Rendering render(const sdk::ServiceSpec& spec) override;

private:
    // Whether the task exists; a query that could not tell is an error instead.
    enum class Presence { installed, absent };
    using Query = sdk::Expected<Presence>;

    // Whether calls still pass /HRESULT: dropped for good once schtasks
    // showed that it does not know the switch.
    enum class HResultSwitch { passed, dropped };

    std::filesystem::path schtasks() const;
    std::filesystem::path xml_file(const sdk::ServiceSpec& spec) const;
    // Runs one schtasks call; a call refused for its /HRESULT
    // switch is made once more without it, and so are all later calls.
    sdk::ProcessResult call(const std::vector<std::string>& argv);
    sdk::ProcessResult run(const std::vector<std::string>& argv);
    Query query(const sdk::ServiceSpec& spec);
    Query presence(const sdk::ServiceSpec& spec, const sdk::ProcessResult& result) const;
    sdk::Expected<void> check_replaceable(const sdk::ServiceSpec& spec, std::optional<Query>& seen);
    // render(), keeping what its /Query /XML said about the task's presence in `seen`.
    sdk::Rendering render(const sdk::ServiceSpec& spec, std::optional<Query>& seen);
    sdk::Expected<void> register_task(const sdk::ServiceSpec& spec, const sdk::RenderedFile& file);
    sdk::Expected<void> end_task(const sdk::ServiceSpec& spec);
    sdk::Result end_runner_tree(const sdk::ServiceSpec& spec);

    sdk::Host& m_host;
    HResultSwitch m_hresult = HResultSwitch::passed;
};

}  // namespace ductor::taskscheduler
