#pragma once
// Whether a mutating service command changes anything, decided in one place
// before it runs (used by the CLI; public for its tests). install compares what it would write —
// every file of the backend's rendering, and the install record — with what is
// on disk and recorded, and the running state; start, stop, restart and
// uninstall compare the state and the record. A command with nothing to
// change writes nothing and restarts nothing. Also the change report that
// `--json` prints. Pure functions.

#include <ductor/cli/invocation.hpp>
#include <ductor/output/json.hpp>
#include <ductor/sdk/backend.hpp>
#include <ductor/service/record.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ductor::cli {

// How one file of the rendering compares with the file on disk.
enum class FileChange { unchanged, created, updated };

struct DefinitionFile {
    std::filesystem::path path;
    FileChange change = FileChange::unchanged;
    std::optional<std::string> before;  // the file on disk, when it exists
    std::string after;                  // what install writes, as text (the rendering's preview when it has one)
};

struct Change {
    bool changed = false;
    // Why, as stable words in this order (docs/ductor.1.adoc, "Change reports"):
    //   install:   definition, record, problem, not-running, stopped
    //   start:     not-running, stopped
    //   stop:      running, enabled
    //   restart:   restart
    //   uninstall: installed, recorded
    std::vector<std::string> reasons;
    std::vector<DefinitionFile> files;  // install: every file of the rendering, in its order
};

// What install would change. `on_disk[i]` is the content of rendering.files[i]
// on disk when that file exists; `wanted` is the record install would write,
// `recorded` the one there is, `now` the backend's status. A rendered file
// that is not on disk counts as unchanged when the backend does not keep it
// (Task Scheduler removes its task XML once registered): the recorded spec is
// the wanted one, the record lists the file, and the service is installed.
Change install_change(const sdk::Rendering& rendering, const std::vector<std::optional<std::string>>& on_disk,
                      const service::InstallRecord& wanted, const std::optional<service::InstallRecord>& recorded,
                      const sdk::ServiceStatus& now);

// What start, stop, restart or uninstall would change. Running means running
// or starting (the manager or the runner is bringing it back). Without a
// record, start and stop go by the state alone.
Change control_change(ServiceAction action, const std::optional<service::InstallRecord>& recorded,
                      const sdk::ServiceStatus& now);

// The action's word: "install", "start", ... ("ductor service install").
const char* action_name(ServiceAction action);

// One line for people about a change that is not made: "Would stop 'bot'
// (standalone): it is running." for a dry run, "Unchanged: 'bot' (standalone)
// is already stopped." when there is nothing to do.
std::string change_text(ServiceAction action, const Change& change, bool dry_run, const std::string& name,
                        const std::string& backend);

// Everything `--json` prints for install, start, stop, restart and uninstall.
struct ChangeReport {
    std::string name;
    std::string backend;
    ServiceAction action = ServiceAction::install;
    bool dry_run = false;
    std::optional<Change> change;  // empty: not known (a dry run for a backend not usable here)
    std::vector<std::string> notes;
    std::vector<std::vector<std::string>> commands;  // install --dry-run: what install would run
    std::optional<sdk::ServiceStatus> status;        // after the command (a dry run: now); empty: not asked
};

// The report as one JSON object: name, action, backend, dry_run, changed
// (true, false, or null when not known), reasons, definition (install: path,
// change, before, after, diff of every file; before/after/diff null when the
// file is unchanged), commands (install --dry-run), notes, status (the object
// of `status --json`, or null).
output::Json change_json(const ChangeReport& report);

}  // namespace ductor::cli
