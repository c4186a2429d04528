#include "commands.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace ductor::cli {

void setup_logging(Verbosity verbosity) {
    spdlog::drop("ductor");
    auto logger = spdlog::stderr_color_mt("ductor");
    logger->set_pattern("ductor: %^%l%$: %v");
    switch (verbosity) {
        case Verbosity::quiet: logger->set_level(spdlog::level::err); break;
        case Verbosity::normal: logger->set_level(spdlog::level::info); break;
        case Verbosity::verbose: logger->set_level(spdlog::level::debug); break;
    }
    spdlog::set_default_logger(logger);
}

}  // namespace ductor::cli
