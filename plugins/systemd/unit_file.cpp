#include <ductor/systemd/unit_file.hpp>

#include <ductor/sdk/paths.hpp>

#include <ductor/systemd/escaping.hpp>

#include <algorithm>
#include <utility>

namespace ductor::systemd {
namespace {

constexpr long long k_default_restart_seconds = 5;

const char* restart_value(sdk::RestartPolicy policy) {
    switch (policy) {
        case sdk::RestartPolicy::never: return "no";
        case sdk::RestartPolicy::on_failure: return "on-failure";
        case sdk::RestartPolicy::always: return "always";
    }
    return "on-failure";
}

// ExecStart=: the program and every argument as quoted words.
sdk::Expected<std::string> exec_start(const std::vector<std::string>& argv) {
    if (argv.empty()) return sdk::unexpected("the service has no program to run");
    auto program = exec_program(argv.front());
    if (!program) return program;
    std::string line = std::move(*program);
    for (std::size_t i = 1; i < argv.size(); ++i) {
        auto word = exec_word(argv[i]);
        if (!word) return word;
        line += ' ' + *word;
    }
    return line;
}

// The [Service] section, or why the spec cannot be carried by it.
sdk::Expected<std::string> service_section(const sdk::ServiceSpec& spec, const UnitContext& context) {
    auto exec = exec_start(spec.argv);
    if (!exec) return exec;
    std::string text = "[Service]\nType=exec\nExecStart=" + *exec + "\n";
    text += std::string("Restart=") + restart_value(spec.restart) + "\n";
    const auto delay = spec.restart_delay ? spec.restart_delay->count() : k_default_restart_seconds;
    text += "RestartSec=" + std::to_string(delay) + "\n";
    if (spec.working_directory) {
        auto dir = working_directory_value(spec.working_directory->string());
        if (!dir) return dir;
        text += "WorkingDirectory=" + *dir + "\n";
    }
    for (const auto& var : service_environment(spec, context)) {
        auto assignment = environment_assignment(var.key, var.value);
        if (!assignment) return assignment;
        text += "Environment=" + *assignment + "\n";
    }
    return text;
}

std::size_t longest_line(std::string_view text) {
    std::size_t longest = 0;
    while (!text.empty()) {
        auto end = std::min(text.find('\n'), text.size());
        longest = std::max(longest, end);
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return longest;
}

}  // namespace

std::string unit_name(const sdk::ServiceSpec& spec) { return spec.name + ".service"; }

std::vector<sdk::EnvVar> service_environment(const sdk::ServiceSpec& spec, const UnitContext& context) {
    std::vector<sdk::EnvVar> env = {
        {"PATH", context.path_value}, {"HOME", context.home.string()}, {"DUCTOR_SUPERVISOR", "1"}};
    return sdk::merge_environment(std::move(env), spec.environment);
}

sdk::Expected<std::string> render_unit(const sdk::ServiceSpec& spec, const UnitContext& context) {
    const auto description_text = sdk::description_of(spec);
    auto description = plain_value("the description", description_text);
    if (!description) return description;
    auto service = service_section(spec, context);
    if (!service) return service;
    std::string text =
        std::string(k_unit_marker) + " remove it with: ductor service uninstall --name " + spec.name + "\n";
    text += "[Unit]\nDescription=" + *description + "\n";
    // No network-online.target ordering: it is a system unit (systemd.special(7)),
    // which a user manager neither has nor waits for.
    text += "\n";
    text += *service;
    text += "\n[Install]\nWantedBy=default.target\n";
    if (auto longest = longest_line(text); longest >= k_longest_unit_line)
        return sdk::unexpected("a line of the unit would be " + std::to_string(longest) +
                               " bytes long; systemd reads unit lines of less than 1 MiB, so the arguments or the "
                               "environment are too long for a systemd unit");
    return text;
}

}  // namespace ductor::systemd
