#pragma once
// What the task runs: the runner (`ductorw.exe run ...`) in front of the
// program, because Task Scheduler sets no environment, captures no output and
// does not restart a program that exits non-zero (see task_xml.cpp).
//
// The action carries only `run --definition FILE`: Task Scheduler expands
// %NAME% environment references in an exec action's Command, Arguments and
// WorkingDirectory (IExecAction, ExecAction), with no escape, and caps Command
// and WorkingDirectory at 260 characters ([MS-TSCH] 2.5.1.4 pathType). The
// program, its arguments, environment and working folder therefore travel in
// a run definition file (sdk::runner::format_definition) that the runner reads
// byte for byte; so does a moved ductor home (--home), since a task starts the
// runner without the user's DUCTOR_HOME. Only the definition file's own path,
// under the ductor home, is in the action.

#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/host.hpp>
#include <ductor/sdk/paths.hpp>
#include <ductor/sdk/spec.hpp>
#include <ductor/taskscheduler/task_xml.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::taskscheduler {

// The runner's restart delay when the spec has none: the same minute Task
// Scheduler's own RestartOnFailure waits.
inline constexpr std::chrono::seconds k_default_restart_delay{60};

// The ductor home the runner must be told (--home): the host's, when the user
// moved it (DUCTOR_HOME set and not empty, see sdk::moved_ductor_home);
// nullopt when the runner finds the default home by itself.
std::optional<std::filesystem::path> runner_home(const sdk::Host& host);

// The runner's argv after its program name, as the definition file holds it;
// `home` is runner_home()'s answer:
//   run --name N --log-to file [--log-dir D] --restart P --restart-delay S
//       [--workdir D] [--home D] [--env K=V]... -- PROGRAM ARGS...
std::vector<std::string> runner_arguments(const sdk::ServiceSpec& spec,
                                          const std::optional<std::filesystem::path>& home);

// <ductor home>/tasks/<name>.run: the run definition the task's action names.
std::filesystem::path definition_file(const std::filesystem::path& ductor_home, std::string_view name);

// The definition file's text for `spec` and `home` (runner_arguments()
// without "run"), or why the spec cannot be run as a task: a batch program
// (.bat, .cmd), a program command line longer than CreateProcessW takes
// (32,767 characters), text that is not UTF-8 or holds NUL, CR or LF.
sdk::Expected<std::string> render_definition(const sdk::ServiceSpec& spec,
                                             const std::optional<std::filesystem::path>& home);

// "DOMAIN\user" when a domain is known and not empty, else "user".
std::string task_user_id(std::string_view user, const std::optional<std::string>& domain);

// A path as UTF-8 text: the SDK's (std::filesystem::path::string() may not be UTF-8 on Windows).
using sdk::utf8;

// The program the action starts.
struct Runner {
    std::filesystem::path executable;
    std::string note;  // set when the windowless runner was missing and ductor.exe is used
};

// ductorw.exe beside the ductor executable; the ductor executable itself (with
// a note: a console window opens) when ductorw.exe is absent.
Runner find_runner(const sdk::Host& host);

// Everything the task XML needs for `spec`, run through `runner` as `user`
// from the definition file `definition`: Command is the runner, Arguments is
// `run --definition FILE`, there is no WorkingDirectory (the runner changes to
// the spec's folder itself).
TaskDefinition task_definition(const sdk::ServiceSpec& spec, const std::filesystem::path& runner,
                               const std::string& user, const std::filesystem::path& definition);

// Nothing when Task Scheduler carries `task` unchanged, else why not: a '%'
// in Command or Arguments (they would be expanded; in Arguments only the
// definition file's path, under the ductor home, can hold one), a Command over
// 260 UTF-16 characters (pathType), or a field that is not valid UTF-8.
sdk::Expected<void> check_action(const TaskDefinition& task);

}  // namespace ductor::taskscheduler
