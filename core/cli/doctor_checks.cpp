// The checks of `ductor doctor`, one function per section. Finding kinds:
//   backend      backend-selected; no-backend (attention); backend-other, plugin-not-loaded (notes)
//   persistence  linger-on; linger-off (attention when an enabled service of that backend is recorded,
//                else a note), for a backend with sdk::LingerControl (systemd); boot-hook; no-boot-hook (attention);
//                persistence-unknown (note)
//   services     service-ok; service-problem, services-unchecked (attention); nothing-installed (note)
//   path         path-ok, ductor-on-path; path-unset, path-relative, path-other-ductor (attention);
//                path-missing, ductor-not-on-path (notes)
//   home         home-ok; home-relative, home-not-folder, home-not-writable (attention); home-missing (note)
//   next         next-install (note)
#include "doctor_checks.hpp"

#include "service_output.hpp"

#include <ductor/host/real_host.hpp>
#include <ductor/platform/files.hpp>
#include <ductor/platform/process.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/plugin/guard.hpp>
#include <ductor/sdk/linger_control.hpp>

#include <algorithm>
#include <filesystem>
#include <set>

namespace ductor::cli::doctor {
namespace {

namespace fs = std::filesystem;

// Where the `ductor` that PATH finds is, compared with the one running.
struct OnPath {
    std::optional<fs::path> found;
    bool is_this_one = false;
};

OnPath find_ductor_on_path(const sdk::Host& host) {
    const auto exe = host.ductor_executable();
    OnPath on_path;
    on_path.found = platform::find_executable(exe.filename().string(), host.environment("PATH").value_or(""));
    std::error_code ec;
    on_path.is_this_one = on_path.found && fs::equivalent(*on_path.found, exe, ec);
    return on_path;
}

const plugin::LoadedPlugin* loaded(const plugin::Registry& registry, const std::string& name) {
    for (const auto& plugin : registry.plugins()) {
        if (plugin->info.name == name) return plugin.get();
    }
    return nullptr;
}

// What a backend whose manager ends services at logout says about linger (<ductor/sdk/linger_control.hpp>).
struct LingerState {
    bool on = false;
    std::vector<std::string> enable;  // the command that turns it on
};

// nullopt when `backend` is not loaded, has no such notion, or cannot say.
std::optional<LingerState> linger_state(const plugin::Registry& registry, const std::string& backend) {
    const auto* plugin = loaded(registry, backend);
    auto* control = plugin != nullptr ? dynamic_cast<sdk::LingerControl*>(plugin->backend.get()) : nullptr;
    if (control == nullptr) return std::nullopt;
    auto state = plugin::guarded_call("lingers()", [&] {
        return LingerState{control->lingers(), control->enable_linger_command()};
    });
    if (!state) return std::nullopt;
    return *state;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

Section backend_section(const GlobalOptions& global, const plugin::Registry& registry, Report& report) {
    Section section{"backend", "Backend", {}};
    auto selection = registry.select(global.backend, plugin::Need::available);
    const plugin::LoadedPlugin* chosen = selection ? *selection : nullptr;
    if (chosen != nullptr) {
        report.selected = chosen->info.name;
        report.why = global.backend ? "chosen with --backend (or DUCTOR_BACKEND)"
                                    : "the usable backend with the highest priority (" +
                                          std::to_string(chosen->info.priority) + ")";
        section.findings.push_back(
            {Severity::ok, "backend-selected", chosen->info.name,
             chosen->info.name + " would be used: " + report.why + "; " + chosen->availability.reason});
    } else {
        report.why = global.backend ? first_line(selection.error()) : "no backend is usable on this machine";
        section.findings.push_back({Severity::attention, "no-backend", global.backend.value_or(""),
                                    report.why + ", so service commands exit 5; each backend's reason follows"});
    }
    for (const auto& plugin : registry.plugins()) {
        if (plugin.get() == chosen) continue;
        const auto& info = plugin->info;
        std::string text = info.name + " (priority " + std::to_string(info.priority) + "): ";
        if (!plugin->availability.available)
            text += "not usable here: ";
        else if (chosen != nullptr)
            text += global.backend ? "usable, not asked for: "
                                   : "usable, not chosen (" + chosen->info.name + " ranks higher): ";
        else
            text += "usable (use it with --backend " + info.name + "): ";
        section.findings.push_back({Severity::note, "backend-other", info.name, text + plugin->availability.reason});
    }
    for (const auto& failure : registry.failures()) {
        section.findings.push_back({Severity::note, "plugin-not-loaded", failure.candidate.file.string(),
                                    failure.candidate.file.string() + ": not loaded: " + failure.reason});
    }
    return section;
}

Finding linger_finding(const std::string& backend, const LingerState& linger, const sdk::Host& host,
                       const std::vector<ServiceView>& services) {
    const auto user = host.user_name();
    if (linger.on) {
        return {Severity::ok, "linger-on", backend,
                backend + ": linger is on for " + user + ": user services start at boot and run after logout"};
    }
    bool needed = std::any_of(services.begin(), services.end(),
                              [&](const auto& s) { return s.backend == backend && s.desired == "enabled"; });
    return {needed ? Severity::attention : Severity::note, "linger-off", backend,
            backend + ": linger is off for " + user +
                ": user services start only at login and stop at logout; to keep them running, run: " +
                display_command(linger.enable) + " (or install with --enable-linger)"};
}

// A backend's own word on persistence: the `persistence` detail of a recorded service's status.
Finding hook_finding(const std::string& backend, const plugin::Registry& registry,
                     const std::vector<ServiceView>& services) {
    for (const auto& service : services) {
        if (service.backend != backend || !service.status) continue;
        auto value = status_detail(*service.status, "persistence");
        if (!value) continue;
        if (*value == "none") {
            return {Severity::attention, "no-boot-hook", backend,
                    backend +
                        ": no boot hook is in place, so its services do not come back after a reboot "
                        "unless 'ductor boot' runs at start-up ('ductor service install' says how)"};
        }
        return {Severity::ok, "boot-hook", backend,
                backend + ": its services come back after a reboot (boot hook: " + *value + ")"};
    }
    const auto* plugin = loaded(registry, backend);
    return {Severity::note, "persistence-unknown", backend,
            backend + ": not known until a service of this backend is installed" +
                (plugin != nullptr ? " (the backend says: " + plugin->availability.reason + ")" : std::string())};
}

Section persistence_section(const plugin::Registry& registry, const sdk::Host& host, const Report& report) {
    Section section{"persistence", "Boot persistence", {}};
    std::set<std::string> backends;
    if (report.selected) backends.insert(*report.selected);
    for (const auto& service : report.services) {
        if (!service.backend.empty()) backends.insert(service.backend);
    }
    for (const auto& backend : backends) {
        auto linger = linger_state(registry, backend);
        section.findings.push_back(linger ? linger_finding(backend, *linger, host, report.services)
                                          : hook_finding(backend, registry, report.services));
    }
    return section;
}

Section services_section(const Report& report, bool home_usable) {
    Section section{"services", "Services", {}};
    if (!home_usable) {
        section.findings.push_back(
            {Severity::attention, "services-unchecked", "", "not checked: the ductor home cannot be used (see below)"});
        return section;
    }
    if (report.services.empty()) {
        section.findings.push_back(
            {Severity::note, "nothing-installed", "", "no service is installed with ductor on this account"});
    }
    for (const auto& service : report.services) {
        std::string text =
            service.name + " (" + (service.backend.empty() ? "?" : service.backend) + "): " + service.state;
        if (service.pid) text += ", pid " + std::to_string(*service.pid);
        if (!service.problem.empty()) {
            section.findings.push_back(
                {Severity::attention, "service-problem", service.name, text + ": " + service.problem});
        } else {
            section.findings.push_back(
                {Severity::ok, "service-ok", service.name, text + ", wanted " + service.desired + ", as recorded"});
        }
    }
    return section;
}

void add_path_entry(Section& section, const std::string& entry) {
    if (entry.empty()) {
        section.findings.push_back(
            {Severity::attention, "path-relative", "",
             "PATH has an empty entry, which shells read as the current folder; ductor never "
             "searches it, so 'service install' does not find a program your shell finds there"});
    } else if (!fs::path(entry).is_absolute()) {
        section.findings.push_back({Severity::attention, "path-relative", entry,
                                    "the PATH entry '" + entry +
                                        "' is relative; ductor never searches it, so "
                                        "'service install' does not find a program your shell finds there"});
    } else if (std::error_code ec; !fs::is_directory(entry, ec)) {
        section.findings.push_back(
            {Severity::note, "path-missing", entry, "the PATH entry '" + entry + "' is not an existing folder"});
    }
}

Section path_section(const sdk::Host& host, const OnPath& on_path) {
    Section section{"path", "PATH", {}};
    auto value = host.environment("PATH");
    if (!value || value->empty()) {
        section.findings.push_back({Severity::attention, "path-unset", "",
                                    "PATH is empty or not set: 'service install' cannot find a program by its name"});
    } else {
        const char separator = platform::path_list_separator();
        for (std::size_t start = 0;;) {
            auto end = value->find(separator, start);
            add_path_entry(section, value->substr(start, end == std::string::npos ? std::string::npos : end - start));
            if (end == std::string::npos) break;
            start = end + 1;
        }
        if (section.findings.empty())
            section.findings.push_back(
                {Severity::ok, "path-ok", "", "every PATH entry is an absolute, existing folder"});
    }
    const auto exe = host.ductor_executable();
    const auto folder = exe.parent_path().string();
    if (!on_path.found) {
        section.findings.push_back({Severity::note, "ductor-not-on-path", folder,
                                    "ductor's folder " + folder + " is not on PATH: run it as " + exe.string() +
                                        ", or add the folder to PATH"});
    } else if (!on_path.is_this_one) {
        section.findings.push_back({Severity::attention, "path-other-ductor", on_path.found->string(),
                                    "'ductor' on PATH is " + on_path.found->string() + ", not this one (" +
                                        exe.string() + "): the commands you type run the other one"});
    } else {
        section.findings.push_back(
            {Severity::ok, "ductor-on-path", folder, "ductor's folder " + folder + " is on PATH"});
    }
    return section;
}

// The closest folder that exists at or above `path`.
fs::path existing_ancestor(fs::path path) {
    std::error_code ec;
    while (!path.empty() && !fs::exists(path, ec) && path.has_relative_path()) path = path.parent_path();
    return path;
}

Section home_section(const sdk::Host& host, bool& usable) {
    Section section{"home", "ductor home", {}};
    usable = false;
    if (auto home = host::check_ductor_home(); !home) {
        section.findings.push_back({Severity::attention, "home-relative", "",
                                    home.error() + "; every service command refuses to run until it is absolute"});
        return section;
    }
    const auto home = host.ductor_home();
    const auto text = home.string();
    std::error_code ec;
    if (fs::exists(home, ec) && !fs::is_directory(home, ec)) {
        section.findings.push_back(
            {Severity::attention, "home-not-folder", text, text + " exists but is not a folder"});
        return section;
    }
    usable = true;
    if (fs::is_directory(home, ec)) {
        if (platform::can_create_files_in(home))
            section.findings.push_back({Severity::ok, "home-ok", text, text + " is absolute and writable"});
        else
            section.findings.push_back({Severity::attention, "home-not-writable", text,
                                        text + " is not writable by you, so install cannot keep its records there"});
        return section;
    }
    const auto ancestor = existing_ancestor(home);
    if (platform::can_create_files_in(ancestor)) {
        section.findings.push_back(
            {Severity::note, "home-missing", text, text + " does not exist yet; the first install creates it"});
    } else {
        section.findings.push_back({Severity::attention, "home-not-writable", text,
                                    text + " does not exist and " + ancestor.string() +
                                        " is not writable by you, so install cannot create it"});
    }
    return section;
}

// The exact install command for this machine: the `ductor` that runs now, the
// plugin folders and backend given, and --enable-linger where the manager
// would stop the service at logout (linger off).
std::string install_command(const GlobalOptions& global, const plugin::Registry& registry, const sdk::Host& host,
                            const Report& report, const OnPath& on_path) {
    std::vector<std::string> argv{on_path.is_this_one ? "ductor" : host.ductor_executable().string(), "service",
                                  "install"};
    for (const auto& dir : global.plugin_dirs) argv.insert(argv.end(), {"--plugin-dir", dir.string()});
    if (global.backend) argv.insert(argv.end(), {"--backend", *global.backend});
    if (auto linger = linger_state(registry, *report.selected); linger && !linger->on)
        argv.push_back("--enable-linger");
    return display_command(argv) + " -- PROGRAM [ARGS...]";
}

}  // namespace

const char* to_string(Severity severity) {
    switch (severity) {
        case Severity::ok: return "ok";
        case Severity::note: return "note";
        case Severity::attention: return "attention";
    }
    return "attention";
}

int Report::attention() const {
    int count = 0;
    for (const auto& section : sections) {
        count += static_cast<int>(std::count_if(section.findings.begin(), section.findings.end(),
                                                [](const auto& f) { return f.severity == Severity::attention; }));
    }
    return count;
}

Report examine(const GlobalOptions& global, const plugin::Registry& registry, const sdk::Host& host) {
    Report report;
    auto backend = backend_section(global, registry, report);
    bool home_usable = false;
    auto home = home_section(host, home_usable);
    if (home_usable) report.services = view_recorded_services(registry, host);
    const auto on_path = find_ductor_on_path(host);
    report.sections.push_back(std::move(backend));
    report.sections.push_back(persistence_section(registry, host, report));
    report.sections.push_back(services_section(report, home_usable));
    report.sections.push_back(path_section(host, on_path));
    report.sections.push_back(std::move(home));
    if (report.selected && home_usable && report.services.empty()) {
        report.next = install_command(global, registry, host, report, on_path);
        report.sections.push_back(
            {"next", "Next", {{Severity::note, "next-install", "", "to install your program, run: " + *report.next}}});
    }
    return report;
}

}  // namespace ductor::cli::doctor
