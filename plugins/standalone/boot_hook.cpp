#include <ductor/standalone/boot_hook.hpp>

#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/paths.hpp>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>

namespace ductor::standalone {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr std::string_view k_record_format = "1";
constexpr std::string_view k_reboot = "@reboot ";
constexpr auto k_private_mode = fs::perms::owner_read | fs::perms::owner_write;
constexpr auto k_entry_mode = k_private_mode | fs::perms::group_read | fs::perms::others_read;

// Lines of `text`, each with its terminator ("\n", or "" for a last line without one).
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        auto end = text.find('\n');
        end = end == std::string_view::npos ? text.size() : end + 1;
        lines.push_back(text.substr(0, end));
        text.remove_prefix(end);
    }
    return lines;
}

// `line` without its "\n" or "\r\n".
std::string_view content_of(std::string_view line) {
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

bool is_marked_line(std::string_view line) {
    const auto content = content_of(line);
    return content.starts_with(k_reboot) && content.ends_with(k_cron_marker);
}

// A record value with `\`, line feed and carriage return escaped, so it stays on one line.
std::string record_escape(std::string_view value) {
    std::string out;
    for (char c : value) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            default: out += c;
        }
    }
    return out;
}

std::optional<std::string> record_unescape(std::string_view value) {
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '\\') {
            out += value[i];
            continue;
        }
        if (++i == value.size()) return std::nullopt;
        switch (value[i]) {
            case '\\': out += '\\'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            default: return std::nullopt;
        }
    }
    return out;
}

// `path` made absolute against $PWD when it is relative (the Host offers no current folder).
fs::path absolute_in(const sdk::Host& host, const fs::path& path) {
    if (path.is_absolute()) return path;
    if (auto pwd = host.environment("PWD"); pwd && fs::path(*pwd).is_absolute())
        return (fs::path(*pwd) / path).lexically_normal();
    return path;
}

// The absolute folders of the PATH we run with, in order (relative and empty entries would mean
// cron's current folder at boot).
std::vector<std::string> absolute_path_folders(const sdk::Host& host) {
    return sdk::absolute_path_entries(host.environment("PATH").value_or(""), ':');
}

bool crontab_on_path(const sdk::Host& host) {
    const auto folders = absolute_path_folders(host);
    return std::any_of(folders.begin(), folders.end(),
                       [&host](const std::string& dir) { return host.path_exists(fs::path(dir) / "crontab"); });
}

bool set_and_non_empty(const sdk::Host& host, std::string_view key) {
    auto value = host.environment(key);
    return value && !value->empty();
}

// The program names in a /proc/<pid>/cmdline: argv[0]'s file name and argv[1].
std::pair<std::string, std::string> first_words(std::string_view cmdline) {
    const auto first_end = std::min(cmdline.find('\0'), cmdline.size());
    const auto first = fs::path(std::string(cmdline.substr(0, first_end))).filename().string();
    cmdline.remove_prefix(std::min(first_end + 1, cmdline.size()));
    return {first, std::string(cmdline.substr(0, std::min(cmdline.find('\0'), cmdline.size())))};
}

bool is_cron_process(const sdk::Host& host, const fs::path& dir) {
    auto comm = host.read_file(dir / "comm").value_or("");
    while (!comm.empty() && (comm.back() == '\n' || comm.back() == '\r')) comm.pop_back();
    if (comm == "cron" || comm == "crond") return true;
    const auto [program, argument] = first_words(host.read_file(dir / "cmdline").value_or(""));
    return program == "cron" || program == "crond" || (program == "busybox" && argument == "crond");
}

std::string cron_where(const sdk::Host& host) { return "crontab of " + host.user_name(); }

sdk::ProcessRequest crontab_request(std::vector<std::string> arguments, std::optional<std::string> input = {}) {
    sdk::ProcessRequest request;
    request.argv = {"crontab"};
    request.argv.insert(request.argv.end(), arguments.begin(), arguments.end());
    request.stdin_data = std::move(input);
    request.timeout = 30s;
    request.environment = {{"LC_ALL", "C"}};  // its "no crontab for" message, in English
    return request;
}

// "`crontab -l` failed: <its message>" for a run that did not succeed.
std::string crontab_problem(const sdk::ProcessRequest& request, const sdk::ProcessResult& result) {
    std::string what = "`crontab " + request.argv.back() + "` ";
    if (!result.started) return what + "could not be started: " + result.error;
    if (result.timed_out) return what + "did not finish in time";
    std::string message = result.err.empty() ? result.out : result.err;
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return what + "exited with " + std::to_string(result.exit_code) + (message.empty() ? "" : ": " + message);
}

// The user's crontab; "" when the user has none (cronie/vixie: "no crontab for"; busybox: no such file).
sdk::Expected<std::string> read_crontab(sdk::Host& host) {
    const auto request = crontab_request({"-l"});
    auto result = host.run_process(request);
    if (result.succeeded()) return std::move(result.out);
    const auto said = result.err + result.out;
    const bool none =
        said.find("no crontab for") != std::string::npos || said.find("No such file or directory") != std::string::npos;
    if (result.started && !result.timed_out && none) return std::string();
    return sdk::unexpected(crontab_problem(request, result));
}

// Installs `text` as the user's crontab (`crontab -r` when it is empty).
sdk::Expected<void> write_crontab(sdk::Host& host, const std::string& text) {
    const auto request = text.empty() ? crontab_request({"-r"}) : crontab_request({"-"}, text);
    const auto result = host.run_process(request);
    if (result.succeeded()) return {};
    return sdk::unexpected(crontab_problem(request, result));
}

// Takes ductor's marked line out of the user's crontab, when it is there.
sdk::Expected<void> remove_cron_line(sdk::Host& host) {
    auto current = read_crontab(host);
    if (!current) return sdk::unexpected(std::move(current).error());
    const auto updated = without_cron_line(*current);
    if (updated == *current) return {};
    return write_crontab(host, updated);
}

struct Installed {
    BootHook hook;
    bool changed = false;  // something was written
};

sdk::Expected<Installed> install_cron(sdk::Host& host, const BootHook& wanted) {
    if (wanted.command.find_first_of(std::string_view("\n\r\0", 3)) != std::string::npos)
        return sdk::unexpected(
            "the boot command holds a line break (from PATH, DUCTOR_HOME or the ductor path), "
            "which a crontab line cannot carry");
    auto current = read_crontab(host);
    if (!current) return sdk::unexpected(std::move(current).error());
    const auto updated = with_cron_line(*current, wanted.command);
    if (updated == *current) return Installed{wanted, false};
    if (auto written = write_crontab(host, updated); !written) return sdk::unexpected(std::move(written).error());
    return Installed{wanted, true};
}

sdk::Expected<Installed> install_autostart(sdk::Host& host, const BootHook& wanted) {
    const auto entry = autostart_entry(wanted.command);
    if (host.read_file(wanted.where) == entry) return Installed{wanted, false};
    auto written = host.write_file(wanted.where, entry, k_entry_mode);
    if (!written.ok) return sdk::unexpected("could not write " + wanted.where.string() + ": " + written.error);
    return Installed{wanted, true};
}

std::string hook_description(const BootHook& hook) {
    if (hook.kind == HookKind::cron)
        return "after a reboot, cron starts the enabled standalone services: an @reboot line in the " +
               hook.where.string() + " (see `crontab -l`)";
    return "at the next graphical login, the desktop starts the enabled standalone services: " + hook.where.string() +
           " (this runs at login, not at boot)";
}

// Why choose_hook found nothing, for the note.
std::string why_no_hook(const sdk::Host& host, const fs::path& proc_root) {
    std::string why = cron_daemon_running(host, proc_root) ? "`crontab` is not on PATH" : "no cron daemon runs";
    if (!desktop_session(host)) return why + " and there is no desktop session";
    return why + (running_on_wsl(host, proc_root) ? " and WSL runs no autostart entries" : "");
}

}  // namespace

const char* to_string(HookKind kind) {
    switch (kind) {
        case HookKind::cron: return "cron";
        case HookKind::xdg_autostart: return "xdg-autostart";
        case HookKind::none: break;
    }
    return "none";
}

std::optional<HookKind> parse_hook_kind(std::string_view text) {
    for (auto kind : {HookKind::none, HookKind::cron, HookKind::xdg_autostart})
        if (text == to_string(kind)) return kind;
    return std::nullopt;
}

std::string shell_quote(std::string_view word) {
    std::string out = "'";
    for (char c : word) {
        switch (c) {
            case '\'': out += "'\\''"; break;
            case '%': out += "'%'"; break;
            default: out += c;
        }
    }
    return out + "'";
}

std::string cron_escape(std::string_view line) {
    std::string out;
    for (char c : line) {
        if (c == '\n' || c == '\r' || c == '\0')
            throw std::invalid_argument("a crontab line cannot carry a line break or a NUL byte");
        if (c == '%') out += '\\';
        out += c;
    }
    return out;
}

std::string desktop_exec_argument(std::string_view argument) {
    constexpr std::string_view reserved = " \t\n\r\"'\\><~|&;$*?#()`";
    std::string quoted(argument);
    if (argument.empty() || argument.find_first_of(reserved) != std::string_view::npos) {
        quoted = "\"";
        for (char c : argument) {
            if (c == '"' || c == '`' || c == '$' || c == '\\') quoted += '\\';
            quoted += c;
        }
        quoted += '"';
    }
    std::string out;
    for (char c : quoted) {
        switch (c) {
            case '%': out += "%%"; break;     // a literal percent sign among the field codes
            case '\\': out += "\\\\"; break;  // then the escapes of a string value
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default: out += c;
        }
    }
    return out;
}

std::string boot_command(const sdk::Host& host) {
    std::string line = "/usr/bin/env";
    std::string path;
    for (const auto& dir : absolute_path_folders(host)) path += (path.empty() ? "" : ":") + dir;
    if (!path.empty()) line += " PATH=" + shell_quote(path);
    if (sdk::moved_ductor_home(host))
        line += " DUCTOR_HOME=" + shell_quote(absolute_in(host, host.ductor_home()).string());
    return line + " " + shell_quote(absolute_in(host, host.ductor_executable()).string()) + " boot";
}

std::string with_cron_line(std::string_view crontab, std::string_view command) {
    const std::string ours = std::string(k_reboot) + cron_escape(command) + " " + std::string(k_cron_marker);
    std::string out;
    bool placed = false;
    for (auto line : split_lines(crontab)) {
        if (!is_marked_line(line)) {
            out += line;
            continue;
        }
        if (placed) continue;  // exactly one marked line
        out += ours;
        out += line.substr(content_of(line).size());  // the line's own terminator ("\n", "\r\n" or none)
        placed = true;
    }
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (!placed) out += ours + "\n";
    return out;
}

std::string without_cron_line(std::string_view crontab) {
    std::string out;
    for (auto line : split_lines(crontab))
        if (!is_marked_line(line)) out += line;
    return out;
}

std::string autostart_entry(std::string_view command) {
    return "[Desktop Entry]\n"
           "Type=Application\n"
           "Name=ductor boot\n"
           "Comment=Starts the enabled ductor standalone services (written by ductor; removed with the last one)\n"
           "Exec=" +
           desktop_exec_argument("/bin/sh") + " " + desktop_exec_argument("-c") + " " + desktop_exec_argument(command) +
           "\n"
           "Terminal=false\n"
           "NoDisplay=true\n"
           "X-GNOME-Autostart-enabled=true\n"
           "X-Ductor-Boot-Hook=true\n";
}

std::string format_hook_record(const BootHook& hook) {
    return "# ductor standalone boot hook: written by ductor, removed with the last standalone service\n"
           "format=" +
           std::string(k_record_format) + "\nkind=" + to_string(hook.kind) +
           "\nwhere=" + record_escape(hook.where.string()) + "\ncommand=" + record_escape(hook.command) + "\n";
}

std::optional<BootHook> parse_hook_record(std::string_view text) {
    BootHook hook;
    bool format_known = false;
    bool has_kind = false;
    for (auto line : split_lines(text)) {
        line = content_of(line);
        if (line.empty() || line.front() == '#') continue;
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        const auto key = line.substr(0, eq);
        const auto value = record_unescape(line.substr(eq + 1));
        if (!value) return std::nullopt;
        if (key == "format") {
            format_known = *value == k_record_format;
        } else if (key == "kind") {
            const auto kind = parse_hook_kind(*value);
            if (!kind) return std::nullopt;
            hook.kind = *kind;
            has_kind = true;
        } else if (key == "where") {
            hook.where = *value;
        } else if (key == "command") {
            hook.command = *value;
        }
    }
    if (!format_known || !has_kind) return std::nullopt;
    return hook;
}

fs::path hook_record_path(const sdk::Host& host) { return host.ductor_home() / "standalone" / "boot-hook"; }

fs::path autostart_path(const sdk::Host& host) {
    fs::path config = host.home_directory() / ".config";
    if (auto dir = host.environment("XDG_CONFIG_HOME"); dir && fs::path(*dir).is_absolute()) config = *dir;
    return config / "autostart" / "ductor-boot.desktop";
}

bool cron_daemon_running(const sdk::Host& host, const fs::path& proc_root) {
    for (const auto& entry : host.list_directory(proc_root)) {
        const auto name = entry.filename().string();
        if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
            continue;
        if (is_cron_process(host, entry)) return true;
    }
    return false;
}

bool desktop_session(const sdk::Host& host) {
    return set_and_non_empty(host, "XDG_CURRENT_DESKTOP") || set_and_non_empty(host, "WAYLAND_DISPLAY") ||
           set_and_non_empty(host, "DISPLAY");
}

bool running_on_wsl(const sdk::Host& host, const fs::path& proc_root) {
    const auto binfmt = proc_root / "sys" / "fs" / "binfmt_misc";
    return set_and_non_empty(host, "WSL_DISTRO_NAME") || host.path_exists(binfmt / "WSLInterop") ||
           host.path_exists(binfmt / "WSLInterop-late");
}

BootHook choose_hook(const sdk::Host& host, const fs::path& proc_root) {
    auto command = boot_command(host);
    if (cron_daemon_running(host, proc_root) && crontab_on_path(host))
        return {HookKind::cron, cron_where(host), std::move(command)};
    if (desktop_session(host) && !running_on_wsl(host, proc_root))
        return {HookKind::xdg_autostart, autostart_path(host), std::move(command)};
    return {HookKind::none, {}, std::move(command)};
}

std::string no_hook_advice(const sdk::Host& host, std::string_view command, bool wsl) {
    std::string advice =
        "the standalone services will not come back after a reboot by themselves; run this at start-up "
        "(from a shell profile such as ~/.profile, or by hand): " +
        std::string(command);
    if (!wsl) return advice;
    return advice +
           "\nOn WSL, let Windows run it when the distribution starts: add to /etc/wsl.conf (as root)\n"
           "[boot]\n"
           "command=su -l -s /bin/sh -c " +
           shell_quote(command) + " " + shell_quote(host.user_name());
}

std::vector<std::string> ensure_boot_hook(sdk::Host& host, BootHook& hook, const fs::path& proc_root) {
    std::vector<std::string> notes;
    const auto recorded = recorded_boot_hook(host);
    const bool keep = recorded && recorded->kind != HookKind::none;  // a recorded hook stays, no new choice
    BootHook wanted =
        keep ? BootHook{recorded->kind, recorded->where, boot_command(host)} : choose_hook(host, proc_root);
    hook = BootHook{HookKind::none, {}, wanted.command};
    const bool wsl = running_on_wsl(host, proc_root);
    if (wanted.kind == HookKind::none) {
        notes.push_back("no boot hook: " + why_no_hook(host, proc_root) + "; " +
                        no_hook_advice(host, hook.command, wsl));
        return notes;
    }
    auto installed = wanted.kind == HookKind::cron ? install_cron(host, wanted) : install_autostart(host, wanted);
    if (!installed) {
        host.log(sdk::LogLevel::warn, "boot hook (" + std::string(to_string(wanted.kind)) + "): " + installed.error());
        notes.push_back("no boot hook: setting up " + std::string(to_string(wanted.kind)) + " failed (" +
                        installed.error() + "); " + no_hook_advice(host, hook.command, wsl));
        return notes;
    }
    hook = installed->hook;
    if (recorded != hook) {
        auto written = host.write_file(hook_record_path(host), format_hook_record(hook), k_private_mode);
        if (!written.ok)
            notes.push_back("could not record the boot hook in " + hook_record_path(host).string() + " (" +
                            written.error + "); uninstall will not remove it");
    }
    if (!recorded || installed->changed) notes.push_back(hook_description(hook));
    if (hook.kind == HookKind::cron && !cron_daemon_running(host, proc_root))
        notes.push_back("no cron daemon runs now: the @reboot line starts the services only when one runs at boot");
    return notes;
}

sdk::Expected<void> drop_boot_hook(sdk::Host& host) {
    const auto record = hook_record_path(host);
    const auto recorded = recorded_boot_hook(host);
    if (recorded && recorded->kind == HookKind::cron) {
        if (auto removed = remove_cron_line(host); !removed)
            return sdk::unexpected("could not remove the boot hook: " + removed.error() +
                                   "; remove the line ending in '" + std::string(k_cron_marker) +
                                   "' with `crontab -e`");
    } else if (recorded && recorded->kind == HookKind::xdg_autostart) {
        auto removed = host.remove_file(recorded->where);
        if (!removed.ok) return sdk::unexpected("could not remove " + recorded->where.string() + ": " + removed.error);
    }
    auto removed = host.remove_file(record);
    if (!removed.ok) return sdk::unexpected("could not remove " + record.string() + ": " + removed.error);
    return {};
}

std::optional<BootHook> recorded_boot_hook(const sdk::Host& host) {
    auto text = host.read_file(hook_record_path(host));
    if (!text) return std::nullopt;
    return parse_hook_record(*text);
}

}  // namespace ductor::standalone
