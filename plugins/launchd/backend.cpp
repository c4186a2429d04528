// Install, uninstall, render, logs and the shared launchctl plumbing of the
// launchd backend. Start/stop/restart/status live in control.cpp.
#include <ductor/launchd/agent.hpp>
#include <ductor/launchd/backend.hpp>
#include <ductor/launchd/plist.hpp>
#include <ductor/sdk/shell.hpp>

#include <thread>

namespace ductor::launchd {
namespace {

constexpr auto k_plist_mode = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                              std::filesystem::perms::group_read | std::filesystem::perms::others_read;

Session session_for(const Domain& domain) {
    return domain.kind == DomainKind::user ? Session::background : Session::gui;
}

}  // namespace

// --- plumbing --------------------------------------------------------------

// GUI or not is asked of launchd itself, never guessed from the environment:
// `launchctl print gui/<uid>` succeeds only while the gui/<uid> domain exists,
// which is "only active when the user is logged in at the GUI"
// (https://gist.github.com/masklinn/a532dfe55bdeab3d60ab8e46ccc38a68), while
// user/<uid> "may exist independently of a logged-in user" (launchctl(1)).
// `launchctl managername` is not used: it reports the caller's session
// ("Aqua" in Terminal, "Background" over SSH,
// https://thekodelab.com/en/posts/macos-gui-terminal-vs-ssh-session/), but a
// user who is logged in at the screen and connects over SSH still has a
// gui/<uid> domain, and that is where a LaunchAgent belongs.
const sdk::Expected<Domain>& LaunchdBackend::domain() {
    if (m_domain) return *m_domain;
    const auto uid = m_host.user_id();
    if (!uid) return m_domain.emplace(sdk::unexpected("launchd needs the numeric user id, which is unknown here"));
    const auto argv = print_domain_command(DomainKind::gui, *uid);
    const auto probe = run(argv);
    if (!probe.started || probe.timed_out) return m_domain.emplace(sdk::unexpected(explain_failure(argv, probe)));
    DomainKind kind = DomainKind::user;
    if (probe.exit_code == 0) {
        kind = DomainKind::gui;
    } else if (lacks_domain_verbs(probe)) {
        kind = DomainKind::legacy;
    }
    m_host.log(sdk::LogLevel::debug,
               "launchd domain: " +
                   (kind == DomainKind::legacy ? std::string("legacy load/unload") : Domain{kind, *uid}.target()));
    return m_domain.emplace(Domain{kind, *uid});
}

sdk::ProcessResult LaunchdBackend::run(const Argv& argv) {
    m_host.log(sdk::LogLevel::debug, "running: " + sdk::shell_join(argv));
    sdk::ProcessRequest request;
    request.argv = argv;
    request.timeout = std::chrono::seconds(30);
    return m_host.run_process(request);
}

sdk::Expected<void> LaunchdBackend::step(const Argv& argv) {
    const auto result = run(argv);
    if (result.succeeded()) return {};
    return sdk::unexpected(explain_failure(argv, result));
}

bool LaunchdBackend::is_loaded(const Domain& where, const std::string& label) {
    if (where.kind == DomainKind::legacy) return run(list_command(label)).succeeded();
    return run(print_command(where, label)).succeeded();
}

sdk::Expected<void> LaunchdBackend::unload(const Domain& where, const std::string& label) {
    if (!is_loaded(where, label)) return {};
    const auto argv = bootout_command(where, label);
    const auto result = run(argv);
    if (!result.succeeded() && !is_not_loaded(result)) return sdk::unexpected(explain_failure(argv, result));
    // bootout can return before launchd has let go of the label; a bootstrap
    // in that window fails with "5: Input/output error".
    for (int poll = 0; poll < m_timing.unload_polls; ++poll) {
        if (!is_loaded(where, label)) return {};
        std::this_thread::sleep_for(m_timing.poll_interval);
    }
    return sdk::unexpected("launchd still has " + where.service(label) +
                           " loaded after 'launchctl bootout'; "
                           "its process may not react to SIGTERM. Try again, or end it and run the command again");
}

sdk::Expected<void> LaunchdBackend::bootstrap_and_start(const Domain& where, const std::string& label,
                                                        const std::string& plist) {
    // enable first: a disabled label (after 'ductor service stop' or an
    // earlier 'unload -w') cannot be bootstrapped (error 5 or 119).
    if (auto enabled = step(enable_command(where, label)); !enabled) return enabled;
    if (!is_loaded(where, label)) {
        if (auto loaded = step(bootstrap_command(where, plist)); !loaded) return loaded;
    }
    return step(kickstart_command(where, label, Kick::start));
}

sdk::Expected<void> LaunchdBackend::write_definition(const sdk::ServiceSpec& spec, const std::string& text) {
    const auto layout = layout_for(spec, m_host);
    if (auto made = m_host.create_directories(layout.log_directory); !made.ok)
        return sdk::unexpected("cannot create the log folder " + layout.log_directory.string() + ": " + made.error);
    if (auto written = m_host.write_file(layout.plist, text, k_plist_mode); !written.ok)
        return sdk::unexpected("cannot write " + layout.plist.string() + ": " + written.error);
    return {};
}

// --- the contract ------------------------------------------------------------

sdk::Availability LaunchdBackend::is_service_available() {
    if (m_host.os() != sdk::OsFamily::macos) return {false, "launchd runs only on macOS"};
    if (!m_host.path_exists(k_launchctl)) return {false, std::string(k_launchctl) + " is missing"};
    return {true, std::string("launchd LaunchAgents via ") + k_launchctl};
}

bool LaunchdBackend::is_service_installed(const sdk::ServiceSpec& spec) {
    return m_host.path_exists(layout_for(spec, m_host).plist);
}

sdk::Result LaunchdBackend::install_service(const sdk::ServiceSpec& spec) {
    const auto rendered = render_plist(agent_for(spec, m_host));
    if (!rendered) return sdk::Result::failure("cannot write the LaunchAgent: " + rendered.error());
    const auto& choice = domain();
    if (!choice) return sdk::Result::failure(choice.error());
    const Domain where = *choice;
    if (where.kind == DomainKind::legacy) return install_legacy(spec, *rendered);
    const auto layout = layout_for(spec, m_host);
    if (auto unloaded = unload(where, layout.label); !unloaded) return sdk::to_result(std::move(unloaded));
    const auto text = render_plist(agent_for(spec, m_host, session_for(where))).value();
    if (auto written = write_definition(spec, text); !written) return sdk::to_result(std::move(written));
    auto started = step(enable_command(where, layout.label));
    if (started) started = step(bootstrap_command(where, layout.plist));
    if (started) started = step(kickstart_command(where, layout.label, Kick::start));
    auto result = sdk::to_result(std::move(started));
    if (result.ok && where.kind == DomainKind::user)
        result.note("no GUI login session: loaded into " + where.target() + " as a Background session agent");
    if (result.ok) result.note("logs: " + layout.runner_log.string() + " (rotated by 'ductor run')");
    return result;
}

sdk::Result LaunchdBackend::install_legacy(const sdk::ServiceSpec& spec, const std::string& text) {
    const auto layout = layout_for(spec, m_host);
    if (m_host.path_exists(layout.plist) && is_loaded(Domain{DomainKind::legacy, 0}, layout.label)) {
        if (auto unloaded = step(unload_command(layout.plist, Persist::keep)); !unloaded)
            return sdk::to_result(std::move(unloaded));
    }
    if (auto written = write_definition(spec, text); !written) return sdk::to_result(std::move(written));
    return sdk::to_result(step(load_command(layout.plist, Persist::write)))
        .note("this launchctl has no bootstrap/bootout; used the legacy load -w / unload -w");
}

sdk::Result LaunchdBackend::uninstall_service(const sdk::ServiceSpec& spec) {
    const auto layout = layout_for(spec, m_host);
    const bool had_plist = m_host.path_exists(layout.plist);
    const auto& choice = domain();
    if (!choice) return sdk::Result::failure(choice.error());
    const Domain where = *choice;
    if (where.kind == DomainKind::legacy) {
        if (had_plist && is_loaded(where, layout.label)) {
            if (auto unloaded = step(unload_command(layout.plist, Persist::keep)); !unloaded)
                return sdk::to_result(std::move(unloaded));
        }
    } else {
        const bool was_loaded = is_loaded(where, layout.label);
        if (!had_plist && !was_loaded)
            return sdk::Result::success().note("nothing was installed for '" + spec.name + "'");
        if (auto unloaded = unload(where, layout.label); !unloaded) return sdk::to_result(std::move(unloaded));
    }
    if (!had_plist && where.kind == DomainKind::legacy)
        return sdk::Result::success().note("nothing was installed for '" + spec.name + "'");
    if (!had_plist) {
        (void)run(enable_command(where, layout.label));
        return sdk::Result::success().note(
            "launchd still had it loaded without its plist (orphaned); it is booted out now");
    }
    if (auto removed = m_host.remove_file(layout.plist); !removed.ok)
        return sdk::Result::failure("cannot remove " + layout.plist.string() + ": " + removed.error);
    // A stop leaves the label disabled in launchd's override database; enable
    // resets it to the default, so a later install starts from a clean slate.
    if (where.kind != DomainKind::legacy) (void)run(enable_command(where, layout.label));
    return sdk::Result::success().note("log files are kept in " + layout.log_directory.string());
}

sdk::LogSource LaunchdBackend::service_logs(const sdk::ServiceSpec& spec, const sdk::LogRequest&) {
    return sdk::LogSource{{}, log_files(spec, m_host), {}};
}

sdk::Rendering LaunchdBackend::render(const sdk::ServiceSpec& spec) {
    sdk::Rendering rendering;
    if (auto checked = render_plist(agent_for(spec, m_host)); !checked) {
        rendering.error = "cannot write the LaunchAgent: " + checked.error();
        return rendering;
    }
    const auto layout = layout_for(spec, m_host);
    if (spec.overwrite != sdk::Overwrite::allow) {
        if (auto foreign = sdk::foreign_definition(m_host, layout.plist, [](const std::string& text) {
                return text.find(k_plist_marker) != std::string::npos;
            })) {
            rendering.error = std::move(*foreign);
            return rendering;
        }
    }
    // The domain is asked of launchd only where launchd exists (read-only `print`).
    Domain where{DomainKind::gui, m_host.user_id().value_or(501)};
    bool loaded = false;
    if (is_service_available().available && domain()) {
        where = *domain();
        loaded = is_loaded(where, layout.label);
    } else {
        rendering.notes.push_back(
            "domain assumed gui/<uid>; on a Mac without a GUI login it is user/<uid> "
            "(with LimitLoadToSessionType Background), and a loaded agent is booted out first");
    }
    const auto text = render_plist(agent_for(spec, m_host, session_for(where))).value();
    rendering.files.push_back({layout.plist, text, {}, k_plist_mode});
    rendering.notes.insert(rendering.notes.begin(), "creates the log folder " + layout.log_directory.string());
    if (where.kind == DomainKind::legacy) {
        if (loaded) rendering.commands.push_back(unload_command(layout.plist, Persist::keep));
        rendering.commands.push_back(load_command(layout.plist, Persist::write));
        return rendering;
    }
    if (loaded) rendering.commands.push_back(bootout_command(where, layout.label));
    rendering.commands.push_back(enable_command(where, layout.label));
    rendering.commands.push_back(bootstrap_command(where, layout.plist));
    rendering.commands.push_back(kickstart_command(where, layout.label, Kick::start));
    return rendering;
}

}  // namespace ductor::launchd
