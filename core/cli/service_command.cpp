// `ductor service ACTION`: validate, choose the backend, call it (guarded),
// print the outcome, map it to an exit code.
#include "commands.hpp"
#include "service_output.hpp"

#include <ductor/cli/service_change.hpp>
#include <ductor/cli/terminal.hpp>
#include <ductor/output/text.hpp>
#include <ductor/plugin/guard.hpp>
#include <ductor/sdk/linger_control.hpp>
#include <ductor/sdk/log_writer.hpp>
#include <ductor/service/record.hpp>
#include <ductor/service/spec_builder.hpp>

#include <spdlog/spdlog.h>

#include <ctime>
#include <iostream>

namespace ductor::cli {
namespace {

// The --help that explains a usage error of this action.
std::string help_hint(const ServiceCommand& command) {
    return std::string("ductor service ") + action_name(command.action) + " --help";
}

// How long a command waits for another one working on the same service.
constexpr std::chrono::seconds k_lock_wait{120};

struct Context {
    const ServiceCommand& command;
    const sdk::ServiceSpec& spec;
    plugin::LoadedPlugin& plugin;
    const sdk::Host& host;
    const std::optional<service::InstallRecord>& record;  // the install record before the command
    bool quiet;
    std::filesystem::path home;                       // the ductor home, where the record lives
    bool preview = false;                             // install --dry-run for a backend not usable here
    std::vector<std::filesystem::path> written = {};  // install: the files of its rendering
    bool acted = false;                               // the backend changed the service: the record follows
    std::vector<std::string> notes = {};              // the backend's notes, for --json
};

void say(const Context& ctx, const std::string& text) {
    if (!ctx.quiet && !ctx.command.json) std::cout << text << "\n";
}

ExitCode report(Context& ctx, const sdk::Expected<sdk::Result>& outcome, const std::string& done) {
    if (!outcome) {
        spdlog::error("{} backend: {}", ctx.plugin.info.name, outcome.error());
        return ExitCode::failed;
    }
    const auto& result = *outcome;
    if (!result.ok) {
        std::vector<std::string> hints;
        for (const auto& note : result.notes) hints.push_back("note: " + note);
        print_error(result.error, hints);
        return ExitCode::failed;
    }
    ctx.acted = true;
    say(ctx, done);
    for (const auto& note : result.notes) say(ctx, "note: " + note);
    ctx.notes.insert(ctx.notes.end(), result.notes.begin(), result.notes.end());
    return ExitCode::success;
}

sdk::ServiceStatus current_status(const Context& ctx) {
    auto status =
        plugin::guarded_call("service_status()", [&] { return ctx.plugin.backend->service_status(ctx.spec); });
    if (!status) return sdk::ServiceStatus{sdk::ServiceState::unknown, {}, {}, {}, status.error()};
    return *status;
}

// The end of a mutating action: with --json the change report (the status
// after it, or now for a dry run); else, when nothing was done, one line saying why.
ExitCode conclude(const Context& ctx, std::optional<Change> change, std::optional<sdk::ServiceStatus> status,
                  std::vector<std::vector<std::string>> commands = {}) {
    const auto& name = ctx.spec.name;
    const auto& backend = ctx.plugin.info.name;
    if (ctx.command.json) {
        ChangeReport doc{name,
                         backend,
                         ctx.command.action,
                         ctx.command.dry_run,
                         std::move(change),
                         ctx.notes,
                         std::move(commands),
                         std::move(status)};
        std::cout << change_json(doc).dump() << "\n";
    } else if (!ctx.acted && change) {
        say(ctx, change_text(ctx.command.action, *change, ctx.command.dry_run, name, backend));
    }
    return ExitCode::success;
}

// start/stop/restart need something installed; say so the same way on every backend.
bool require_installed(const Context& ctx) {
    auto installed = plugin::ask_installed(*ctx.plugin.backend, ctx.spec);
    if (!installed) {
        spdlog::error("{} backend: {}", ctx.plugin.info.name, installed.error());
        return false;
    }
    if (!*installed) {
        spdlog::error("the service '{}' is not installed ({} backend); install it with 'ductor service install'",
                      ctx.spec.name, ctx.plugin.info.name);
    }
    return *installed;
}

ExitCode act(Context& ctx) {
    auto& backend = *ctx.plugin.backend;
    const auto& spec = ctx.spec;
    const std::string subject = " '" + spec.name + "' (" + ctx.plugin.info.name + ")";
    switch (ctx.command.action) {
        case ServiceAction::start:
            return report(ctx, plugin::guarded_call("start_service()", [&] { return backend.start_service(spec); }),
                          "Started" + subject + ".");
        case ServiceAction::stop:
            return report(ctx, plugin::guarded_call("stop_service()", [&] { return backend.stop_service(spec); }),
                          "Stopped" + subject + "; it stays stopped until 'ductor service start'.");
        case ServiceAction::uninstall:
            return report(ctx,
                          plugin::guarded_call("uninstall_service()", [&] { return backend.uninstall_service(spec); }),
                          "Uninstalled '" + spec.name + "' (" + ctx.plugin.info.name + ").");
        default:
            return report(ctx, plugin::guarded_call("restart_service()", [&] { return backend.restart_service(spec); }),
                          "Restarted" + subject + ".");
    }
}

// start, stop, restart, uninstall: nothing is done when nothing would change,
// except uninstall, which the backend repeats safely (it sweeps what a broken install left).
ExitCode control(Context& ctx) {
    const auto action = ctx.command.action;
    if (action != ServiceAction::uninstall && !require_installed(ctx)) return ExitCode::failed;
    auto now = current_status(ctx);
    auto change = control_change(action, ctx.record, now);
    if (ctx.command.dry_run || (!change.changed && action != ServiceAction::uninstall))
        return conclude(ctx, std::move(change), std::move(now));
    if (auto code = act(ctx); code != ExitCode::success) return code;
    return conclude(ctx, change, ctx.command.json ? std::optional(current_status(ctx)) : std::nullopt);
}

service::Linger asked_linger(const Context& ctx) {
    return ctx.command.enable_linger ? service::Linger::enable : service::Linger::report;
}

// Linger, for a backend whose manager ends the service at logout (<ductor/sdk/linger_control.hpp>):
// `control` is set when linger is off; install then enables it (--enable-linger) or explains it.
struct LingerStep {
    sdk::LingerControl* control = nullptr;
    std::vector<std::string> command;  // --enable-linger: what enable_linger() runs, first of the install
    std::string explanation;           // else: a note of the install
};

sdk::Expected<LingerStep> linger_step(const Context& ctx) {
    auto* control = dynamic_cast<sdk::LingerControl*>(ctx.plugin.backend.get());
    if (control == nullptr) return LingerStep{};
    auto lingers = plugin::guarded_call("lingers()", [&] { return control->lingers(); });
    if (!lingers) return sdk::unexpected(lingers.error());
    if (*lingers) return LingerStep{};
    LingerStep step{control, {}, {}};
    if (asked_linger(ctx) == service::Linger::enable) {
        auto command =
            plugin::guarded_call("enable_linger_command()", [&] { return control->enable_linger_command(); });
        if (!command) return sdk::unexpected(command.error());
        step.command = std::move(*command);
    } else {
        auto explanation = plugin::guarded_call("linger_explanation()", [&] { return control->linger_explanation(); });
        if (!explanation) return sdk::unexpected(explanation.error());
        step.explanation = std::move(*explanation);
    }
    return step;
}

// install_service(), after enable_linger() when the step asks for it; a failure of the
// latter fails the install before anything is written.
sdk::Expected<sdk::Result> install_with_linger(Context& ctx, const LingerStep& linger) {
    if (!linger.command.empty()) {
        auto enabled = plugin::guarded_call("enable_linger()", [&] { return linger.control->enable_linger(); });
        if (!enabled || !enabled->ok) return enabled;
    }
    auto installed =
        plugin::guarded_call("install_service()", [&] { return ctx.plugin.backend->install_service(ctx.spec); });
    if (installed && installed->ok && !linger.explanation.empty())
        installed->notes.insert(installed->notes.begin(), linger.explanation);
    return installed;
}

ExitCode install(Context& ctx) {
    auto& backend = *ctx.plugin.backend;
    // Rendered first in both modes, so that a value this backend cannot carry
    // is the same usage error (2) with --dry-run and without, before anything is written.
    auto rendering = plugin::guarded_call("render()", [&] { return backend.render(ctx.spec); });
    if (!rendering) {
        spdlog::error("{} backend: {}", ctx.plugin.info.name, rendering.error());
        return ExitCode::failed;
    }
    if (!rendering->error.empty()) throw UsageError(rendering->error, help_hint(ctx.command));
    auto linger = linger_step(ctx);
    if (!linger) {
        spdlog::error("{} backend: {}", ctx.plugin.info.name, linger.error());
        return ExitCode::failed;
    }
    auto& rendered = *rendering;
    if (!linger->command.empty()) rendered.commands.insert(rendered.commands.begin(), linger->command);
    if (!linger->explanation.empty()) rendered.notes.push_back(linger->explanation);
    std::vector<std::filesystem::path> files;
    for (const auto& file : rendered.files) files.push_back(file.path);
    service::InstallRecord record{ctx.plugin.info.name, ctx.spec, service::Desired::enabled, 0, files,
                                  asked_linger(ctx)};
    std::optional<Change> change;
    std::optional<sdk::ServiceStatus> now;
    if (!ctx.preview) {  // a preview for another machine has nothing here to compare with
        std::vector<std::optional<std::string>> on_disk;
        for (const auto& file : rendered.files) on_disk.push_back(ctx.host.read_file(file.path));
        now = current_status(ctx);
        change = install_change(rendered, on_disk, record, ctx.record, *now);
    }
    if (ctx.command.dry_run) {
        ctx.notes = rendered.notes;
        if (ctx.command.json) return conclude(ctx, std::move(change), std::move(now), rendered.commands);
        auto shown = print_rendering(rendered, ctx.plugin.info.name);
        std::cout << "\n# install record " << service::record_path(ctx.home, ctx.spec.name).string()
                  << " (installed_at: the time of the install)\n"
                  << output::printable(service::format_record(record), output::LineBreaks::keep);
        if (change)
            std::cout << "\n# "
                      << change_text(ServiceAction::install, *change, true, ctx.spec.name, ctx.plugin.info.name)
                      << "\n";
        return shown;
    }
    if (!change->changed) return conclude(ctx, std::move(change), std::move(now));
    ctx.written = std::move(files);
    say_waiting("the " + ctx.plugin.info.name + " backend to install and start '" + ctx.spec.name + "'");
    auto code = report(ctx, install_with_linger(ctx, *linger),
                       "Installed and started '" + ctx.spec.name + "' (" + ctx.plugin.info.name + ").");
    if (code != ExitCode::success) return code;
    return conclude(ctx, std::move(change), ctx.command.json ? std::optional(current_status(ctx)) : std::nullopt);
}

ExitCode write_logs(const Context& ctx, sdk::LogWriter& writer, const sdk::LogRequest& request) {
    auto written =
        plugin::guarded_call("write_logs()", [&] { return writer.write_logs(ctx.spec, request, std::cout); });
    if (!written) spdlog::error("{} backend: {}", ctx.plugin.info.name, written.error());
    if (written && !written->ok) spdlog::error("{}", written->error);
    return written && written->ok ? ExitCode::success : ExitCode::failed;
}

ExitCode dispatch(Context& ctx) {
    auto& backend = *ctx.plugin.backend;
    switch (ctx.command.action) {
        case ServiceAction::install: return install(ctx);
        case ServiceAction::start:
        case ServiceAction::stop:
        case ServiceAction::restart:
        case ServiceAction::uninstall: return control(ctx);
        case ServiceAction::status:
            return print_status(current_status(ctx), ctx.spec.name, ctx.plugin.info.name, ctx.command.json);
        case ServiceAction::logs: {
            sdk::LogRequest request{ctx.command.lines, ctx.command.follow};
            // A backend that writes its logs itself spares the child process of a log command.
            if (auto* writer = dynamic_cast<sdk::LogWriter*>(&backend)) return write_logs(ctx, *writer, request);
            auto source =
                plugin::guarded_call("service_logs()", [&] { return backend.service_logs(ctx.spec, request); });
            if (!source) return show_logs(sdk::LogSource{{}, {}, source.error()}, request);
            return show_logs(*source, request);
        }
        case ServiceAction::list: break;  // handled before a backend is chosen
    }
    return ExitCode::failed;
}

bool mutates(const ServiceCommand& command) {
    switch (command.action) {
        case ServiceAction::install:
        case ServiceAction::start:
        case ServiceAction::stop:
        case ServiceAction::restart:
        case ServiceAction::uninstall: return !command.dry_run;
        default: return false;
    }
}

// After a successful command, the record says what was asked: install writes
// it, start/stop change the desired state, uninstall removes it.
bool update_record(const Context& ctx, const std::filesystem::path& home,
                   std::optional<service::InstallRecord> record) {
    sdk::Expected<void> saved;
    switch (ctx.command.action) {
        case ServiceAction::install:
            record = service::InstallRecord{ctx.plugin.info.name,
                                            ctx.spec,
                                            service::Desired::enabled,
                                            static_cast<std::int64_t>(std::time(nullptr)),
                                            ctx.written,
                                            asked_linger(ctx)};
            saved = service::save_record(home, *record);
            break;
        case ServiceAction::start:
        case ServiceAction::restart:
        case ServiceAction::stop:
            if (!record) return true;
            record->desired =
                ctx.command.action == ServiceAction::stop ? service::Desired::stopped : service::Desired::enabled;
            saved = service::save_record(home, *record);
            break;
        case ServiceAction::uninstall: saved = service::remove_record(home, ctx.spec.name); break;
        default: return true;
    }
    if (!saved) spdlog::error("the install record of '{}': {}", ctx.spec.name, saved.error());
    return saved.has_value();
}

// The backend to use: --backend, else the one the record names (it owns the service).
std::optional<std::string> owner(const GlobalOptions& global, const std::optional<service::InstallRecord>& record) {
    if (global.backend) return global.backend;
    if (record) return record->backend;
    return std::nullopt;
}

// A dry run refuses what install refuses (exit 2 for the same inputs). One
// allowance: with a backend that is not usable here, it previews a definition
// for another machine, whose program and --workdir need not exist here and
// whose install record is not this machine's.
service::Check install_check(const ServiceCommand& command, const GlobalOptions& global,
                             const plugin::Registry& registry) {
    if (!command.dry_run || command.action != ServiceAction::install) return service::Check::strict;
    auto selection = registry.select(global.backend, plugin::Need::loaded);
    bool elsewhere = selection && !(*selection)->availability.available;
    return elsewhere ? service::Check::preview : service::Check::strict;
}

}  // namespace

ExitCode service_command(const ServiceCommand& command, const GlobalOptions& global, const plugin::Registry& registry,
                         const sdk::Host& host) {
    if (command.action == ServiceAction::list) return list_services(command, global, registry, host);
    auto check = install_check(command, global, registry);
    auto built = service::build_spec(command, check);
    if (!built) throw UsageError(built.error(), help_hint(command));
    const auto& spec = *built;
    for (const auto& warning : spec.warnings) spdlog::warn("{}", warning);

    const auto home = host.ductor_home();
    std::error_code ec;
    if (mutates(command) && !std::filesystem::is_directory(host.home_directory(), ec)) {
        throw UsageError(
            "the home folder " + host.home_directory().string() + " does not exist; set HOME to your home folder",
            help_hint(command));
    }
    std::unique_ptr<service::ServiceLock> lock;
    if (mutates(command)) {
        auto taken = service::ServiceLock::acquire(home, spec.spec.name, std::chrono::milliseconds(0));
        if (!taken && taken.error().held) {  // another command has it: wait; any other failure is reported at once
            say_waiting("another ductor command working on '" + spec.spec.name + "' (up to " +
                        std::to_string(k_lock_wait.count()) + " s)");
            taken = service::ServiceLock::acquire(home, spec.spec.name, k_lock_wait);
        }
        if (!taken) {
            spdlog::error("{}", taken.error().message);
            return ExitCode::failed;
        }
        lock = std::move(*taken);
    }
    auto loaded = service::load_record(home, spec.spec.name);
    if (!loaded) spdlog::warn("{}; going by the command line alone", loaded.error());
    const auto record = std::move(loaded).value_or(std::nullopt);
    if (command.action == ServiceAction::install && check == service::Check::strict && record && global.backend &&
        *global.backend != record->backend) {
        throw UsageError("'" + spec.spec.name + "' is installed with the " + record->backend +
                             " backend; uninstall it first, or install it again without --backend (or with --backend " +
                             record->backend + ")",
                         help_hint(command));
    }
    sdk::ServiceSpec chosen = spec.spec;
    if (command.action != ServiceAction::install && record) {
        chosen = record->spec;  // how it was installed: its log folder and the rest
        if (command.log_dir) chosen.log_directory = spec.spec.log_directory;
    }

    auto forced = owner(global, record);
    const bool may_preview = command.dry_run && command.action == ServiceAction::install;
    auto selection = registry.select(forced, may_preview ? plugin::Need::loaded : plugin::Need::available);
    if (!selection) {
        spdlog::error("{}", selection.error());
        if (may_preview && !global.backend)
            spdlog::info("--dry-run can preview any loaded backend: add --backend NAME");
        return ExitCode::no_backend;
    }
    auto& plugin = **selection;
    spdlog::debug("using the {} backend from {}", plugin.info.name, plugin.candidate.file.string());
    Context ctx{command, chosen, plugin, host, record, global.verbosity == Verbosity::quiet, home};
    ctx.preview = !plugin.availability.available;  // only a dry run of install selects such a backend
    auto code = dispatch(ctx);
    if (code == ExitCode::success && ctx.acted && !update_record(ctx, home, record)) return ExitCode::failed;
    return code;
}

}  // namespace ductor::cli
