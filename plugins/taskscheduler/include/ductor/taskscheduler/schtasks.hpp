#pragma once
// The schtasks.exe calls the backend makes, as argv vectors, and how their
// outcome is read without depending on the display language: every call asks
// for /HRESULT exit codes, so "access denied" is the exit code 0x80070005;
// the translated message text is only a fallback (also for a schtasks that
// does not know /HRESULT, such as Wine's: see hresult_not_understood).

#include <ductor/sdk/host.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::taskscheduler {

// E_ACCESSDENIED, as schtasks /HRESULT reports it.
inline constexpr std::uint32_t k_access_denied = 0x80070005;

// %SystemRoot%\System32\<program> (e.g. schtasks.exe), from the Host's
// environment, joined with backslashes; nullopt when SystemRoot is unset.
std::optional<std::filesystem::path> system_program(const sdk::Host& host, std::string_view program);

// schtasks /Create /TN <name> /XML <file> /F /HRESULT (/F: replace a task of that name).
std::vector<std::string> create_command(const std::filesystem::path& schtasks, std::string_view name,
                                        const std::filesystem::path& xml_file);
// schtasks /Run /TN <name> /HRESULT
std::vector<std::string> run_command(const std::filesystem::path& schtasks, std::string_view name);
// schtasks /End /TN <name> /HRESULT
std::vector<std::string> end_command(const std::filesystem::path& schtasks, std::string_view name);
// schtasks /Delete /TN <name> /F /HRESULT (/F: no confirmation prompt)
std::vector<std::string> delete_command(const std::filesystem::path& schtasks, std::string_view name);
// schtasks /Query /TN <name> /HRESULT: exit code 0 when the task exists.
std::vector<std::string> query_command(const std::filesystem::path& schtasks, std::string_view name);
// schtasks /Query /TN <name> /XML ONE /HRESULT: the task's definition as XML on stdout.
std::vector<std::string> query_xml_command(const std::filesystem::path& schtasks, std::string_view name);

// True when a call that passed /HRESULT was refused because this schtasks
// does not know the switch (older Windows builds, Wine): exit code exactly 1
// (with /HRESULT, real failures exit with an HRESULT such as 0x80070002) and
// a message that names the switch, or no message at all (Wine is silent).
bool hresult_not_understood(const sdk::ProcessResult& result);

// `argv` without its /HRESULT switch.
std::vector<std::string> without_hresult(std::vector<std::string> argv);

// True when a schtasks call succeeded: exit code 0, or one of Task
// Scheduler's informational success codes SCHED_S_* (0x000413xx, e.g.
// SCHED_S_TASK_NOT_RUNNING for /End of a task that is not running), which
// /HRESULT reports as non-zero exit codes.
bool succeeded(const sdk::ProcessResult& result);

// True when a finished schtasks call was refused for lack of rights: the
// HRESULT exit code 0x80070005, or (fallback for builds without /HRESULT) a
// known "access denied" message in its output.
bool is_access_denied(const sdk::ProcessResult& result);

// A one-paragraph reason for a failed call: what failed, exit code in hex,
// schtasks' own message, and for access denied a hint about elevation.
std::string describe_failure(std::string_view what, const sdk::ProcessResult& result);

}  // namespace ductor::taskscheduler
