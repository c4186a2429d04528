#pragma once
// How the backend reads what the runner (`ductor run`) leaves on disk; the
// file names and formats are the SDK's (<ductor/sdk/runner.hpp>). Reading
// them is locale-independent, unlike schtasks' translated status text.

#include <ductor/sdk/host.hpp>
#include <ductor/sdk/spec.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::taskscheduler {

// The runner's PID from its PID file (see <ductor/sdk/runner.hpp>), when the
// file exists and holds a record. Windows gives no cheap locale-independent
// check that the process is still the runner, so a PID file that exists
// counts as running; the runner removes it when it ends, and stop_service
// removes it after it ended the runner's tree.
std::optional<long long> runner_pid(const sdk::Host& host, std::string_view name);

// taskkill /F /T /FI "PID eq <pid>" /FI "IMAGENAME eq <image>": ends the
// runner's whole process tree, but only while <pid> is still the runner's
// image (a reused PID of another program is left alone; no match exits 0).
std::vector<std::string> taskkill_command(const std::filesystem::path& taskkill, long long pid, std::string_view image);

}  // namespace ductor::taskscheduler
