#pragma once
// What the task runs: the runner (`ductorw.exe run ...`) in front of the
// program, because Task Scheduler sets no environment, captures no output and
// does not restart a program that exits non-zero (see task_xml.cpp).

#include <ductor/sdk/host.hpp>
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

// The runner's argv after its program name:
//   run --name N --restart P --restart-delay S [--log-dir D] -- PROGRAM ARGS...
std::vector<std::string> runner_arguments(const sdk::ServiceSpec& spec);

// "DOMAIN\user" when a domain is known and not empty, else "user".
std::string task_user_id(std::string_view user, const std::optional<std::string>& domain);

// A path as UTF-8 text (std::filesystem::path::string() may not be UTF-8 on Windows).
std::string utf8(const std::filesystem::path& path);

// The program the action starts.
struct Runner {
    std::filesystem::path executable;
    std::string note;  // set when the windowless runner was missing and ductor.exe is used
};

// ductorw.exe beside the ductor executable; the ductor executable itself (with
// a note: a console window opens) when ductorw.exe is absent.
Runner find_runner(const sdk::Host& host);

// Everything the task XML needs for `spec`, run through `runner` as `user`.
TaskDefinition task_definition(const sdk::ServiceSpec& spec, const std::filesystem::path& runner,
                               const std::string& user);

}  // namespace ductor::taskscheduler
