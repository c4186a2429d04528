#include <ductor/systemd/commands.hpp>

#include <ductor/systemd/manager.hpp>

#include <ductor/sdk/shell.hpp>

namespace ductor::systemd {
namespace {

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.pop_back();
    return text;
}

}  // namespace

Argv systemctl(const std::string& verb, const std::string& unit) {
    Argv argv = {"systemctl", "--user", verb};
    if (!unit.empty()) argv.push_back(unit);
    return argv;
}

std::filesystem::path runtime_dir(const sdk::Host& host) {
    if (auto dir = host.environment("XDG_RUNTIME_DIR"); dir && !dir->empty()) return *dir;
    if (auto uid = host.user_id()) return "/run/user/" + std::to_string(*uid);
    return {};
}

const char* verb_name(JobVerb verb) {
    switch (verb) {
        case JobVerb::start: return "start";
        case JobVerb::restart: return "restart";
        case JobVerb::stop: return "stop";
    }
    return "?";
}

Argv enable_linger(const std::string& user) { return {"loginctl", "enable-linger", user}; }

std::filesystem::path linger_marker(const std::string& user) {
    return std::filesystem::path("/var/lib/systemd/linger") / user;
}

std::string linger_explanation(const std::string& user) {
    return "linger is off for " + user + ": systemd stops this service when " + user +
           "'s last session ends (logout) and starts it at the next login. To keep it running "
           "without a session, run: loginctl enable-linger " +
           user + " (or install again with --enable-linger)";
}

Argv journal_command(const std::filesystem::path& journalctl, const std::string& unit, bool root, unsigned lines,
                     bool follow) {
    Argv argv = {journalctl.string()};
    if (root) {
        argv.push_back("--user-unit=" + unit);
    } else {
        argv.insert(argv.end(), {"--user", "--unit=" + unit});
    }
    argv.insert(argv.end(), {"--no-hostname", "--no-pager", "--lines=" + std::to_string(lines)});
    if (follow) argv.push_back("--follow");
    return argv;
}

std::string command_failure(const Argv& argv, const sdk::ProcessResult& result) {
    const auto command = sdk::shell_join(argv);
    if (!result.started) return "could not run '" + command + "': " + result.error;
    if (result.timed_out) return "'" + command + "' did not finish in time";
    auto said = trimmed(result.err.empty() ? result.out : result.err);
    return "'" + command + "' failed (exit " + std::to_string(result.exit_code) + ")" +
           (said.empty() ? std::string() : ": " + said);
}

}  // namespace ductor::systemd
