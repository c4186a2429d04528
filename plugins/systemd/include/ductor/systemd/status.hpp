#pragma once
// Turns the unit properties the manager reports into a ServiceStatus. Pure.

#include <ductor/sdk/backend.hpp>
#include <ductor/systemd/manager.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ductor::systemd {

// The properties status asks for, in display order.
inline const std::vector<std::string> k_status_properties = {
    "LoadState",    "ActiveState",    "SubState",  "Result",    "UnitFileState",    "MainPID",
    "ExecMainCode", "ExecMainStatus", "NRestarts", "LoadError", "NeedDaemonReload", "FragmentPath"};

// Whether the unit file exists, as the caller found it.
enum class UnitFile { present, absent };

// The status of a unit with these properties (unknown keys ignored). `file`
// decides not_installed when the manager does not know the unit either (and
// runs nothing of it). Where the manager and the file disagree — the unit runs
// but its file is gone, the file changed and was not loaded, the manager
// refuses the unit — the status carries a sdk::k_problem_detail field.
sdk::ServiceStatus status_from(const Properties& properties, UnitFile file);

// "Key=Value" lines, as `systemctl show` prints them, as properties.
Properties parse_properties(std::string_view text);

// status_from(parse_properties(show_output), file).
sdk::ServiceStatus parse_status(std::string_view show_output, UnitFile file);

}  // namespace ductor::systemd
