#include <ductor/runner/options.hpp>

#include <ductor/sdk/paths.hpp>
#include <ductor/sdk/runner.hpp>
#include <ductor/service/spec_builder.hpp>

#include <cctype>

namespace ductor::runner {
namespace {

constexpr long long k_max_seconds = 86400;

std::optional<LogTo> parse_log_to(std::string_view text) {
    if (text == "file") return LogTo::file;
    if (text == "stdout") return LogTo::stdout_only;
    if (text == "both") return LogTo::both;
    return std::nullopt;
}

// The ductor home the runner uses: --home when given (absolute, as DUCTOR_HOME must be), else the environment's.
sdk::Expected<std::filesystem::path> home_of(const RunRequest& command, const std::filesystem::path& environment_home) {
    if (!command.home) return environment_home;
    auto home = sdk::path_from_utf8(*command.home);
    if (!home.has_root_directory())  // on Windows, a path from the drive's root is fine too
        return sdk::unexpected("--home '" + *command.home + "': the ductor home must be an absolute path");
    return home;
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
    constexpr std::uint64_t k_limit = 1ULL << 40U;  // 1 TiB
    std::uint64_t value = 0;
    std::size_t i = 0;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0; ++i) {
        value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
        if (value > k_limit) return std::nullopt;
    }
    if (i == 0) return std::nullopt;
    auto suffix = text.substr(i);
    unsigned shift = 0;
    if (suffix == "K" || suffix == "k")
        shift = 10;
    else if (suffix == "M" || suffix == "m")
        shift = 20;
    else if (suffix == "G" || suffix == "g")
        shift = 30;
    else if (!suffix.empty())
        return std::nullopt;
    if (value > (k_limit >> shift)) return std::nullopt;
    return value << shift;
}

Supervised supervised_from(const std::optional<std::string>& ductor_supervisor,
                           const std::optional<std::string>& invocation_id) {
    if (ductor_supervisor && *ductor_supervisor == "1") return Supervised::yes;
    if (invocation_id && !invocation_id->empty()) return Supervised::yes;
    return Supervised::no;
}

sdk::Expected<RunOptions> make_options(const RunRequest& command, const std::filesystem::path& environment_home,
                                       Supervised supervised) {
    if (auto named = service::check_name(command.name); !named) return sdk::unexpected(named.error());
    if (command.program.empty()) return sdk::unexpected("the program is missing: put it after '--'");
    auto home = home_of(command, environment_home);
    if (!home) return sdk::unexpected(home.error());
    const auto& ductor_home = *home;
    RunOptions options;
    options.name = command.name;
    options.program = command.program;
    options.supervised = supervised;
    options.pid_file = sdk::runner::pid_file(ductor_home, command.name);
    options.log.name = command.name;
    options.log.directory =
        command.log_dir ? std::filesystem::absolute(sdk::path_from_utf8(*command.log_dir)) : ductor_home / "logs";
    auto log_to = parse_log_to(command.log_to);
    if (!log_to) return sdk::unexpected("--log-to '" + command.log_to + "': use file, stdout or both");
    options.log.log_to = *log_to;
    auto size = parse_size(command.log_size);
    if (!size || *size < 1024)
        return sdk::unexpected("--log-size '" + command.log_size + "': use a size from 1K to 1024G, e.g. 10M");
    options.log.max_bytes = *size;
    if (command.log_files < 1 || command.log_files > 1000)
        return sdk::unexpected("--log-files must be between 1 and 1000");
    options.log.max_files = command.log_files;
    if (command.grace < 0 || command.grace > k_max_seconds)
        return sdk::unexpected("--grace must be between 0 and 86400");
    options.grace = std::chrono::seconds(command.grace);
    auto policy = service::parse_restart(command.restart);
    if (!policy) return sdk::unexpected(policy.error());
    options.restart = *policy;
    if (command.restart_delay < 0 || command.restart_delay > k_max_seconds) {
        return sdk::unexpected("--restart-delay must be between 0 and 86400");
    }
    options.restart_delay = std::chrono::seconds(command.restart_delay);
    options.crash_loop_limit = command.crash_loop_limit;
    if (command.backoff_max < 0 || command.backoff_max > k_max_seconds)
        return sdk::unexpected("--backoff-max must be between 0 and 86400");
    options.backoff_max = std::chrono::seconds(command.backoff_max);
    options.detach = command.detach;
    if (command.workdir) {
        std::error_code ec;
        auto dir = std::filesystem::absolute(sdk::path_from_utf8(*command.workdir), ec).lexically_normal();
        if (ec || command.workdir->empty() || !std::filesystem::is_directory(dir, ec))
            return sdk::unexpected("--workdir '" + *command.workdir + "' is not an existing folder");
        options.working_directory = dir;
    }
    if (!ductor_home.has_root_directory())  // on Windows, a path from the drive's root is fine too
        return sdk::unexpected("the ductor home '" + ductor_home.string() +
                               "' is not an absolute path; set DUCTOR_HOME to one");
    for (const auto& text : command.env) {
        auto parsed = service::parse_env(text);
        if (!parsed) return sdk::unexpected(parsed.error());
        auto var = std::move(*parsed);
        if (var.key == "DUCTOR_SUPERVISOR") return sdk::unexpected("--env DUCTOR_SUPERVISOR: the runner sets it");
        options.environment.push_back(std::move(var));
    }
    return options;
}

}  // namespace ductor::runner
