#pragma once
// Printing what backends return: dry-run renderings, status, logs (private to the CLI).

#include <ductor/cli/exit_code.hpp>
#include <ductor/output/json.hpp>
#include <ductor/sdk/backend.hpp>

#include <string>

namespace ductor::cli {

// "running", "not-installed", ...: the state as status and list print it.
const char* state_name(sdk::ServiceState state);

// Prints the files and commands of a dry run (a rendering without error); writes nothing.
ExitCode print_rendering(const sdk::Rendering& rendering, const std::string& backend);

// The object `status --json` prints (name, backend, state, installed, running, pid,
// last_exit_code, detail, error); the change reports of the other actions carry it too.
output::Json status_json(const sdk::ServiceStatus& status, const std::string& name, const std::string& backend);

// Prints the status as text or JSON; the exit code follows the state
// (0 running, 3 installed not running, 4 not installed, 1 unknown or a
// problem reported by the backend, see sdk::k_problem_detail).
ExitCode print_status(const sdk::ServiceStatus& status, const std::string& name, const std::string& backend, bool json);

// Runs the log command attached to the terminal, or prints/follows the files.
ExitCode show_logs(const sdk::LogSource& source, const sdk::LogRequest& request);

// A command line for humans: sdk::shell_join (arguments quoted POSIX-shell style where needed).
std::string display_command(const std::vector<std::string>& argv);

}  // namespace ductor::cli
