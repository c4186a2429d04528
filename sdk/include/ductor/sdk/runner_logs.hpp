#pragma once
// service_logs() for a backend whose program runs under `ductor run --log-to
// file` (SDK 2.2; part of the SDK library, `ductor::sdk`): the runner's files
// are the service's logs.

#include <ductor/sdk/backend.hpp>
#include <ductor/sdk/host.hpp>
#include <ductor/sdk/spec.hpp>

#include <string_view>

namespace ductor::sdk::runner {

// The runner's log files of `spec`, oldest first: its rotated files, then its
// live file (runner::log_path in runner::log_directory). When there is no file
// yet: with request.follow the live file (the core waits for it), otherwise
// the error "no log yet at <file>: the runner writes it once <what> has
// started". Reads the folder through the Host; writes nothing.
LogSource log_source(const Host& host, const ServiceSpec& spec, const LogRequest& request, std::string_view what);

}  // namespace ductor::sdk::runner
