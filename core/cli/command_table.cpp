// The command table: every command of ductor, what it reads from its line and which handler runs it.
#include "command_table.hpp"

#include "commands.hpp"
#include "completion.hpp"
#include "help.hpp"

#include <ductor/host/real_host.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/plugin/discovery.hpp>
#include <ductor/sdk/abi.hpp>
#include <ductor/service/record.hpp>

#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>

namespace po = boost::program_options;

namespace ductor::cli {
namespace {

// A whole number from 0 to 1,000,000 (program_options would wrap "-3" around).
unsigned parse_count(const std::string& text, const std::string& option, const std::string& hint) {
    bool digits = !text.empty() && text.size() <= 7 && text.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoul(text) > 1000000) {
        throw UsageError(option + " '" + text + "' is not a whole number from 0 to 1000000", hint);
    }
    return static_cast<unsigned>(std::stoul(text));
}

// ---- ductor itself ----

const CommandOptions& top_options() {
    static const auto options = options::combine({options::top(), options::global()});
    return options;
}

Command read_top(const ParsedLine& line) {
    if (line.vm["version"].as<bool>()) return VersionRequest{};
    throw UsageError("no command given", "ductor --help");
}

int print_version(const Invocation& /*invocation*/, const Backends* /*backends*/) {
    std::cout << "ductor " << DUCTOR_VERSION << " (plugin ABI " << DUCTOR_ABI_MAJOR << "." << DUCTOR_ABI_MINOR << ")\n";
    return to_int(ExitCode::success);
}

// ---- service ACTION ----

ServiceCommand read_service(ServiceAction action, const ParsedLine& line) {
    const auto& vm = line.vm;
    ServiceCommand cmd;
    cmd.action = action;
    if (vm.count("name")) cmd.name = vm["name"].as<std::string>();
    if (action == ServiceAction::install) {
        if (line.program.empty())
            throw UsageError(
                "install needs the program after '--', e.g. ductor "
                "service install -- /usr/bin/my-bot --flag",
                line.hint);
        cmd.program = line.program;
        if (vm.count("description")) cmd.description = vm["description"].as<std::string>();
        if (vm.count("workdir")) cmd.workdir = vm["workdir"].as<std::string>();
        if (vm.count("env")) cmd.env = vm["env"].as<std::vector<std::string>>();
        if (vm.count("restart")) cmd.restart = vm["restart"].as<std::string>();
        if (vm.count("restart-delay")) cmd.restart_delay = vm["restart-delay"].as<long long>();
        if (vm.count("log-dir")) cmd.log_dir = vm["log-dir"].as<std::string>();
        cmd.enable_linger = vm["enable-linger"].as<bool>();
        cmd.force = vm["force"].as<bool>();
    } else if (!line.program.empty()) {
        throw UsageError("'--' and a program are only taken by 'service install'", line.hint);
    }
    if (vm.count("dry-run")) cmd.dry_run = vm["dry-run"].as<bool>();
    if (vm.count("json")) cmd.json = vm["json"].as<bool>();
    if (action != ServiceAction::install && vm.count("log-dir")) cmd.log_dir = vm["log-dir"].as<std::string>();
    if (vm.count("lines")) cmd.lines = parse_count(vm["lines"].as<std::string>(), "--lines", line.hint);
    if (vm.count("follow")) cmd.follow = vm["follow"].as<bool>();
    return cmd;
}

template <ServiceAction action>
Command read_action(const ParsedLine& line) {
    return read_service(action, line);
}

const CommandOptions& install_options() {
    static const auto options =
        options::combine({options::name(), options::install(), options::json(), options::global()});
    return options;
}

const CommandOptions& change_options() {
    static const auto options = options::combine({options::name(), options::change(), options::global()});
    return options;
}

const CommandOptions& status_options() {
    static const auto options =
        options::combine({options::name(), options::json(), options::log_dir(), options::global()});
    return options;
}

const CommandOptions& logs_options() {
    static const auto options =
        options::combine({options::name(), options::logs(), options::log_dir(), options::global()});
    return options;
}

const CommandOptions& json_options() {
    static const auto options = options::combine({options::json(), options::global()});
    return options;
}

int handle_service(const Invocation& inv, const Backends* b) {
    return to_int(service_command(std::get<ServiceCommand>(inv.command), inv.global, b->registry, b->host));
}

// ---- plugins, run, stop, boot, doctor ----

Command read_plugins(const ParsedLine& line) { return PluginsCommand{line.vm["json"].as<bool>()}; }

int handle_plugins(const Invocation& inv, const Backends* b) {
    return to_int(plugins_command(std::get<PluginsCommand>(inv.command), inv.global, b->registry));
}

const CommandOptions& run_options() {
    static const auto options = options::combine(
        {options::name(), options::run_shared(), options::run_only(), options::run_environment(), options::global()});
    return options;
}

Command read_run(const ParsedLine& line) {
    const auto& vm = line.vm;
    if (vm.count("definition")) {
        for (const char* other : {"name", "log-dir", "log-to", "log-size", "log-files", "grace", "restart",
                                  "restart-delay", "crash-loop-limit", "backoff-max", "workdir", "env", "home"}) {
            if (vm.count(other) && !vm[other].defaulted())
                throw UsageError(std::string("--definition takes no other option: the file holds --") + other,
                                 line.hint);
        }
        if (vm["detach"].as<bool>() || !line.program.empty())
            throw UsageError(
                "--definition takes no other option and no program: the "
                "file holds them",
                line.hint);
        RunCommand cmd;
        cmd.definition = vm["definition"].as<std::string>();
        return cmd;
    }
    if (line.program.empty())
        throw UsageError(
            "run needs the program after '--', e.g. ductor run -- "
            "/usr/bin/my-bot --flag",
            line.hint);
    RunCommand cmd;
    cmd.name = vm["name"].as<std::string>();
    if (vm.count("log-dir")) cmd.log_dir = vm["log-dir"].as<std::string>();
    cmd.log_to = vm["log-to"].as<std::string>();
    cmd.log_size = vm["log-size"].as<std::string>();
    cmd.log_files = vm["log-files"].as<unsigned>();
    cmd.grace = vm["grace"].as<long long>();
    cmd.restart = vm["restart"].as<std::string>();
    cmd.restart_delay = vm["restart-delay"].as<long long>();
    cmd.crash_loop_limit = vm["crash-loop-limit"].as<unsigned>();
    cmd.backoff_max = vm["backoff-max"].as<long long>();
    cmd.detach = vm["detach"].as<bool>();
    if (vm.count("workdir")) cmd.workdir = vm["workdir"].as<std::string>();
    if (vm.count("env")) cmd.env = vm["env"].as<std::vector<std::string>>();
    if (vm.count("home")) cmd.home = vm["home"].as<std::string>();
    cmd.program = line.program;
    return cmd;
}

// The runner's exit code is its program's: it passes through unchanged.
int handle_run(const Invocation& inv, const Backends* /*backends*/) {
    return run_command(std::get<RunCommand>(inv.command));
}

const CommandOptions& stop_options() {
    static const auto options = options::combine({options::name(), options::json(), options::global()});
    return options;
}

Command read_stop(const ParsedLine& line) {
    if (line.has_dashdash) throw UsageError("'stop' takes no program", line.hint);
    return StopCommand{line.vm["name"].as<std::string>(), line.vm["json"].as<bool>()};
}

int handle_stop(const Invocation& inv, const Backends* b) {
    return to_int(stop_command(std::get<StopCommand>(inv.command), inv.global, b->registry, b->host));
}

const CommandOptions& boot_options() {
    static const auto options = options::combine({options::boot(), options::json(), options::global()});
    return options;
}

Command read_boot(const ParsedLine& line) {
    return BootCommand{line.vm["foreground"].as<bool>(), line.vm["json"].as<bool>()};
}

int handle_boot(const Invocation& inv, const Backends* b) {
    return to_int(boot_command(std::get<BootCommand>(inv.command), inv.global, b->registry, b->host));
}

Command read_doctor(const ParsedLine& line) { return DoctorCommand{line.vm["json"].as<bool>()}; }

int handle_doctor(const Invocation& inv, const Backends* b) {
    return to_int(doctor_command(std::get<DoctorCommand>(inv.command), inv.global, b->registry, b->host));
}

// ---- completion SHELL, __complete WHAT ----

const CommandOptions& global_options() {
    static const auto options = options::combine({options::global()});
    return options;
}

Command read_completion(const ParsedLine& /*line*/) { return CompletionCommand{}; }

template <std::string (*script)()>
int print_text(const Invocation& /*invocation*/, const Backends* /*backends*/) {
    std::cout << script();
    return to_int(ExitCode::success);
}

// The backend names --backend takes: the plugin files on the search path (none is loaded).
// Only plain names: a shell's completion puts them on the command line, where a file named
// '$(x).so' must never become a command.
int print_backends(const Invocation& /*invocation*/, const Backends* b) {
    auto plain = [](const std::string& stem) {
        return !stem.empty() && std::all_of(stem.begin(), stem.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                   c == '-';
        });
    };
    for (const auto& candidate : plugin::discover(b->registry.search_path()).candidates)
        if (plain(candidate.stem)) std::cout << candidate.stem << "\n";
    return to_int(ExitCode::success);
}

// The service names --name takes: the install records.
int print_services(const Invocation& /*invocation*/, const Backends* /*backends*/) {
    for (const auto& name : service::recorded_names(host::ductor_home_for(platform::home_directory())))
        std::cout << name << "\n";
    return to_int(ExitCode::success);
}

std::vector<CommandEntry> make_table() {
    using N = Needs;
    return {
        {.words = {},
         .options = top_options,
         .help = help::top,
         .read = read_top,
         .no_program = "'--' must follow a command such as 'service install'",
         .handle = print_version,
         .child_noun = "command"},
        {.words = {"service"},
         .synopsis = "service ACTION [ARGS]",
         .summary = "manage a service (see 'ductor service --help')",
         .options = top_options,
         .help = help::service,
         .child_noun = "service action",
         .missing_child = "an action"},
        {.words = {"service", "install"},
         .synopsis = "install -- PROGRAM [ARGS...]",
         .summary = "write the service definition, enable and start it",
         .options = install_options,
         .help = help::service_install,
         .read = read_action<ServiceAction::install>,
         .needs = N::backends,
         .handle = handle_service,
         .takes_program = true},
        {.words = {"service", "start"},
         .synopsis = "start | stop | restart",
         .summary = "control the installed service",
         .options = change_options,
         .help = help::service_start,
         .read = read_action<ServiceAction::start>,
         .needs = N::backends,
         .handle = handle_service},
        {.words = {"service", "stop"},
         .summary = "stop the installed service",
         .options = change_options,
         .help = help::service_stop,
         .read = read_action<ServiceAction::stop>,
         .needs = N::backends,
         .handle = handle_service},
        {.words = {"service", "restart"},
         .summary = "stop and start the installed service",
         .options = change_options,
         .help = help::service_restart,
         .read = read_action<ServiceAction::restart>,
         .needs = N::backends,
         .handle = handle_service},
        {.words = {"service", "status"},
         .synopsis = "status [--json]",
         .summary = "state, PID and last exit code (exit 0 running,\n3 installed "
                    "but not running, 4 not installed)",
         .options = status_options,
         .help = help::service_status,
         .read = read_action<ServiceAction::status>,
         .needs = N::backends,
         .handle = handle_service},
        {.words = {"service", "logs"},
         .synopsis = "logs [-n N] [-f]",
         .summary = "show the service's output",
         .options = logs_options,
         .help = help::service_logs,
         .read = read_action<ServiceAction::logs>,
         .needs = N::backends,
         .handle = handle_service},
        {.words = {"service", "uninstall"},
         .synopsis = "uninstall",
         .summary = "stop it and remove everything install wrote",
         .options = change_options,
         .help = help::service_uninstall,
         .read = read_action<ServiceAction::uninstall>,
         .needs = N::backends,
         .handle = handle_service},
        {.words = {"service", "list"},
         .synopsis = "list [--json]",
         .summary = "every service installed with ductor, its backend and state",
         .options = json_options,
         .help = help::service_list,
         .read = read_action<ServiceAction::list>,
         .needs = N::backends,
         .handle = handle_service},
        {.words = {"plugins"},
         .synopsis = "plugins [--json]",
         .summary = "list the backend plugins and which one is used",
         .options = json_options,
         .help = help::plugins,
         .read = read_plugins,
         .no_program = "'plugins' takes no program",
         .needs = N::backends,
         .handle = handle_plugins},
        {.words = {"run"},
         .synopsis = "run -- PROGRAM [ARGS]",
         .summary = "run PROGRAM under the runner (see 'ductor run --help')",
         .options = run_options,
         .help = help::run,
         .read = read_run,
         .handle = handle_run,
         .takes_program = true},
        {.words = {"stop"},
         .synopsis = "stop [--name NAME] [--json]",
         .summary = "stop the service and the runner of NAME",
         .options = stop_options,
         .help = help::stop,
         .read = read_stop,
         .needs = N::backends,
         .handle = handle_stop},
        {.words = {"boot"},
         .synopsis = "boot [--foreground] [--json]",
         .summary = "start every enabled standalone service",
         .options = boot_options,
         .help = help::boot,
         .read = read_boot,
         .no_program = "'boot' takes no program",
         .needs = N::backends,
         .handle = handle_boot},
        {.words = {"doctor"},
         .synopsis = "doctor [--json]",
         .summary = "explain this machine and what needs attention",
         .options = json_options,
         .help = help::doctor,
         .read = read_doctor,
         .no_program = "'doctor' takes no program",
         .needs = N::backends_with_any_home,
         .handle = handle_doctor},
        {.words = {"completion"},
         .synopsis = "completion SHELL",
         .summary = "print the completion script for bash, zsh or fish",
         .options = global_options,
         .help = help::completion,
         .child_noun = "shell",
         .missing_child = "a shell"},
        {.words = {"completion", "bash"},
         .options = global_options,
         .help = help::completion,
         .read = read_completion,
         .no_program = "'completion' takes no program",
         .handle = print_text<completion::bash_script>},
        {.words = {"completion", "zsh"},
         .options = global_options,
         .help = help::completion,
         .read = read_completion,
         .no_program = "'completion' takes no program",
         .handle = print_text<completion::zsh_script>},
        {.words = {"completion", "fish"},
         .options = global_options,
         .help = help::completion,
         .read = read_completion,
         .no_program = "'completion' takes no program",
         .handle = print_text<completion::fish_script>},
        // What the completion scripts ask while the user presses TAB, and every option for the manual's test.
        {.words = {"__complete"},
         .options = global_options,
         .help = help::complete,
         .child_noun = "query",
         .missing_child = "a query",
         .hidden = true},
        {.words = {"__complete", "backends"},
         .options = global_options,
         .help = help::complete,
         .read = read_completion,
         .no_program = "'__complete' takes no program",
         .needs = N::backends_with_any_home,
         .handle = print_backends,
         .hidden = true},
        {.words = {"__complete", "services"},
         .options = global_options,
         .help = help::complete,
         .read = read_completion,
         .no_program = "'__complete' takes no program",
         .handle = print_services,
         .hidden = true},
        {.words = {"__complete", "options"},
         .options = global_options,
         .help = help::complete,
         .read = read_completion,
         .no_program = "'__complete' takes no program",
         .handle = print_text<completion::option_listing>,
         .hidden = true},
    };
}

bool starts_with(const std::vector<std::string_view>& words, const std::vector<std::string>& prefix) {
    return words.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), words.begin());
}

}  // namespace

const std::vector<CommandEntry>& command_table() {
    static const auto table = make_table();
    return table;
}

const CommandEntry* find_command(const std::vector<std::string>& words) {
    for (const auto& entry : command_table()) {
        if (entry.words.size() == words.size() && starts_with(entry.words, words)) return &entry;
    }
    return nullptr;
}

bool is_group(const std::vector<std::string>& words) {
    for (const auto& entry : command_table()) {
        if (entry.words.size() > words.size() && starts_with(entry.words, words)) return true;
    }
    return false;
}

std::vector<const CommandEntry*> children(const std::vector<std::string_view>& group) {
    std::vector<const CommandEntry*> found;
    std::vector<std::string> prefix(group.begin(), group.end());
    for (const auto& entry : command_table()) {
        if (entry.words.size() == group.size() + 1 && starts_with(entry.words, prefix)) found.push_back(&entry);
    }
    return found;
}

std::string command_name(const std::vector<std::string_view>& words) {
    std::string text = "ductor";
    for (auto word : words) text += " " + std::string(word);
    return text;
}

const po::options_description& every_option() {
    static const po::options_description every = [] {
        po::options_description all;
        for (const auto& entry : command_table()) {
            for (const auto& option : entry.options().all.options()) {
                if (all.find_nothrow(option->long_name(), false) == nullptr) all.add(option);
            }
        }
        return all;
    }();
    return every;
}

}  // namespace ductor::cli
