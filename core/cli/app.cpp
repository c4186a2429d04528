#include <ductor/cli/app.hpp>

#include "command_table.hpp"
#include "commands.hpp"

#include <ductor/cli/terminal.hpp>
#include <ductor/host/real_host.hpp>
#include <ductor/output/text.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/plugin/info_cache.hpp>

#include <spdlog/spdlog.h>

#include <iostream>

namespace ductor {
namespace {

// The search path from the global options, the environment and the executable's place.
// (Its type is not spelled here: windows.h, which spdlog includes there, defines SearchPath as a macro.)
auto plugin_search_path(const cli::GlobalOptions& global, const sdk::Host& host) {
    plugin::SearchInputs inputs;
    inputs.plugin_dirs = global.plugin_dirs;
    inputs.env_path = host.environment("DUCTOR_PLUGIN_PATH");
    inputs.executable = host.ductor_executable();
    inputs.beside_executable = DUCTOR_PLUGIN_DIR_FROM_EXECUTABLE;
    inputs.system_dir = DUCTOR_SYSTEM_PLUGIN_DIR;
    return plugin::build_search_path(inputs);
}

// Runs the command its table entry names, with the backends opened first when it needs them.
int dispatch(const cli::Invocation& inv) {
    if (auto* help = std::get_if<cli::HelpRequest>(&inv.command)) {
        std::cout << help->text;
        return cli::to_int(cli::ExitCode::success);
    }
    const auto& entry = *inv.entry;
    if (entry.needs == cli::Needs::nothing) return entry.handle(inv, nullptr);
    if (auto home = host::check_ductor_home(); !home && entry.needs == cli::Needs::backends)
        throw cli::UsageError(home.error(), "ductor --help");
    host::RealHost host;  // outlives the registry, which holds the plugins
    auto search_path = plugin_search_path(inv.global, host);
    if (!search_path.errors.empty()) throw cli::UsageError(search_path.errors.front(), "ductor --help");
    for (const auto& warning : search_path.warnings) spdlog::warn("{}", warning);
    plugin::Registry registry(search_path, host, plugin::InfoCache::default_file());
    const cli::Backends backends{registry, host};
    return entry.handle(inv, &backends);
}

}  // namespace

int run(int argc, char** argv) {
    try {
        cli::setup_logging(cli::Verbosity::normal);        // errors of the parse share the one format
        auto args = platform::utf8_arguments(argc, argv);  // UTF-8 on every platform
        auto inv = cli::parse_command_line(args, platform::environment("DUCTOR_BACKEND"));
        cli::setup_logging(inv.global.verbosity);
        return dispatch(inv);
    } catch (const cli::UsageError& e) {
        cli::print_error(output::printable(e.what()), {"Try '" + e.help_hint() + "'."});
        return cli::to_int(cli::ExitCode::usage);
    } catch (const std::exception& e) {
        cli::print_error(e.what());
        return cli::to_int(cli::ExitCode::failed);
    } catch (...) {
        cli::print_error("unexpected failure");
        return cli::to_int(cli::ExitCode::failed);
    }
}

}  // namespace ductor
