#pragma once
// How standalone services come back after a reboot without root: one boot
// hook per user that runs `ductor boot` at start-up. The first that applies:
//   - cron: a marked `@reboot` line in the user's crontab (a cron daemon runs);
//   - xdg_autostart: $XDG_CONFIG_HOME/autostart/ductor-boot.desktop (a desktop session);
//   - none: nothing is installed; the user is told what to run (WSL: /etc/wsl.conf [boot]).
// The text functions are pure; the others reach the machine only through the Host.
// The hook in place is recorded in <ductor home>/standalone/boot-hook (see
// format_hook_record), so `status` can show it and the last uninstall removes it.
// Nothing here throws except where a contract says so.

#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/host.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::standalone {

enum class HookKind { none, cron, xdg_autostart };

// "cron", "xdg-autostart", "none".
const char* to_string(HookKind kind);
std::optional<HookKind> parse_hook_kind(std::string_view text);

struct BootHook {
    HookKind kind = HookKind::none;
    std::filesystem::path where;  // the crontab ("crontab of <user>") or the .desktop file; empty for none
    std::string command;          // the exact command line the hook runs at boot (also for none: what to run)
    friend bool operator==(const BootHook&, const BootHook&) = default;
};

// Where detection looks for processes and the WSL interop entry; tests pass a sandbox folder.
inline constexpr std::string_view k_proc_root = "/proc";

// The marker that ends ductor's own crontab line (a shell comment to cron's /bin/sh).
inline constexpr std::string_view k_cron_marker = "# ductor boot hook";

// --- escaping: one function per target syntax ------------------------------

// One word for /bin/sh: always single-quoted, a quote written as '\''. A `%`
// is left outside the quotes (sh reads it the same), so that cron_escape's
// `\%` means `%` to every cron: cronie/vixie remove the backslash, busybox
// crond leaves it to the shell, which removes it outside quotes.
std::string shell_quote(std::string_view word);

// A shell line as a crontab command field: every `%` (cron's newline) as `\%`.
// Correct for lines built with shell_quote (no `%` inside quotes, no `\`
// before a `%`). Throws std::invalid_argument for a line break, which no
// crontab line can carry.
std::string cron_escape(std::string_view line);

// One argument of a desktop entry's Exec= value, exactly as it is written in
// the file: double-quoted when it holds a reserved character (`"`, `` ` ``,
// `$`, `\` backslash-escaped inside), `%` as `%%`, then the string-value
// escapes (`\` as `\\`, line feed/tab/carriage return as `\n`/`\t`/`\r`).
std::string desktop_exec_argument(std::string_view argument);

// --- generated text (pure) ----------------------------------------------------

// The exact command line a hook runs at boot: absolute paths only, the PATH
// captured now (its absolute folders), DUCTOR_HOME when it is set, e.g.
//   /usr/bin/env PATH='/home/u/.local/bin:/usr/bin:/bin' DUCTOR_HOME='/home/u/.ductor' '/usr/local/bin/ductor' boot
// (shell-quoted for /bin/sh; cron runs the line with /bin/sh).
std::string boot_command(const sdk::Host& host);

// Crontab text with exactly one line marked as ductor's (`@reboot <command> #
// ductor boot hook`), replacing the first older marked line in place and
// dropping any further ones; every other line of the user's kept byte for
// byte; `%` escaped by cron_escape; a trailing newline ensured. Pure; throws
// std::invalid_argument when `command` holds a line break.
std::string with_cron_line(std::string_view crontab, std::string_view command);

// The crontab without ductor's marked line(s); every other byte kept. Pure.
std::string without_cron_line(std::string_view crontab);

// A freedesktop autostart entry that runs `command` with /bin/sh -c (Exec=
// built by desktop_exec_argument), marked as ductor's by X-Ductor-Boot-Hook. Pure.
std::string autostart_entry(std::string_view command);

// The record file's text: `format=1`, `kind=`, `where=`, `command=` lines
// after a comment; values escape `\` and line breaks. Pure.
std::string format_hook_record(const BootHook& hook);
// nullopt when the text is not a record this version understands.
std::optional<BootHook> parse_hook_record(std::string_view text);

// --- the machine, through the Host -------------------------------------------

// <ductor home>/standalone/boot-hook
std::filesystem::path hook_record_path(const sdk::Host& host);
// $XDG_CONFIG_HOME/autostart/ductor-boot.desktop ($XDG_CONFIG_HOME: ~/.config when unset or relative).
std::filesystem::path autostart_path(const sdk::Host& host);

// A process named cron or crond (or `busybox crond`) in <proc>/*/comm or cmdline. No child processes.
bool cron_daemon_running(const sdk::Host& host, const std::filesystem::path& proc_root = k_proc_root);
// XDG_CURRENT_DESKTOP, WAYLAND_DISPLAY or DISPLAY set and non-empty.
bool desktop_session(const sdk::Host& host);
// WSL_DISTRO_NAME set, or <proc>/sys/fs/binfmt_misc/WSLInterop (or WSLInterop-late) exists.
bool running_on_wsl(const sdk::Host& host, const std::filesystem::path& proc_root = k_proc_root);
// The hook that applies here: cron when a cron daemon runs and `crontab` is in
// a PATH folder, else xdg_autostart in a desktop session (not on WSL, where
// WSLg sets DISPLAY but no session runs autostart entries), else none. `where`
// is filled in, `command` is boot_command. No child processes.
BootHook choose_hook(const sdk::Host& host, const std::filesystem::path& proc_root = k_proc_root);

// What the backend calls on install. With a recorded hook: puts it back in
// place (re-adds or updates the cron line, rewrites the entry) and returns it
// in `hook`. Otherwise chooses one, installs it (`crontab -l`, then `crontab -`
// with the new text; "no crontab for" means empty), records it (0600) and says
// which in a note. Returns the notes for the user. Never fails: a hook that
// cannot be installed is not a failed service install, so `hook` then has kind
// none and the notes say why and what to run at start-up instead (on WSL: the
// /etc/wsl.conf [boot] lines).
std::vector<std::string> ensure_boot_hook(sdk::Host& host, BootHook& hook,
                                          const std::filesystem::path& proc_root = k_proc_root);

// What the backend calls when the last standalone service is uninstalled:
// removes the recorded hook (the crontab keeps every other line; the .desktop
// file goes) and then its record. Succeeds when nothing is recorded; on
// failure the record stays and the error says what to remove by hand.
sdk::Expected<void> drop_boot_hook(sdk::Host& host);

// The recorded hook, for `status` ("persistence"); nullopt when none was ever
// recorded (or the record is unreadable).
std::optional<BootHook> recorded_boot_hook(const sdk::Host& host);

// The note for a machine without a hook: the service will not come back after
// a reboot; run `command` at start-up; on WSL, the /etc/wsl.conf [boot] lines.
std::string no_hook_advice(const sdk::Host& host, std::string_view command, bool wsl);

}  // namespace ductor::standalone
