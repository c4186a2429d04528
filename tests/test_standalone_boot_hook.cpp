// Tests of the standalone backend's boot hook: the generated text (golden,
// idempotent, the user's bytes kept), its escaping checked by the real /bin/sh
// (and by GLib's desktop entry launcher when `gio` is installed), detection in
// a fake /proc, and install/drop through the fake Host.
#include "fake_host.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/platform/process.hpp>
#include <ductor/standalone/boot_hook.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>

using namespace ductor;
using namespace ductor::standalone;
using test::FakeHost;

namespace {

constexpr auto k_file_mode = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;

const std::string k_command = "/usr/bin/env PATH='/usr/bin:/bin' '/opt/ductor/bin/ductor' boot";
const std::string k_line = "@reboot " + k_command + " # ductor boot hook\n";

// A user's crontab with the things people keep there.
const std::string k_user_crontab =
    "# m h dom mon dow command\n"
    "MAILTO=\"me@example.org\"\n"
    "SHELL=/bin/bash\n"
    "\n"
    "*/5 * * * * /home/u/bin/poll --since='1 day' 2>&1 | logger\n"
    "0 3 * * * date +\\%F >> /tmp/dates\n"
    "   \t\n"
    "@reboot /home/u/other-thing # mine, not ductor's\n";

// A fake /proc entry: <root>/proc/<pid>/comm and cmdline.
void fake_process(FakeHost& host, const std::string& pid, const std::string& comm, const std::string& cmdline) {
    const auto dir = host.root() / "proc" / pid;
    REQUIRE(host.write_file(dir / "comm", comm + "\n", k_file_mode).ok);
    REQUIRE(host.write_file(dir / "cmdline", cmdline, k_file_mode).ok);
}

// A machine where cron applies: crond runs and `crontab` is on PATH.
void with_cron(FakeHost& host) {
    fake_process(host, "1", "init", std::string("/sbin/init\0", 11));
    fake_process(host, "312", "crond", std::string("/usr/sbin/crond\0-n\0", 19));
    host.set_env("PATH", "/usr/bin:/bin");
    host.pretend_exists("/usr/bin/crontab");
}

std::filesystem::path proc(const FakeHost& host) { return host.root() / "proc"; }

// What `crontab -` was given by every call so far.
std::vector<std::string> installed_crontabs(const FakeHost& host) {
    std::vector<std::string> texts;
    for (const auto& call : host.calls())
        if (call.argv == std::vector<std::string>{"crontab", "-"}) texts.push_back(call.stdin_data.value_or(""));
    return texts;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words) out += word + '\0';
    return out;
}

// `printf '%s\0' WORDS...`, each word through shell_quote.
std::string printf_command(const std::vector<std::string>& words) {
    std::string command = "printf " + shell_quote("%s\\0");
    for (const auto& word : words) command += " " + shell_quote(word);
    return command;
}

std::string run_sh(const std::string& script) {
    sdk::ProcessRequest request;
    request.argv = {"/bin/sh", "-c", script};
    const auto result = platform::run_captured(request);
    REQUIRE(result.succeeded());
    return result.out;
}

// What cronie and vixie cron hand to the shell from a command field: `\%`
// becomes `%`, any other backslash pair stays as it is, and an unescaped `%`
// ends the command (the rest would be its stdin). busybox crond hands the
// field over unchanged.
std::string cronie_command(std::string_view field) {
    std::string out;
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 1 < field.size()) {
            if (field[i + 1] != '%') out += '\\';
            out += field[++i];
        } else if (field[i] == '%') {
            break;
        } else {
            out += field[i];
        }
    }
    return out;
}

// Hostile words from a fixed seed: quotes, `%`, `$`, backslashes, spaces,
// globs, comment signs and random bytes (no NUL, which no argv can hold).
std::vector<std::string> hostile_words(std::mt19937& random) {
    static const std::vector<std::string> pieces{"'",    "\"", "%",  "\\", "\\%",   "%%", "$",     "$HOME",
                                                 "`id`", " ",  "\t", "*",  "?",     "#",  "~",     ";",
                                                 "&",    "|",  "(",  ")",  "'\\''", "é",  "/a b/c"};
    std::vector<std::string> words(std::uniform_int_distribution<std::size_t>(1, 4)(random));
    for (auto& word : words) {
        const int length = std::uniform_int_distribution<int>(0, 8)(random);
        for (int i = 0; i < length; ++i) {
            if (random() % 3 == 0)
                word += static_cast<char>(std::uniform_int_distribution<int>(1, 255)(random));
            else
                word += pieces[random() % pieces.size()];
        }
    }
    return words;
}

}  // namespace

// --- escaping -----------------------------------------------------------------

TEST_CASE("boot hook shell quoting single-quotes every word and keeps percent signs outside the quotes") {
    CHECK(shell_quote("") == "''");
    CHECK(shell_quote("/usr/local/bin/ductor") == "'/usr/local/bin/ductor'");
    CHECK(shell_quote("a b$c") == "'a b$c'");
    CHECK(shell_quote("it's") == "'it'\\''s'");
    CHECK(shell_quote("50%") == "'50'%''");
}

TEST_CASE("boot hook cron escaping escapes every percent sign and refuses line breaks") {
    CHECK(cron_escape("date +%F") == "date +\\%F");
    CHECK(cron_escape("'a'%'b'") == "'a'\\%'b'");
    CHECK(cron_escape("no percent") == "no percent");
    CHECK_THROWS_AS(cron_escape("a\nb"), std::invalid_argument);
    CHECK_THROWS_AS(cron_escape("a\rb"), std::invalid_argument);
}

TEST_CASE("boot hook desktop Exec arguments are quoted only when needed and escaped for the key file") {
    CHECK(desktop_exec_argument("/bin/sh") == "/bin/sh");
    CHECK(desktop_exec_argument("-c") == "-c");
    CHECK(desktop_exec_argument("") == "\"\"");
    CHECK(desktop_exec_argument("a b") == "\"a b\"");
    CHECK(desktop_exec_argument("say \"hi\"") == "\"say \\\\\"hi\\\\\"\"");
    CHECK(desktop_exec_argument("$HOME") == "\"\\\\$HOME\"");
    CHECK(desktop_exec_argument("a\\b") == "\"a\\\\\\\\b\"");
    CHECK(desktop_exec_argument("100%") == "100%%");
    CHECK(desktop_exec_argument("a\nb") == "\"a\\nb\"");
}

TEST_CASE("boot hook quoting gives the original words back through the real /bin/sh, directly and through cron") {
    std::mt19937 random(20240611);
    for (int round = 0; round < 150; ++round) {
        const auto words = hostile_words(random);
        CAPTURE(words);
        const auto command = printf_command(words);
        CHECK(run_sh(command) == joined(words));
        if (command.find_first_of("\r\n") != std::string::npos) {
            CHECK_THROWS_AS(with_cron_line("", command), std::invalid_argument);  // no crontab line carries it
            continue;
        }
        // The crontab line: its command field as cronie/vixie and as busybox crond hand it to the shell.
        const auto line = with_cron_line("", command);
        REQUIRE(line.starts_with("@reboot "));
        const auto field = line.substr(8, line.size() - 9);
        CHECK(run_sh(cronie_command(field)) == joined(words));
        CHECK(run_sh(field) == joined(words));
    }
}

TEST_CASE("boot hook autostart entries run the command through GLib's launcher unchanged") {
    if (!platform::find_executable("gio")) {
        WARN("SKIPPED: gio (GLib) is not installed, so the desktop entry is not checked by a real launcher");
        return;
    }
    test::TempDir dir;
    std::mt19937 random(7);
    for (int round = 0; round < 10; ++round) {
        std::vector<std::string> words;
        for (auto& word : hostile_words(random)) {  // a desktop entry is UTF-8 text: keep ASCII
            std::erase_if(word, [](char c) { return static_cast<unsigned char>(c) >= 0x80 || c < 0x20; });
            words.push_back(word);
        }
        words.push_back("new\nline\ttab");
        CAPTURE(words);
        const auto out = dir.path() / ("out" + std::to_string(round));
        const auto command = printf_command(words) + " > " + shell_quote(out.string() + ".tmp") + " && mv " +
                             shell_quote(out.string() + ".tmp") + " " + shell_quote(out.string());
        const auto entry = dir.path() / "ductor-boot.desktop";
        REQUIRE(platform::write_file_atomic(entry, autostart_entry(command), k_file_mode));
        sdk::ProcessRequest launch;
        launch.argv = {"gio", "launch", entry.string()};
        REQUIRE(platform::run_captured(launch).succeeded());
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!std::filesystem::exists(out) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        CHECK(platform::read_file(out) == joined(words));
    }
}

// --- generated text -------------------------------------------------------------

TEST_CASE("boot hook command uses absolute paths, the absolute PATH folders and a moved DUCTOR_HOME") {
    FakeHost host;
    CHECK(boot_command(host) == "/usr/bin/env '/opt/ductor/bin/ductor' boot");
    host.set_env("PATH", "/home/u/.local/bin:bin::.:/usr/bin:/bin");
    CHECK(boot_command(host) == "/usr/bin/env PATH='/home/u/.local/bin:/usr/bin:/bin' '/opt/ductor/bin/ductor' boot");
    host.set_env("DUCTOR_HOME", "/somewhere/else");  // the fake Host's ductor home stays in its sandbox
    CHECK(boot_command(host) == "/usr/bin/env PATH='/home/u/.local/bin:/usr/bin:/bin' DUCTOR_HOME='" +
                                    host.ductor_home().string() + "' '/opt/ductor/bin/ductor' boot");
    host.set_env("DUCTOR_HOME", "");
    CHECK(boot_command(host).find("DUCTOR_HOME") == std::string::npos);
}

TEST_CASE("boot hook cron line is added after the user's lines, which stay byte for byte") {
    CHECK(with_cron_line("", k_command) == k_line);
    CHECK(with_cron_line(k_user_crontab, k_command) == k_user_crontab + k_line);
    // A last line without its newline gets one; CRLF lines stay CRLF.
    CHECK(with_cron_line("0 1 * * * a\r\n0 2 * * * b", k_command) == "0 1 * * * a\r\n0 2 * * * b\n" + k_line);
    CHECK(with_cron_line("x", "date +%F") == "x\n@reboot date +\\%F # ductor boot hook\n");
}

TEST_CASE("boot hook cron line is idempotent and replaces an older marked line in place") {
    const auto once = with_cron_line(k_user_crontab, k_command);
    CHECK(with_cron_line(once, k_command) == once);
    const std::string older = "# top\n@reboot /old/ductor boot # ductor boot hook\n# bottom\n";
    CHECK(with_cron_line(older, k_command) == "# top\n" + k_line + "# bottom\n");
    // Duplicates (two installs racing, a hand copy) collapse to one line; a CRLF marked line keeps its CRLF.
    CHECK(with_cron_line(older + older, k_command) == "# top\n" + k_line + "# bottom\n# top\n# bottom\n");
    CHECK(with_cron_line("@reboot x # ductor boot hook\r\n", k_command) ==
          k_line.substr(0, k_line.size() - 1) + "\r\n");
    CHECK(with_cron_line("@reboot x # ductor boot hook", k_command) == k_line);
}

TEST_CASE("boot hook cron line removal keeps every other byte and undoes the addition") {
    for (const std::string& text : {std::string(), k_user_crontab, std::string("\n\n"), std::string("a\r\nb\r\n")}) {
        CHECK(without_cron_line(with_cron_line(text, k_command)) == text);
    }
    CHECK(without_cron_line("a\n" + k_line + "b") == "a\nb");
    CHECK(without_cron_line(k_line + k_line) == "");
    CHECK(without_cron_line("#@reboot x # ductor boot hook\n") == "#@reboot x # ductor boot hook\n");
}

TEST_CASE("boot hook cron line keeps random user crontabs byte for byte") {
    std::mt19937 random(99);
    const std::vector<std::string> lines{
        "# comment\n",       "A=1\n", "\n", "\r\n", "@reboot mine\n", "* * * * * x %y\n", " \t\n",
        "0 0 * * * a\\%b\n", "tail"};
    for (int round = 0; round < 200; ++round) {
        std::string text;
        const int count = std::uniform_int_distribution<int>(0, 6)(random);
        for (int i = 0; i < count; ++i) text += lines[random() % (lines.size() - 1)];
        if (random() % 4 == 0) text += lines.back();
        CAPTURE(text);
        const auto with = with_cron_line(text, k_command);
        CHECK(with.starts_with(text));
        CHECK(with_cron_line(with, "/other boot") == with_cron_line(text, "/other boot"));
        if (text.empty() || text.back() == '\n') CHECK(without_cron_line(with) == text);
    }
}

TEST_CASE("boot hook autostart entry runs the command with /bin/sh and is marked as ductor's") {
    CHECK(autostart_entry("/usr/bin/env '/opt/d' boot") ==
          "[Desktop Entry]\n"
          "Type=Application\n"
          "Name=ductor boot\n"
          "Comment=Starts the enabled ductor standalone services (written by ductor; removed with the last one)\n"
          "Exec=/bin/sh -c \"/usr/bin/env '/opt/d' boot\"\n"
          "Terminal=false\n"
          "NoDisplay=true\n"
          "X-GNOME-Autostart-enabled=true\n"
          "X-Ductor-Boot-Hook=true\n");
}

TEST_CASE("boot hook record round-trips hostile values and refuses what it does not know") {
    const BootHook hook{HookKind::xdg_autostart, "/home/u/.config/a b\\c\nd.desktop", "x='\\n'\r\n%"};
    CHECK(format_hook_record(BootHook{HookKind::cron, "crontab of u", "c"}) ==
          "# ductor standalone boot hook: written by ductor, removed with the last standalone service\n"
          "format=1\nkind=cron\nwhere=crontab of u\ncommand=c\n");
    CHECK(parse_hook_record(format_hook_record(hook)) == hook);
    CHECK_FALSE(parse_hook_record(""));
    CHECK_FALSE(parse_hook_record("format=2\nkind=cron\n"));
    CHECK_FALSE(parse_hook_record("format=1\nkind=launchd\n"));
    CHECK_FALSE(parse_hook_record("format=1\nkind=cron\ncommand=a\\q\n"));
    CHECK(parse_hook_record("format=1\nkind=cron\nfuture=1\n").has_value());
}

// --- detection ----------------------------------------------------------------------

TEST_CASE("boot hook detection finds cron, crond and busybox crond in /proc") {
    FakeHost host;
    fake_process(host, "1", "init", std::string("/sbin/init\0", 11));
    CHECK_FALSE(cron_daemon_running(host, proc(host)));
    fake_process(host, "40", "busybox", std::string("/bin/busybox\0crond\0-f\0", 22));
    CHECK(cron_daemon_running(host, proc(host)));

    FakeHost debian;
    fake_process(debian, "7", "cron", std::string("/usr/sbin/cron\0-f\0", 18));
    REQUIRE(debian.write_file(proc(debian) / "self" / "comm", "cron\n", k_file_mode).ok);
    CHECK(cron_daemon_running(debian, proc(debian)));
    CHECK(debian.calls().empty());
}

TEST_CASE("boot hook detection sees a desktop session and WSL from the environment and /proc") {
    FakeHost host;
    CHECK_FALSE(desktop_session(host));
    host.set_env("DISPLAY", "");
    CHECK_FALSE(desktop_session(host));
    host.set_env("WAYLAND_DISPLAY", "wayland-0");
    CHECK(desktop_session(host));

    CHECK_FALSE(running_on_wsl(host, proc(host)));
    host.pretend_exists(proc(host) / "sys/fs/binfmt_misc/WSLInterop");
    CHECK(running_on_wsl(host, proc(host)));
    FakeHost named;
    named.set_env("WSL_DISTRO_NAME", "Ubuntu");
    CHECK(running_on_wsl(named, proc(named)));
}

TEST_CASE("boot hook choice is cron with a cron daemon and crontab, else autostart on a desktop, else none") {
    FakeHost host;
    CHECK(choose_hook(host, proc(host)).kind == HookKind::none);
    CHECK(choose_hook(host, proc(host)).command == boot_command(host));
    host.set_env("XDG_CURRENT_DESKTOP", "GNOME");
    CHECK(choose_hook(host, proc(host)) == BootHook{HookKind::xdg_autostart,
                                                    host.home_directory() / ".config/autostart/ductor-boot.desktop",
                                                    boot_command(host)});
    fake_process(host, "312", "crond", "");
    CHECK(choose_hook(host, proc(host)).kind == HookKind::xdg_autostart);  // no crontab on PATH
    with_cron(host);
    CHECK(choose_hook(host, proc(host)) == BootHook{HookKind::cron, "crontab of tester", boot_command(host)});

    FakeHost wslg;  // WSLg sets DISPLAY, but nothing runs autostart entries
    wslg.set_env("DISPLAY", ":0");
    wslg.set_env("WSL_DISTRO_NAME", "Ubuntu");
    CHECK(choose_hook(wslg, proc(wslg)).kind == HookKind::none);
    CHECK(host.calls().empty());
}

// --- install and drop ------------------------------------------------------------------

TEST_CASE("boot hook with cron keeps the user's crontab, adds one marked line once and drop removes only it") {
    FakeHost host;
    with_cron(host);
    host.respond({"crontab", "-l"}, FakeHost::exited(0, k_user_crontab), true);
    BootHook hook;
    auto notes = ensure_boot_hook(host, hook, proc(host));
    CHECK(hook == BootHook{HookKind::cron, "crontab of tester", boot_command(host)});
    const auto expected = k_user_crontab + "@reboot " + boot_command(host) + " # ductor boot hook\n";
    CHECK(installed_crontabs(host) == std::vector<std::string>{expected});
    REQUIRE(notes.size() == 1);
    CHECK_THAT(notes[0], Catch::Contains("@reboot") && Catch::Contains("crontab of tester"));
    CHECK(recorded_boot_hook(host) == hook);
    CHECK((std::filesystem::status(hook_record_path(host)).permissions() & std::filesystem::perms::all) == k_file_mode);

    // Again, with the line in place: nothing is written and nothing is said.
    host.respond({"crontab", "-l"}, FakeHost::exited(0, expected), true);
    BootHook again;
    notes = ensure_boot_hook(host, again, proc(host));
    CHECK(again == hook);
    CHECK(notes.empty());
    CHECK(installed_crontabs(host).size() == 1);

    host.respond({"crontab", "-l"}, FakeHost::exited(0, expected), true);
    auto dropped = drop_boot_hook(host);
    CHECK(dropped);
    CHECK(installed_crontabs(host).back() == k_user_crontab);
    CHECK_FALSE(recorded_boot_hook(host));
    CHECK_FALSE(host.path_exists(hook_record_path(host)));
}

TEST_CASE("boot hook with cron puts a lost line back, starts from no crontab and removes it when it is empty") {
    FakeHost host;
    with_cron(host);
    host.respond({"crontab", "-l"}, FakeHost::exited(1, "", "no crontab for tester\n"), true);
    BootHook hook;
    ensure_boot_hook(host, hook, proc(host));
    const auto line = "@reboot " + boot_command(host) + " # ductor boot hook\n";
    CHECK(installed_crontabs(host) == std::vector<std::string>{line});
    const auto& call = host.calls().front();
    CHECK(std::find(call.environment.begin(), call.environment.end(),
                    std::pair<std::string, std::string>{"LC_ALL", "C"}) != call.environment.end());

    // The user replaced the crontab (busybox says "No such file" when there is none).
    host.respond({"crontab", "-l"},
                 FakeHost::exited(1, "", "crontab: can't open 'tester': No such file or directory\n"), true);
    auto notes = ensure_boot_hook(host, hook, proc(host));
    CHECK(hook.kind == HookKind::cron);
    CHECK(installed_crontabs(host) == std::vector<std::string>{line, line});
    CHECK(notes.size() == 1);

    host.respond({"crontab", "-l"}, FakeHost::exited(0, line), true);
    REQUIRE(drop_boot_hook(host));
    CHECK(host.call_lines().back() == "crontab -r");
}

TEST_CASE("boot hook failing crontab is not a failed install: kind none and a note with the reason") {
    FakeHost host;
    with_cron(host);
    host.respond({"crontab", "-"}, FakeHost::exited(1, "", "crontab: you are not allowed to use this program\n"));
    BootHook hook;
    auto notes = ensure_boot_hook(host, hook, proc(host));
    CHECK(hook.kind == HookKind::none);
    CHECK(hook.command == boot_command(host));
    REQUIRE(notes.size() == 1);
    CHECK_THAT(notes[0], Catch::Contains("not allowed to use this program") && Catch::Contains(boot_command(host)) &&
                             Catch::Contains("will not come back"));
    CHECK_FALSE(recorded_boot_hook(host));
    CHECK_FALSE(host.log_lines().empty());

    FakeHost denied;
    with_cron(denied);
    denied.respond({"crontab", "-l"}, FakeHost::exited(1, "", "crontab: permission denied\n"));
    ensure_boot_hook(denied, hook, proc(denied));
    CHECK(hook.kind == HookKind::none);
    CHECK(installed_crontabs(denied).empty());
}

TEST_CASE("boot hook on a desktop writes the autostart entry and drop removes it") {
    FakeHost host;
    host.set_env("DISPLAY", ":0");
    BootHook hook;
    auto notes = ensure_boot_hook(host, hook, proc(host));
    const auto entry = host.home_directory() / ".config/autostart/ductor-boot.desktop";
    CHECK(hook == BootHook{HookKind::xdg_autostart, entry, boot_command(host)});
    CHECK(host.read_file(entry) == autostart_entry(boot_command(host)));
    CHECK_THAT(notes.at(0), Catch::Contains(entry.string()) && Catch::Contains("login"));
    CHECK(host.calls().empty());

    // Rewritten when it went missing; the recorded path wins over a changed XDG_CONFIG_HOME.
    REQUIRE(host.remove_file(entry).ok);
    host.set_env("XDG_CONFIG_HOME", (host.root() / "elsewhere").string());
    ensure_boot_hook(host, hook, proc(host));
    CHECK(hook.where == entry);
    CHECK(host.path_exists(entry));

    REQUIRE(drop_boot_hook(host));
    CHECK_FALSE(host.path_exists(entry));
    CHECK_FALSE(recorded_boot_hook(host));
}

TEST_CASE("boot hook autostart entry follows XDG_CONFIG_HOME") {
    FakeHost host;
    host.set_env("XDG_CURRENT_DESKTOP", "KDE");
    host.set_env("XDG_CONFIG_HOME", (host.root() / "config").string());
    BootHook hook;
    ensure_boot_hook(host, hook, proc(host));
    CHECK(hook.where == host.root() / "config/autostart/ductor-boot.desktop");
    CHECK(host.path_exists(hook.where));
}

TEST_CASE("boot hook none says what to run at start-up, and on WSL how to use wsl.conf") {
    FakeHost host;
    host.set_env("PATH", "/usr/bin:/bin");
    BootHook hook;
    auto notes = ensure_boot_hook(host, hook, proc(host));
    CHECK(hook == BootHook{HookKind::none, {}, boot_command(host)});
    REQUIRE(notes.size() == 1);
    CHECK_THAT(notes[0], Catch::Contains("will not come back after a reboot") && Catch::Contains(boot_command(host)) &&
                             Catch::Contains("no cron daemon runs"));
    CHECK_THAT(notes[0], !Catch::Contains("wsl.conf"));
    CHECK_FALSE(recorded_boot_hook(host));

    host.set_env("WSL_DISTRO_NAME", "Debian");
    notes = ensure_boot_hook(host, hook, proc(host));
    CHECK_THAT(notes.at(0),
               Catch::Contains("/etc/wsl.conf") && Catch::Contains("[boot]\ncommand=su -l -s /bin/sh -c " +
                                                                   shell_quote(boot_command(host)) + " 'tester'"));
}

TEST_CASE("boot hook drop succeeds when nothing is recorded, and keeps the record when crontab fails") {
    FakeHost host;
    CHECK(drop_boot_hook(host));
    CHECK(host.calls().empty());

    REQUIRE(host.write_file(hook_record_path(host), format_hook_record({HookKind::cron, "crontab of tester", "c"}),
                            k_file_mode)
                .ok);
    host.respond({"crontab", "-l"}, FakeHost::exited(0, "@reboot c # ductor boot hook\n"));
    host.respond({"crontab", "-r"}, FakeHost::exited(1, "", "crontab: cannot remove\n"));
    auto dropped = drop_boot_hook(host);
    CHECK_FALSE(dropped);
    CHECK_THAT(dropped.error(), Catch::Contains("cannot remove") && Catch::Contains("crontab -e"));
    CHECK(recorded_boot_hook(host).has_value());
}
