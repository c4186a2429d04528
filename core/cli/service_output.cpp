#include "service_output.hpp"

#include <ductor/output/json.hpp>
#include <ductor/output/log_view.hpp>
#include <ductor/output/text.hpp>
#include <ductor/platform/process.hpp>
#include <ductor/sdk/shell.hpp>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

namespace ductor::cli {

const char* state_name(sdk::ServiceState state) {
    switch (state) {
        case sdk::ServiceState::not_installed: return "not-installed";
        case sdk::ServiceState::stopped: return "stopped";
        case sdk::ServiceState::starting: return "starting";
        case sdk::ServiceState::running: return "running";
        case sdk::ServiceState::unknown: return "unknown";
    }
    return "unknown";
}

namespace {

ExitCode exit_for(sdk::ServiceState state) {
    switch (state) {
        case sdk::ServiceState::running: return ExitCode::success;
        case sdk::ServiceState::stopped:
        case sdk::ServiceState::starting: return ExitCode::not_running;
        case sdk::ServiceState::not_installed: return ExitCode::not_installed;
        case sdk::ServiceState::unknown: return ExitCode::failed;
    }
    return ExitCode::failed;
}

std::string mode_text(std::filesystem::perms mode) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode) & 07777U);
    return buffer;
}

}  // namespace

std::string display_command(const std::vector<std::string>& argv) { return sdk::shell_join(argv); }

ExitCode print_rendering(const sdk::Rendering& rendering, const std::string& backend) {
    std::cout << "# dry run with the " << backend << " backend: nothing is written or run\n";
    for (const auto& file : rendering.files) {
        std::cout << "\n# file " << file.path.string() << " (mode " << mode_text(file.mode) << ")\n";
        const auto text =
            output::printable(file.preview.empty() ? file.content : file.preview, output::LineBreaks::keep);
        std::cout << text << (text.empty() || text.back() != '\n' ? "\n" : "");
    }
    if (!rendering.commands.empty()) std::cout << "\n# commands, in order\n";
    for (const auto& command : rendering.commands) std::cout << output::printable(display_command(command)) << "\n";
    for (const auto& note : rendering.notes) std::cout << "\n# note: " << output::printable(note) << "\n";
    return ExitCode::success;
}

output::Json status_json(const sdk::ServiceStatus& status, const std::string& name, const std::string& backend) {
    output::Json::Object detail;
    for (const auto& field : status.detail) detail.emplace_back(field.key, field.value);
    return output::Json::Object{
        {"name", name},
        {"backend", backend},
        {"state", state_name(status.state)},
        {"installed", status.state != sdk::ServiceState::not_installed && status.state != sdk::ServiceState::unknown},
        {"running", status.state == sdk::ServiceState::running},
        {"pid", status.pid},
        {"last_exit_code", status.last_exit_code},
        {"detail", std::move(detail)},
        {"error", status.error.empty() ? output::Json() : output::Json(status.error)}};
}

ExitCode print_status(const sdk::ServiceStatus& status, const std::string& name, const std::string& backend,
                      bool json) {
    if (json) {
        std::cout << status_json(status, name, backend).dump() << "\n";
    } else {
        std::cout << name << " (" << backend << "): " << state_name(status.state) << "\n";
        if (status.pid) std::cout << "  pid: " << *status.pid << "\n";
        if (status.last_exit_code) std::cout << "  last exit code: " << *status.last_exit_code << "\n";
        for (const auto& field : status.detail) std::cout << "  " << field.key << ": " << field.value << "\n";
        if (!status.error.empty()) std::cout << "  error: " << status.error << "\n";
    }
    for (const auto& field : status.detail) {
        if (field.key == sdk::k_problem_detail) return ExitCode::failed;  // the manager disagrees with the definition
    }
    return exit_for(status.state);
}

ExitCode show_logs(const sdk::LogSource& source, const sdk::LogRequest& request) {
    if (!source.error.empty()) {
        spdlog::error("{}", source.error);
        return ExitCode::failed;
    }
    if (!source.command.empty()) {
        spdlog::debug("running: {}", display_command(source.command));
        auto exit_code = platform::run_attached(source.command);
        if (!exit_code) {
            spdlog::error("cannot run {}: {}", source.command.front(), exit_code.error());
            return ExitCode::failed;
        }
        return *exit_code == 0 ? ExitCode::success : ExitCode::failed;
    }
    if (source.files.empty()) {
        spdlog::error("the backend names no log for this service");
        return ExitCode::failed;
    }
    for (const auto& line : output::last_lines(source.files, request.lines.value_or(50))) std::cout << line;
    std::cout.flush();
    if (request.follow) output::follow_file(source.files.back(), std::cout, [] { return true; });
    return ExitCode::success;
}

}  // namespace ductor::cli
