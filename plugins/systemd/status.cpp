#include <ductor/systemd/status.hpp>

#include <algorithm>
#include <charconv>
#include <optional>

namespace ductor::systemd {
namespace {

std::string get(const Properties& properties, std::string_view key) {
    auto it = properties.find(key);
    return it == properties.end() ? std::string() : it->second;
}

std::optional<long long> number(const Properties& properties, std::string_view key) {
    auto text = get(properties, key);
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

bool is_idle(std::string_view active) { return active.empty() || active == "inactive" || active == "failed"; }

sdk::ServiceState state_of(const Properties& properties, UnitFile file) {
    const auto load = get(properties, "LoadState");
    const auto active = get(properties, "ActiveState");
    if (file == UnitFile::absent && (load.empty() || load == "not-found") && is_idle(active))
        return sdk::ServiceState::not_installed;
    if (active == "active" || active == "reloading") return sdk::ServiceState::running;
    if (active == "activating") return sdk::ServiceState::starting;
    return sdk::ServiceState::stopped;
}

// ExecMainCode is a CLD_* code: 1 exited (status = exit code), 2/3 killed or
// dumped (status = signal number, shown the shell's way as 128+N).
std::optional<int> last_exit_code(const Properties& properties) {
    auto code = number(properties, "ExecMainCode");
    auto status = number(properties, "ExecMainStatus");
    if (!code || !status || *code == 0) return std::nullopt;
    if (*code == 1) return static_cast<int>(*status);
    return static_cast<int>(128 + *status);
}

// Where the manager and the unit file disagree, in words; empty when they agree.
std::string problem_of(const Properties& properties, UnitFile file) {
    const auto load = get(properties, "LoadState");
    if (file == UnitFile::absent && !is_idle(get(properties, "ActiveState")))
        return "orphaned: systemd still runs the unit but its file is gone; 'ductor service stop' or "
               "'ductor service uninstall' ends it";
    if (load == "error" || load == "bad-setting" || load == "masked") {
        auto why = get(properties, "LoadError");
        return "systemd refuses the unit (LoadState=" + load + ")" + (why.empty() ? "" : ": " + why);
    }
    if (get(properties, "NeedDaemonReload") == "yes")
        return "the unit file changed on disk since systemd loaded it (NeedDaemonReload=yes): what runs is the old "
               "definition; install again to apply the file";
    return {};
}

}  // namespace

Properties parse_properties(std::string_view text) {
    Properties properties;
    while (!text.empty()) {
        auto end = text.find('\n');
        auto line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        auto eq = line.find('=');
        if (eq != std::string_view::npos)
            properties[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    }
    return properties;
}

sdk::ServiceStatus parse_status(std::string_view show_output, UnitFile file) {
    return status_from(parse_properties(show_output), file);
}

sdk::ServiceStatus status_from(const Properties& properties, UnitFile file) {
    sdk::ServiceStatus status;
    status.state = state_of(properties, file);
    if (status.state == sdk::ServiceState::not_installed) return status;
    if (auto pid = number(properties, "MainPID"); pid && *pid > 0) status.pid = *pid;
    status.last_exit_code = last_exit_code(properties);
    for (const auto& key : k_status_properties) {
        if (key == "MainPID" || key == "ExecMainCode" || key == "ExecMainStatus" || key == "LoadError") continue;
        if (key == "NeedDaemonReload" && get(properties, key) == "no") continue;
        if (auto value = get(properties, key); !value.empty()) status.detail.push_back({key, value});
    }
    if (auto problem = problem_of(properties, file); !problem.empty())
        status.detail.push_back({sdk::k_problem_detail, problem});
    return status;
}

}  // namespace ductor::systemd
