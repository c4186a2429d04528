// The service folder's scripts, where things are, and what /proc and
// `sv status` say: pure functions over the spec and the Host.
#include "runit.hpp"

#include <ductor/sdk/paths.hpp>
#include <ductor/sdk/runner.hpp>
#include <ductor/sdk/shell.hpp>

#include <algorithm>
#include <cctype>

namespace ductor_runit {
namespace sdk = ductor::sdk;
namespace {

const std::vector<std::string> k_system_dirs = {"/usr/local/bin",  "/usr/bin",  "/bin",
                                                "/usr/local/sbin", "/usr/sbin", "/sbin"};
constexpr std::chrono::seconds k_default_restart_delay{5};

std::string header(const sdk::ServiceSpec& spec, std::string_view what) {
    return "#!/bin/sh\n# ductor runit service " + sdk::shell_quote(spec.name) + ": " + std::string(what) +
           "\n# Written by ductor; `ductor service install` rewrites it.\n";
}

// "/a/b/" and "/a/b" name the same folder.
std::string folder_text(const std::filesystem::path& path) {
    auto text = sdk::utf8(path.lexically_normal());
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    return text;
}

bool all_digits(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::vector<std::string> split_nul(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t at = 0;
    while (at < text.size()) {
        auto end = text.find('\0', at);
        if (end == std::string::npos) end = text.size();
        parts.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    return parts;
}

// The real uid on the "Uid:" line of /proc/<pid>/status.
std::optional<std::uint32_t> real_uid(const std::string& status) {
    auto at = status.find("\nUid:");
    if (at == std::string::npos) return std::nullopt;
    at += 5;
    while (at < status.size() && (status[at] == '\t' || status[at] == ' ')) ++at;
    std::uint32_t uid = 0;
    bool any = false;
    for (; at < status.size() && std::isdigit(static_cast<unsigned char>(status[at])); ++at, any = true)
        uid = uid * 10 + static_cast<std::uint32_t>(status[at] - '0');
    if (!any) return std::nullopt;
    return uid;
}

}  // namespace

std::filesystem::path watched_folder(const sdk::Host& host) {
    if (auto dir = host.environment("DUCTOR_RUNIT_DIR"); dir && !dir->empty()) return *dir;
    return host.home_directory() / ".config" / "ductor" / "runit" / "service";
}

Layout layout(const sdk::Host& host, const sdk::ServiceSpec& spec) {
    Layout where;
    where.watched = watched_folder(host);
    where.link = where.watched / spec.name;
    where.service = host.ductor_home() / "runit" / spec.name;
    where.log_dir = sdk::runner::log_directory(host, spec) / ("runit-" + spec.name);
    return where;
}

std::string run_script(const sdk::Host& host, const sdk::ServiceSpec& spec) {
    std::vector<sdk::EnvVar> defaults{{"PATH", sdk::service_path(host, k_system_dirs)},
                                      {"HOME", sdk::utf8(host.home_directory())},
                                      {"DUCTOR_SUPERVISOR", "1"}};
    if (auto moved = host.environment("DUCTOR_HOME"); moved && !moved->empty())
        defaults.push_back({"DUCTOR_HOME", sdk::utf8(host.ductor_home())});
    std::string text = header(spec, "the program, started by runsv");
    text += "exec 2>&1\n";
    for (const auto& var : sdk::merge_environment(std::move(defaults), spec.environment))
        text += "export " + var.key + "=" + sdk::shell_quote(var.value) + "\n";
    const auto workdir = spec.working_directory.value_or(host.home_directory());
    text += "cd " + sdk::shell_quote(sdk::utf8(workdir)) + " || exit 111\n";
    text += "exec " + sdk::shell_join(spec.argv) + "\n";
    return text;
}

std::string finish_script(const sdk::ServiceSpec& spec) {
    const auto delay = std::to_string(spec.restart_delay.value_or(k_default_restart_delay).count());
    std::string text = header(spec,
                              "runsv runs this after each run, with the exit code ($1, -1 after a signal) "
                              "and the signal ($2)");
    text += "# Restart policy: " + std::string(sdk::to_string(spec.restart)) + ", " + delay + " s apart.\n";
    // Writing 'd' to supervise/control is `sv down .` without needing sv on PATH.
    // As with systemd, an exit by SIGHUP, SIGINT, SIGTERM or SIGPIPE is clean.
    text += "clean=no\n";
    text += "if [ \"$1\" = 0 ]; then clean=yes; fi\n";
    text += "if [ \"$1\" = -1 ]; then case \"$2\" in 1|2|13|15) clean=yes ;; esac; fi\n";
    switch (spec.restart) {
        case sdk::RestartPolicy::never: text += "printf d > supervise/control\nexit 0\n"; break;
        case sdk::RestartPolicy::on_failure:
            text += "if [ \"$clean\" = yes ]; then printf d > supervise/control; exit 0; fi\n";
            text += "exec sleep " + delay + "\n";
            break;
        case sdk::RestartPolicy::always:
            text += "if [ \"$1\" = -1 ] && [ \"$2\" = 15 ]; then exit 0; fi\n";
            text += "exec sleep " + delay + "\n";
            break;
    }
    return text;
}

std::string log_run_script(const Layout& where) {
    const auto dir = sdk::shell_quote(sdk::utf8(where.log_dir));
    return "#!/bin/sh\n# ductor runit service log: svlogd keeps it in " + dir +
           " (current, then rotated files).\n# Written by ductor; `ductor service install` rewrites it.\n"
           "mkdir -p " +
           dir + " || exit 111\nexec svlogd " + dir + "\n";
}

std::vector<Runsvdir> find_runsvdirs(const sdk::Host& host, std::uint32_t uid) {
    std::vector<Runsvdir> found;
    for (const auto& entry : host.list_directory("/proc")) {
        const auto name = entry.filename().string();
        if (!all_digits(name)) continue;
        auto cmdline = host.read_file(entry / "cmdline");
        if (!cmdline) continue;
        const auto argv = split_nul(*cmdline);
        if (argv.empty() || std::filesystem::path(argv[0]).filename() != "runsvdir") continue;
        auto status = host.read_file(entry / "status");
        if (!status || real_uid(*status) != uid) continue;
        // runsvdir [-P] dir [log]: the first argument that is not an option.
        auto folder = std::find_if(argv.begin() + 1, argv.end(), [](const auto& a) { return a.rfind('-', 0) != 0; });
        if (folder == argv.end()) continue;
        found.push_back({std::stoll(name), *folder});
    }
    return found;
}

std::optional<SvStatus> parse_sv_status(std::string_view out) {
    auto line = out.substr(0, out.find('\n'));
    auto colon = line.find(':');
    if (line.empty() || colon == std::string_view::npos) return std::nullopt;
    SvStatus status;
    status.state = std::string(line.substr(0, colon));
    status.text = std::string(line);
    const auto first = line.substr(0, line.find(';'));
    if (auto at = first.find("(pid "); at != std::string_view::npos) {
        long long pid = 0;
        bool any = false;
        for (at += 5; at < first.size() && std::isdigit(static_cast<unsigned char>(first[at])); ++at, any = true)
            pid = pid * 10 + (first[at] - '0');
        if (any) status.pid = pid;
    }
    return status;
}

bool same_folder(const std::filesystem::path& a, const std::filesystem::path& b) {
    return folder_text(a) == folder_text(b);
}

}  // namespace ductor_runit
