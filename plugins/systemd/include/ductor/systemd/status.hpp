#pragma once
// Turns `systemctl --user show -p ...` output into a ServiceStatus. Pure.

#include <ductor/sdk/backend.hpp>

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

// Parses "Key=Value" lines (unknown keys ignored) into a status. `file` decides
// not_installed when the manager does not know the unit either (and runs
// nothing of it). Where the manager and the file disagree — the unit runs
// but its file is gone, the file changed and was not loaded, the manager
// refuses the unit — the status carries a sdk::k_problem_detail field.
sdk::ServiceStatus parse_status(std::string_view show_output, UnitFile file);

}  // namespace ductor::systemd
