#include <ductor/cli/service_change.hpp>

#include "service_output.hpp"

#include <ductor/output/diff.hpp>
#include <ductor/sdk/paths.hpp>

#include <algorithm>

namespace ductor::cli {
namespace {

bool runs(const sdk::ServiceStatus& status) {
    return status.state == sdk::ServiceState::running || status.state == sdk::ServiceState::starting;
}

bool has_problem(const sdk::ServiceStatus& status) {
    return std::any_of(status.detail.begin(), status.detail.end(),
                       [](const sdk::StatusField& field) { return field.key == sdk::k_problem_detail; });
}

// The record's text without what install does not decide by comparison: when
// it ran, and the wanted state (which the running state stands for).
std::string comparable(service::InstallRecord record) {
    record.installed_at = 0;
    record.desired = service::Desired::enabled;
    return service::format_record(record);
}

const char* change_name(FileChange change) {
    switch (change) {
        case FileChange::unchanged: return "unchanged";
        case FileChange::created: return "created";
        case FileChange::updated: return "updated";
    }
    return "unchanged";
}

std::string reason_text(const std::string& reason) {
    if (reason == "definition") return "the definition is new or differs";
    if (reason == "record") return "the install record is missing or differs";
    if (reason == "problem") return "the backend reports a problem";
    if (reason == "not-running") return "it is not running";
    if (reason == "stopped") return "it was stopped with 'ductor service stop'";
    if (reason == "running") return "it is running";
    if (reason == "enabled") return "its install record wants it running";
    if (reason == "restart") return "restart always acts";
    if (reason == "installed") return "it is installed";
    if (reason == "recorded") return "its install record is there";
    return reason;
}

// What the state is when nothing needs to change, for the "Unchanged:" line.
const char* settled_text(ServiceAction action) {
    switch (action) {
        case ServiceAction::install: return "is installed with this definition and running";
        case ServiceAction::start: return "is already running";
        case ServiceAction::stop: return "is already stopped";
        case ServiceAction::uninstall: return "is not installed";
        default: return "needs nothing";
    }
}

output::Json file_json(const DefinitionFile& file) {
    const bool same = file.change == FileChange::unchanged;
    const auto path = sdk::utf8(file.path);
    auto diff =
        same ? std::string()
             : output::unified_diff(file.before.value_or(""), file.after, file.before ? path : "/dev/null", path);
    return output::Json::Object{{"path", path},
                                {"change", change_name(file.change)},
                                {"before", same ? std::nullopt : file.before},
                                {"after", same ? output::Json() : output::Json(file.after)},
                                {"diff", same ? output::Json() : output::Json(std::move(diff))}};
}

output::Json strings_json(const std::vector<std::string>& items) {
    output::Json::Array array;
    for (const auto& item : items) array.emplace_back(item);
    return array;
}

}  // namespace

const char* action_name(ServiceAction action) {
    switch (action) {
        case ServiceAction::install: return "install";
        case ServiceAction::start: return "start";
        case ServiceAction::stop: return "stop";
        case ServiceAction::restart: return "restart";
        case ServiceAction::uninstall: return "uninstall";
        case ServiceAction::status: return "status";
        case ServiceAction::logs: return "logs";
        case ServiceAction::list: return "list";
    }
    return "install";
}

Change install_change(const sdk::Rendering& rendering, const std::vector<std::optional<std::string>>& on_disk,
                      const service::InstallRecord& wanted, const std::optional<service::InstallRecord>& recorded,
                      const sdk::ServiceStatus& now) {
    Change change;
    const bool same_record = recorded && comparable(*recorded) == comparable(wanted);
    const bool installed = now.state != sdk::ServiceState::not_installed;
    for (std::size_t i = 0; i < rendering.files.size(); ++i) {
        const auto& rendered = rendering.files[i];
        DefinitionFile file{rendered.path, FileChange::unchanged, i < on_disk.size() ? on_disk[i] : std::nullopt,
                            rendered.preview.empty() ? rendered.content : rendered.preview};
        if (!file.before) {
            const auto& listed = same_record ? recorded->definitions : std::vector<std::filesystem::path>{};
            bool kept_by_manager = installed && std::find(listed.begin(), listed.end(), file.path) != listed.end();
            file.change = kept_by_manager ? FileChange::unchanged : FileChange::created;
        } else if (*file.before != rendered.content) {
            file.change = FileChange::updated;
        }
        change.files.push_back(std::move(file));
    }
    auto reason = [&change](const char* word) { change.reasons.emplace_back(word); };
    if (std::any_of(change.files.begin(), change.files.end(),
                    [](const DefinitionFile& file) { return file.change != FileChange::unchanged; }))
        reason("definition");
    if (!same_record) reason("record");
    if (has_problem(now)) reason("problem");
    if (!runs(now)) reason("not-running");
    if (recorded && recorded->desired == service::Desired::stopped) reason("stopped");
    change.changed = !change.reasons.empty();
    return change;
}

Change control_change(ServiceAction action, const std::optional<service::InstallRecord>& recorded,
                      const sdk::ServiceStatus& now) {
    Change change;
    auto reason = [&change](const char* word) { change.reasons.emplace_back(word); };
    const bool wanted_stopped = recorded && recorded->desired == service::Desired::stopped;
    switch (action) {
        case ServiceAction::start:
            if (!runs(now)) reason("not-running");
            if (wanted_stopped) reason("stopped");
            break;
        case ServiceAction::stop:
            if (runs(now)) reason("running");
            if (recorded && !wanted_stopped) reason("enabled");
            break;
        case ServiceAction::uninstall:
            if (now.state != sdk::ServiceState::not_installed) reason("installed");
            if (recorded) reason("recorded");
            break;
        default: reason("restart"); break;
    }
    change.changed = !change.reasons.empty();
    return change;
}

std::string change_text(ServiceAction action, const Change& change, bool dry_run, const std::string& name,
                        const std::string& backend) {
    const std::string subject = "'" + name + "' (" + backend + ")";
    if (!change.changed) return "Unchanged: " + subject + " " + settled_text(action) + ".";
    std::string why;
    for (const auto& reason : change.reasons) why += (why.empty() ? "" : ", ") + reason_text(reason);
    return std::string(dry_run ? "Would " : "About to ") + action_name(action) + " " + subject + ": " + why + ".";
}

output::Json change_json(const ChangeReport& report) {
    output::Json::Object doc{
        {"name", report.name},
        {"action", action_name(report.action)},
        {"backend", report.backend},
        {"dry_run", report.dry_run},
        {"changed", report.change ? output::Json(report.change->changed) : output::Json()},
        {"reasons", strings_json(report.change ? report.change->reasons : std::vector<std::string>{})}};
    if (report.action == ServiceAction::install) {
        output::Json::Array files;
        if (report.change) {
            for (const auto& file : report.change->files) files.push_back(file_json(file));
        }
        doc.emplace_back("definition", std::move(files));
    }
    if (report.dry_run && report.action == ServiceAction::install) {
        output::Json::Array commands;
        for (const auto& command : report.commands) commands.push_back(strings_json(command));
        doc.emplace_back("commands", std::move(commands));
    }
    doc.emplace_back("notes", strings_json(report.notes));
    doc.emplace_back("status",
                     report.status ? status_json(*report.status, report.name, report.backend) : output::Json());
    return doc;
}

}  // namespace ductor::cli
