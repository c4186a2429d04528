#include <ductor/cli/terminal.hpp>

#include <ductor/output/text.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/platform/system.hpp>

#include <spdlog/spdlog.h>

#include <iostream>

namespace ductor::cli {

bool colour_wanted(bool stderr_is_terminal, const std::optional<std::string>& no_color,
                   const std::optional<std::string>& term) {
    if (!stderr_is_terminal) return false;
    if (no_color && !no_color->empty()) return false;
    return !(term && *term == "dumb");
}

bool stderr_colour() {
    return colour_wanted(platform::stderr_is_terminal(), platform::environment("NO_COLOR"),
                         platform::environment("TERM"));
}

void print_error(std::string_view message, const std::vector<std::string>& hints) {
    // Through the logger, whose pattern and colour every other error shares.
    std::string text(message);
    for (const auto& hint : hints) text += "\n" + output::printable(hint);
    spdlog::error("{}", text);
}

void say_waiting(std::string_view what) {
    // -q prints only errors: the logger's level says whether it was given.
    if (!spdlog::default_logger_raw()->should_log(spdlog::level::info) || !platform::stderr_is_terminal()) return;
    std::cerr << "ductor: waiting for " << output::printable(what) << "\n" << std::flush;
}

}  // namespace ductor::cli
