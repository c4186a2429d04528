// `ductor run`: check the options, then hand over to the supervision loop.
#include "commands.hpp"

#include <ductor/host/real_host.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/runner/supervisor.hpp>

#include <spdlog/spdlog.h>

namespace ductor::cli {

int run_command(const RunCommand& command) {
    auto supervised =
        runner::supervised_from(platform::environment("DUCTOR_SUPERVISOR"), platform::environment("INVOCATION_ID"));
    auto home = host::ductor_home_for(platform::home_directory());
    auto options = runner::make_options(command, home, supervised);
    if (auto* error = std::get_if<std::string>(&options)) {
        spdlog::error("{}", *error);
        return to_int(ExitCode::usage);
    }
    return runner::run_supervised(std::get<runner::RunOptions>(options));
}

}  // namespace ductor::cli
