#include <ductor/systemd/backend.hpp>

#include <ductor/sdk/paths.hpp>
#include <ductor/systemd/bus_manager.hpp>
#include <ductor/systemd/status.hpp>
#include <ductor/systemd/unit_file.hpp>

namespace ductor::systemd {
namespace {

constexpr unsigned k_default_log_lines = 50;

sdk::Result with_note(std::string text) {
    auto result = sdk::Result::success();
    result.note(std::move(text));
    return result;
}

UnitContext context_for(const sdk::Host& host) {
    return UnitContext{sdk::service_path(host, k_system_path_dirs), host.home_directory()};
}

// The full path of `name` in a PATH folder (or /usr/bin, /bin), found without running anything.
std::optional<std::filesystem::path> find_on_path(const sdk::Host& host, const std::string& name) {
    const auto value = host.environment("PATH").value_or("") + ":/usr/bin:/bin";
    for (const auto& folder : sdk::absolute_path_entries(value, ':')) {
        const auto dir = std::filesystem::path(folder);
        if (host.path_exists(dir / name)) return dir / name;
    }
    return std::nullopt;
}

}  // namespace

SystemdBackend::SystemdBackend(sdk::Host& host) : SystemdBackend(host, make_bus_manager(host)) {}

SystemdBackend::SystemdBackend(sdk::Host& host, std::unique_ptr<Manager> manager)
    : m_host(host), m_manager(std::move(manager)) {}

sdk::Availability SystemdBackend::is_service_available() {
    if (!m_host.path_exists("/run/systemd/system")) {
        return {false, "this system was not booted with systemd (/run/systemd/system is missing)"};
    }
    const auto runtime = runtime_dir(m_host);
    if (runtime.empty()) return {false, "XDG_RUNTIME_DIR is not set, so no systemd user manager can be found"};
    for (const char* endpoint : {"systemd/private", "bus"}) {
        if (!m_host.path_exists(runtime / endpoint)) continue;
        if (auto usable = m_manager->check_usable(); !usable) return {false, usable.error()};
        return {true, "systemd user manager at " + (runtime / endpoint).string()};
    }
    return {false, "no systemd user manager for this user (neither " + (runtime / "systemd/private").string() +
                       " nor " + (runtime / "bus").string() +
                       " exists); log in through a systemd session or enable linger"};
}

std::filesystem::path SystemdBackend::unit_path(const sdk::ServiceSpec& spec) const {
    std::filesystem::path config = m_host.home_directory() / ".config";
    if (auto dir = m_host.environment("XDG_CONFIG_HOME"); dir && std::filesystem::path(*dir).is_absolute())
        config = *dir;
    return config / "systemd" / "user" / unit_name(spec);
}

sdk::Expected<void> SystemdBackend::run_step(const Argv& argv) {
    sdk::ProcessRequest request;
    request.argv = argv;
    request.environment = {{"LC_ALL", "C"}};
    auto result = m_host.run_process(request);
    if (result.succeeded()) return {};
    return sdk::unexpected(command_failure(argv, result));
}

bool SystemdBackend::is_service_installed(const sdk::ServiceSpec& spec) {
    // A unit that still runs after its file was removed counts: stop and uninstall must reach it.
    return m_host.path_exists(unit_path(spec)) || service_status(spec).state != sdk::ServiceState::not_installed;
}

bool SystemdBackend::is_service_running(const sdk::ServiceSpec& spec) {
    auto shown = m_manager->properties(unit_name(spec), {"ActiveState"}).value_or(Properties());
    const auto active = shown["ActiveState"];
    return active == "active" || active == "reloading";
}

bool SystemdBackend::lingers() { return m_host.path_exists(linger_marker(m_host.user_name())); }

std::string SystemdBackend::linger_explanation() { return systemd::linger_explanation(m_host.user_name()); }

std::vector<std::string> SystemdBackend::enable_linger_command() { return systemd::enable_linger(m_host.user_name()); }

sdk::Result SystemdBackend::enable_linger() {
    auto enabled = sdk::to_result(run_step(enable_linger_command()));
    if (!enabled.ok)
        enabled.note("linger lets the service run without a login session; an administrator may have to enable it");
    return enabled;
}

// Whether install may write `spec`'s unit; why not when a unit of that name is one ductor did not write.
sdk::Expected<void> SystemdBackend::check_replaceable(const sdk::ServiceSpec& spec) const {
    if (spec.overwrite == sdk::Overwrite::allow) return {};
    const auto name = unit_name(spec);
    const auto path = unit_path(spec);
    if (auto foreign = sdk::foreign_definition(
            m_host, path, [](const std::string& text) { return text.rfind(k_unit_marker, 0) == 0; }))
        return sdk::unexpected(std::move(*foreign));
    for (const std::filesystem::path dir :
         {"/etc/systemd/user", "/usr/local/lib/systemd/user", "/usr/lib/systemd/user", "/lib/systemd/user",
          "/usr/local/share/systemd/user", "/usr/share/systemd/user"}) {
        if (m_host.path_exists(dir / name))
            return sdk::unexpected("'" + name + "' is a unit of the system (" + (dir / name).string() +
                                   "); a unit of yours would override it. Choose another --name, or add --force");
    }
    return {};
}

sdk::Rendering SystemdBackend::render(const sdk::ServiceSpec& spec) {
    sdk::Rendering rendering;
    if (auto replaceable = check_replaceable(spec); !replaceable) {
        rendering.error = std::move(replaceable).error();
        return rendering;
    }
    auto unit = render_unit(spec, context_for(m_host));
    if (!unit) {
        rendering.error = unit.error();
        return rendering;
    }
    rendering.files.push_back(sdk::RenderedFile{unit_path(spec), std::move(*unit), {}});
    const auto name = unit_name(spec);
    rendering.commands.push_back(systemctl("enable", name));
    rendering.commands.push_back(systemctl("daemon-reload"));
    rendering.commands.push_back(systemctl("start", name));
    rendering.notes.push_back("ductor asks the user manager over D-Bus; these are the systemctl equivalents");
    rendering.notes.push_back(
        "when " + name + " is already running, install restarts it instead of starting it so the new unit applies");
    return rendering;
}

// The manager's last words about the unit, for a failed install: its state and the last log lines.
std::string SystemdBackend::last_words(const std::string& name) {
    std::string words;
    const std::vector<std::string> keys = {"ActiveState", "SubState", "Result", "ExecMainStatus"};
    const auto shown = m_manager->properties(name, keys).value_or(Properties());
    for (const auto& key : keys) {
        if (auto it = shown.find(key); it != shown.end()) words += (words.empty() ? "" : " ") + key + "=" + it->second;
    }
    if (auto logs = m_manager->journal_tail(name, 10); !logs.empty()) words += "\nlast log lines:\n" + logs;
    return words;
}

// Puts the previous unit back (and running, when it ran), or removes the new one.
void SystemdBackend::roll_back(const sdk::ServiceSpec& spec, const std::optional<std::string>& previous,
                               bool was_running) {
    const auto name = unit_name(spec);
    const auto path = unit_path(spec);
    if (previous) {
        m_host.write_file(path, *previous, k_unit_mode);
        m_manager->reload();
        if (was_running) m_manager->run_job(JobVerb::restart, name);
        return;
    }
    m_manager->run_job(JobVerb::stop, name);
    m_manager->disable(name);
    m_host.remove_file(path);
    m_manager->reload();
    m_manager->reset_failed(name);
}

// Whether the manager loaded the unit; its own words when not.
sdk::Expected<void> SystemdBackend::check_loaded(const std::string& name) {
    auto shown = m_manager->properties(name, {"LoadState", "LoadError"});
    if (!shown) return sdk::unexpected(std::move(shown).error());
    const auto load = (*shown)["LoadState"];
    if (load == "loaded") return {};
    std::string words = "LoadState=" + load + " LoadError=" + (*shown)["LoadError"] + " ";
    if (load == "not-found")
        words += "- the user manager does not look in " + unit_path(sdk::ServiceSpec{}).parent_path().string() +
                 " (is XDG_CONFIG_HOME the same for you and for it? 'systemctl --user show-environment' shows its own)";
    return sdk::unexpected("systemd does not accept the new unit: " + words);
}

// Whether the service is up (or legitimately done) right after its start; why not otherwise.
sdk::Expected<void> SystemdBackend::check_started(const sdk::ServiceSpec& spec) {
    auto status = status_from(m_manager->properties(unit_name(spec), k_status_properties).value_or(Properties()),
                              UnitFile::present);
    std::string sub;
    for (const auto& field : status.detail) {
        if (field.key == "SubState") sub = field.value;
    }
    if (sub == "failed" || sub == "auto-restart")
        return sdk::unexpected(
            "the service did not stay up (SubState=" + sub +
            (status.last_exit_code ? ", exit " + std::to_string(*status.last_exit_code) : std::string()) + ")");
    return {};
}

sdk::Result SystemdBackend::install_service(const sdk::ServiceSpec& spec) {
    auto rendering = render(spec);
    if (!rendering.error.empty()) return sdk::Result::failure(rendering.error);
    const auto& file = rendering.files.front();
    const auto name = unit_name(spec);
    const auto previous = m_host.read_file(file.path);
    const bool was_running = is_service_running(spec);
    if (auto written = m_host.write_file(file.path, file.content, file.mode); !written.ok) return written;
    // All or nothing: a unit the manager refuses, or a service that cannot start, leaves the previous one in place.
    auto fail = [&](std::string why) {
        why += "\n" + last_words(name);
        roll_back(spec, previous, was_running);
        auto failed = sdk::Result::failure(std::move(why));
        failed.note(previous ? "the previous unit file was put back" : "nothing of the new service was left");
        return failed;
    };
    // Enabled before the reload, so that the reload also reads the new [Install] links (no second reload).
    if (auto enabled = m_manager->enable(name); !enabled) return fail(enabled.error());
    if (auto reloaded = m_manager->reload(); !reloaded) return fail(reloaded.error());
    if (auto loaded = check_loaded(name); !loaded) return fail(loaded.error());
    if (auto started = m_manager->run_job(was_running ? JobVerb::restart : JobVerb::start, name); !started)
        return fail(started.error());
    if (auto up = check_started(spec); !up) return fail(up.error());
    auto result = sdk::Result::success();
    result.note("unit file: " + file.path.string());
    return result;
}

sdk::Result SystemdBackend::start_service(const sdk::ServiceSpec& spec) {
    return sdk::to_result(m_manager->run_job(JobVerb::start, unit_name(spec)));
}
sdk::Result SystemdBackend::stop_service(const sdk::ServiceSpec& spec) {
    return sdk::to_result(m_manager->run_job(JobVerb::stop, unit_name(spec)));
}
sdk::Result SystemdBackend::restart_service(const sdk::ServiceSpec& spec) {
    return sdk::to_result(m_manager->run_job(JobVerb::restart, unit_name(spec)));
}

sdk::Result SystemdBackend::uninstall_service(const sdk::ServiceSpec& spec) {
    const auto name = unit_name(spec);
    const auto path = unit_path(spec);
    auto status = service_status(spec);
    if (status.state == sdk::ServiceState::not_installed) {
        return with_note("'" + spec.name + "' is not installed; nothing to remove");
    }
    if (status.state == sdk::ServiceState::running || status.state == sdk::ServiceState::starting) {
        if (auto stopped = m_manager->run_job(JobVerb::stop, name); !stopped) return sdk::to_result(std::move(stopped));
    }
    if (m_host.path_exists(path)) {
        if (auto disabled = m_manager->disable(name); !disabled) return sdk::to_result(std::move(disabled));
        if (auto removed = m_host.remove_file(path); !removed.ok) return removed;
    }
    if (auto reloaded = m_manager->reload(); !reloaded) return sdk::to_result(std::move(reloaded));
    m_manager->reset_failed(name);  // fails when nothing is left to reset; that is fine
    return sdk::Result::success();
}

sdk::ServiceStatus SystemdBackend::service_status(const sdk::ServiceSpec& spec) {
    const auto path = unit_path(spec);
    const auto file = m_host.path_exists(path) ? UnitFile::present : UnitFile::absent;
    auto shown = m_manager->properties(unit_name(spec), k_status_properties);
    if (!shown) {
        sdk::ServiceStatus status;
        status.state = file == UnitFile::absent ? sdk::ServiceState::not_installed : sdk::ServiceState::unknown;
        if (file == UnitFile::present) status.error = shown.error();
        return status;
    }
    auto status = status_from(*shown, file);
    if (status.state == sdk::ServiceState::not_installed) return status;
    status.detail.push_back({"UnitFile", file == UnitFile::present ? path.string() : "(missing) " + path.string()});
    status.detail.push_back({"Linger", lingers() ? "yes" : "no"});
    return status;
}

sdk::LogSource SystemdBackend::service_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest& request) {
    sdk::LogSource source;
    auto journalctl = find_on_path(m_host, "journalctl");
    if (!journalctl) {
        source.error =
            "journalctl was not found on PATH; the systemd backend reads the service's output from the "
            "journal, so install journalctl (part of systemd)";
        return source;
    }
    const bool root = m_host.user_id() == std::optional<std::uint32_t>(0);
    source.command = journal_command(*journalctl, unit_name(spec), root, request.lines.value_or(k_default_log_lines),
                                     request.follow);
    return source;
}

sdk::Result SystemdBackend::write_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest& request,
                                       std::ostream& out) {
    return sdk::to_result(
        m_manager->write_journal(unit_name(spec), request.lines.value_or(k_default_log_lines), request.follow, out));
}

}  // namespace ductor::systemd
