// `ductor run`: check the options, then hand over to the supervision loop,
// in the foreground or (--detach) in a process of its own.
#include "commands.hpp"

#include <ductor/host/real_host.hpp>
#include <ductor/platform/files.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/runner/supervisor.hpp>
#include <ductor/sdk/paths.hpp>
#include <ductor/sdk/runner.hpp>

#include <spdlog/spdlog.h>

namespace ductor::cli {
namespace {

// How long `run --detach` waits for the detached runner to hold its name.
constexpr std::chrono::seconds k_detach_limit{30};

int run_detached(const runner::RunOptions& options) {
    auto workdir = options.working_directory.value_or(std::filesystem::path("/"));
    auto detached = platform::detach(workdir, k_detach_limit);
    if (!detached) {
        spdlog::error("{}", detached.error());
        return 1;
    }
    if (auto caller_exit = *detached) return *caller_exit;
    // The detached runner: the caller waits for this answer.
    return runner::run_supervised(options, [](const sdk::Expected<void>& readiness) {
        if (readiness)
            platform::detach_ready();
        else
            platform::detach_failed(readiness.error());
    });
}

// The run command a definition file holds (see sdk::runner::format_definition), or why there is none.
sdk::Expected<RunCommand> read_definition(const std::string& file) {
    auto refuse = [&file](const std::string& why) { return sdk::unexpected("--definition " + file + ": " + why); };
    auto text = platform::read_file(sdk::path_from_utf8(file));
    if (!text) return refuse("the file cannot be read");
    auto arguments = sdk::runner::parse_definition(*text);
    if (!arguments)
        return refuse("not a run definition (it must start with the line '" +
                      std::string(sdk::runner::k_definition_header) + "')");
    arguments->insert(arguments->begin(), "run");
    try {
        auto invocation = parse_command_line(*arguments, std::nullopt);
        if (auto* run = std::get_if<RunCommand>(&invocation.command); run && !run->definition) return *run;
    } catch (const UsageError& error) {
        return refuse(error.what());
    }
    return refuse("the file does not hold a runner command line");
}

}  // namespace

int run_command(const RunCommand& command) {
    if (command.definition) {
        auto defined = read_definition(*command.definition);
        if (!defined) throw UsageError(defined.error(), "ductor run --help");
        return run_command(*defined);
    }
    // A detached runner is its program's only supervisor, whoever started it.
    auto supervised = command.detach ? runner::Supervised::no
                                     : runner::supervised_from(platform::environment("DUCTOR_SUPERVISOR"),
                                                               platform::environment("INVOCATION_ID"));
    auto home = host::ductor_home_for(platform::home_directory());
    auto options = runner::make_options(command, home, supervised);
    if (!options) throw UsageError(options.error(), "ductor run --help");
    const auto& checked = *options;
    // --home: as if DUCTOR_HOME were set, for this process and the program it starts.
    if (command.home) {
        if (auto exported = platform::set_environment("DUCTOR_HOME", *command.home); !exported) {
            spdlog::error("--home {}: {}", *command.home, exported.error());
            return to_int(ExitCode::failed);
        }
    }
    if (checked.detach) return run_detached(checked);
    if (checked.working_directory) {
        std::error_code ec;
        std::filesystem::current_path(*checked.working_directory, ec);
        if (ec) {
            spdlog::error("--workdir {}: {}", checked.working_directory->string(), ec.message());
            return to_int(ExitCode::failed);
        }
    }
    return runner::run_supervised(checked);
}

}  // namespace ductor::cli
