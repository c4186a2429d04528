#pragma once
// The runner's PID file record lives in the SDK (backends read it too);
// these names keep the runner's code short.

#include <ductor/sdk/runner.hpp>

namespace ductor::runner {

using sdk::runner::format_pid_record;
using sdk::runner::parse_pid_record;
using sdk::runner::PidRecord;
using sdk::runner::ProcessId;

}  // namespace ductor::runner
