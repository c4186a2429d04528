#include <ductor/service/spec_builder.hpp>

#include <ductor/output/text.hpp>
#include <ductor/platform/process.hpp>
#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/paths.hpp>

#include <algorithm>
#include <filesystem>

namespace ductor::service {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// NUL can only arrive through the environment of tests; newlines through any argument.
sdk::Expected<void> check_text(std::string_view what, std::string_view text) {
    if (text.find('\0') != std::string_view::npos)
        return sdk::unexpected(std::string(what) + " contains a NUL character");
    if (text.find_first_of("\r\n") != std::string_view::npos) {
        return sdk::unexpected(std::string(what) +
                               " contains a line break, which service definitions cannot carry safely");
    }
    return {};
}

// The error of a failed step, for `return fail(step);`.
template <class T>
sdk::Unexpected<std::string> fail(sdk::Expected<T>&& step) {
    return sdk::unexpected(std::move(step).error());
}

// What the user typed, quoted and escaped for the terminal.
std::string in_quotes(std::string_view text) { return output::quoted(text); }

sdk::Expected<std::filesystem::path> existing_dir(const std::string& raw, std::string_view option, Check check) {
    if (auto checked = check_text(option, raw); !checked) return fail(std::move(checked));
    if (raw.empty()) return sdk::unexpected(std::string(option) + " is empty");
    std::error_code ec;
    auto path = std::filesystem::absolute(sdk::path_from_utf8(raw), ec).lexically_normal();
    if (ec) return sdk::unexpected(std::string(option) + " " + in_quotes(raw) + ": " + ec.message());
    if (check == Check::strict && !std::filesystem::is_directory(path, ec)) {
        return sdk::unexpected(std::string(option) + " " + in_quotes(raw) + " is not an existing folder");
    }
    return path;
}

// The program's full path; under Check::preview a program that is not here
// is kept as given, with a warning added to `built`.
sdk::Expected<std::string> resolve_program(const std::string& program, Check check, BuiltSpec& built) {
    if (program.empty()) return sdk::unexpected("the program is an empty string");
    if (auto found = platform::find_executable(program)) return found->string();
    std::string why =
        program.find('/') == std::string::npos ? "was not found on PATH" : "does not exist or is not executable";
    if (check == Check::preview) {
        built.warnings.push_back("the program " + in_quotes(program) + " " + why + "; shown as given");
        return program;
    }
    return sdk::unexpected("the program " + in_quotes(program) + " " + why);
}

sdk::Expected<std::vector<sdk::EnvVar>> parse_environment(const std::vector<std::string>& raw) {
    std::vector<sdk::EnvVar> env;
    for (const auto& text : raw) {
        auto parsed = parse_env(text);
        if (!parsed) return fail(std::move(parsed));
        auto var = std::move(*parsed);
        auto same = [&var](const sdk::EnvVar& v) { return v.key == var.key; };
        if (std::any_of(env.begin(), env.end(), same)) return sdk::unexpected("--env " + var.key + " is given twice");
        env.push_back(std::move(var));
    }
    return env;
}

sdk::Expected<BuiltSpec> fill_install(const ServiceRequest& cmd, Check check, BuiltSpec built) {
    auto& spec = built.spec;
    if (auto checked = check_text("--description", cmd.description); !checked) return fail(std::move(checked));
    spec.description = cmd.description;
    for (std::size_t i = 0; i < cmd.program.size(); ++i) {
        auto what = i == 0 ? std::string("the program") : "argument " + std::to_string(i);
        if (auto checked = check_text(what, cmd.program[i]); !checked) return fail(std::move(checked));
    }
    auto program = resolve_program(cmd.program.front(), check, built);
    if (!program) return fail(std::move(program));
    spec.argv = cmd.program;
    spec.argv.front() = std::move(*program);
    if (cmd.workdir) {
        auto dir = existing_dir(*cmd.workdir, "--workdir", check);
        if (!dir) return fail(std::move(dir));
        spec.working_directory = std::move(*dir);
        std::error_code ec;
        if (!std::filesystem::is_directory(*spec.working_directory, ec))
            built.warnings.push_back("--workdir " + in_quotes(*cmd.workdir) + " is not a folder here; shown as given");
    }
    auto env = parse_environment(cmd.env);
    if (!env) return fail(std::move(env));
    spec.environment = std::move(*env);
    if (cmd.restart) {
        auto policy = parse_restart(*cmd.restart);
        if (!policy) return fail(std::move(policy));
        spec.restart = *policy;
    }
    if (cmd.restart_delay) {
        if (*cmd.restart_delay < 0 || *cmd.restart_delay > 86400) {
            return sdk::unexpected("--restart-delay must be between 0 and 86400 seconds");
        }
        spec.restart_delay = std::chrono::seconds(*cmd.restart_delay);
    }
    spec.overwrite = cmd.force ? sdk::Overwrite::allow : sdk::Overwrite::refuse_foreign;
    return built;
}

}  // namespace

sdk::Expected<void> check_name(std::string_view name) {
    if (name.empty()) return sdk::unexpected("the service name is empty");
    if (name.size() > 64) return sdk::unexpected("the service name is longer than 64 characters");
    if (!is_alnum(name.front()))
        return sdk::unexpected("the service name " + in_quotes(name) + " must start with a letter or digit");
    for (char c : name) {
        if (!is_alnum(c) && c != '.' && c != '_' && c != '-') {
            return sdk::unexpected("the service name " + in_quotes(name) +
                                   " may contain only letters, digits, '.', '_' and '-'");
        }
    }
    return {};
}

sdk::Expected<sdk::EnvVar> parse_env(std::string_view text) {
    auto eq = text.find('=');
    if (eq == std::string_view::npos) return sdk::unexpected("--env " + in_quotes(text) + " is not KEY=VALUE");
    auto key = text.substr(0, eq);
    auto value = text.substr(eq + 1);
    bool key_ok = !key.empty() && !(key.front() >= '0' && key.front() <= '9') &&
                  std::all_of(key.begin(), key.end(), [](char c) { return is_alnum(c) || c == '_'; });
    if (!key_ok) {
        return sdk::unexpected("--env " + in_quotes(text) +
                               ": the name must be letters, digits and '_', not starting with a digit");
    }
    if (auto checked = check_text("--env " + std::string(key), value); !checked) return fail(std::move(checked));
    return sdk::EnvVar{std::string(key), std::string(value)};
}

sdk::Expected<sdk::RestartPolicy> parse_restart(std::string_view text) {
    for (auto policy : {sdk::RestartPolicy::never, sdk::RestartPolicy::on_failure, sdk::RestartPolicy::always}) {
        if (text == sdk::to_string(policy)) return policy;
    }
    return sdk::unexpected("--restart " + in_quotes(text) + ": use never, on-failure or always");
}

sdk::Expected<BuiltSpec> build_spec(const ServiceRequest& command, Check check) {
    if (auto named = check_name(command.name); !named) return fail(std::move(named));
    BuiltSpec built;
    built.spec.name = command.name;
    // install writes logs there; status and logs look where such an install put them.
    if (command.log_dir) {
        auto dir = existing_dir(*command.log_dir, "--log-dir", Check::preview);
        if (!dir) return fail(std::move(dir));
        built.spec.log_directory = std::move(*dir);
    }
    if (command.action != ServiceAction::install) return built;
    return fill_install(command, check, std::move(built));
}

}  // namespace ductor::service
