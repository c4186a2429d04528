#include "commands.hpp"

#include <ductor/cli/terminal.hpp>
#include <ductor/output/text.hpp>

#include <spdlog/sinks/sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>

namespace ductor::cli {
namespace {

// Every message passes output::printable before it reaches the terminal: a
// control byte or invalid UTF-8 in a value that ended up in a message is shown
// escaped, never acted on. Line breaks and tabs of ductor's own multi-line
// messages stay; values the user typed are escaped wholly where they are quoted.
class PrintableSink final : public spdlog::sinks::sink {
public:
    explicit PrintableSink(std::shared_ptr<spdlog::sinks::sink> inner) : m_inner(std::move(inner)) {}
    void log(const spdlog::details::log_msg& msg) override {
        const auto text =
            output::printable(std::string_view(msg.payload.data(), msg.payload.size()), output::LineBreaks::keep);
        auto shown = msg;
        shown.payload = spdlog::string_view_t(text.data(), text.size());
        m_inner->log(shown);
    }
    void flush() override { m_inner->flush(); }
    void set_pattern(const std::string& pattern) override { m_inner->set_pattern(pattern); }
    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
        m_inner->set_formatter(std::move(formatter));
    }

private:
    std::shared_ptr<spdlog::sinks::sink> m_inner;
};

}  // namespace

void setup_logging(Verbosity verbosity) {
    auto logger = spdlog::get("ductor");
    if (!logger) {
        const auto colour = stderr_colour() ? spdlog::color_mode::always : spdlog::color_mode::never;
        auto sink = std::make_shared<PrintableSink>(std::make_shared<spdlog::sinks::stderr_color_sink_mt>(colour));
        logger = std::make_shared<spdlog::logger>("ductor", sink);
        spdlog::register_logger(logger);
        logger->set_pattern("ductor: %^%l%$: %v");
        spdlog::set_default_logger(logger);
    }
    switch (verbosity) {
        case Verbosity::quiet: logger->set_level(spdlog::level::err); break;
        case Verbosity::normal: logger->set_level(spdlog::level::info); break;
        case Verbosity::verbose: logger->set_level(spdlog::level::debug); break;
    }
}

}  // namespace ductor::cli
