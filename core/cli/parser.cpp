// Command-line parsing with Boost.Program_options. The command words
// ("service install") are found first; the remaining tokens are then parsed
// against that command's options plus the global ones, so global options may
// stand anywhere. Everything after the first "--" is the program's argv.
#include <ductor/cli/invocation.hpp>

#include "help.hpp"

#include <ductor/output/text.hpp>

#include <boost/program_options.hpp>

#include <algorithm>
#include <map>

namespace po = boost::program_options;

namespace ductor::cli {
namespace {

struct Words {
    std::vector<std::string> commands;  // e.g. {"service", "install"}
    std::vector<std::string> rest;      // option tokens, command words removed
    std::vector<std::string> stray;     // words that are neither commands nor option values
};

// Finds up to `depth` leading command words, skipping option values.
Words split_words(const std::vector<std::string>& tokens, const po::options_description& every_option) {
    Words words;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& token = tokens[i];
        bool is_option = token.size() > 1 && token[0] == '-';
        if (is_option) {
            words.rest.push_back(token);
            bool attached = token.find('=') != std::string::npos || (token[1] != '-' && token.size() > 2);
            auto name = token[1] == '-' ? token.substr(2, token.find('=') - 2) : token.substr(0, 2);
            const auto* option = every_option.find_nothrow(name, false, false, false);
            if (!attached && option != nullptr && option->semantic()->max_tokens() > 0 && i + 1 < tokens.size()) {
                words.rest.push_back(tokens[++i]);
            }
        } else if (words.commands.size() < 2 && (words.commands.empty() || words.commands[0] == "service")) {
            words.commands.push_back(token);
        } else {
            words.stray.push_back(token);
        }
    }
    return words;
}

po::variables_map parse_options(const std::vector<std::string>& tokens, const po::options_description& options,
                                const std::string& hint) {
    po::variables_map vm;
    try {
        po::positional_options_description none;
        po::store(po::command_line_parser(tokens).options(options).positional(none).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what(), hint);
    }
    return vm;
}

GlobalOptions read_globals(const po::variables_map& vm, const std::optional<std::string>& backend_env,
                           const std::string& hint) {
    GlobalOptions global;
    if (vm.count("plugin-dir")) {
        for (const auto& dir : vm["plugin-dir"].as<std::vector<std::string>>()) global.plugin_dirs.emplace_back(dir);
    }
    if (vm.count("backend"))
        global.backend = vm["backend"].as<std::string>();
    else if (backend_env && !backend_env->empty())
        global.backend = backend_env;
    if (global.backend && output::printable(*global.backend) != *global.backend) {
        throw UsageError(std::string(vm.count("backend") ? "--backend " : "DUCTOR_BACKEND ") +
                             output::quoted(*global.backend) +
                             " is not a backend name: it holds control characters or invalid UTF-8",
                         hint);
    }
    bool verbose = vm["verbose"].as<bool>(), quiet = vm["quiet"].as<bool>();
    if (verbose && quiet) throw UsageError("--verbose and --quiet cannot be used together", hint);
    global.verbosity = verbose ? Verbosity::verbose : quiet ? Verbosity::quiet : Verbosity::normal;
    return global;
}

// A whole number from 0 to 1,000,000 (program_options would wrap "-3" around).
unsigned parse_count(const std::string& text, const std::string& option, const std::string& hint) {
    bool digits = !text.empty() && text.size() <= 7 && text.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoul(text) > 1000000) {
        throw UsageError(option + " '" + text + "' is not a whole number from 0 to 1000000", hint);
    }
    return static_cast<unsigned>(std::stoul(text));
}

const std::map<std::string, ServiceAction>& service_actions() {
    static const std::map<std::string, ServiceAction> actions = {
        {"install", ServiceAction::install},     {"start", ServiceAction::start},   {"stop", ServiceAction::stop},
        {"restart", ServiceAction::restart},     {"status", ServiceAction::status}, {"logs", ServiceAction::logs},
        {"uninstall", ServiceAction::uninstall}, {"list", ServiceAction::list}};
    return actions;
}

ServiceCommand read_service(ServiceAction action, const po::variables_map& vm, std::vector<std::string> program,
                            const std::string& hint) {
    ServiceCommand cmd;
    cmd.action = action;
    if (vm.count("name")) cmd.name = vm["name"].as<std::string>();
    if (action == ServiceAction::install) {
        if (program.empty())
            throw UsageError(
                "install needs the program after '--', e.g. ductor service install -- /usr/bin/my-bot --flag", hint);
        cmd.program = std::move(program);
        if (vm.count("description")) cmd.description = vm["description"].as<std::string>();
        if (vm.count("workdir")) cmd.workdir = vm["workdir"].as<std::string>();
        if (vm.count("env")) cmd.env = vm["env"].as<std::vector<std::string>>();
        if (vm.count("restart")) cmd.restart = vm["restart"].as<std::string>();
        if (vm.count("restart-delay")) cmd.restart_delay = vm["restart-delay"].as<long long>();
        if (vm.count("log-dir")) cmd.log_dir = vm["log-dir"].as<std::string>();
        cmd.enable_linger = vm["enable-linger"].as<bool>();
        cmd.force = vm["force"].as<bool>();
    } else if (!program.empty()) {
        throw UsageError("'--' and a program are only taken by 'service install'", hint);
    }
    if (action != ServiceAction::status && action != ServiceAction::logs && action != ServiceAction::list)
        cmd.dry_run = vm["dry-run"].as<bool>();
    if (action != ServiceAction::logs) cmd.json = vm["json"].as<bool>();
    if ((action == ServiceAction::status || action == ServiceAction::logs) && vm.count("log-dir"))
        cmd.log_dir = vm["log-dir"].as<std::string>();
    if (action == ServiceAction::logs) {
        if (vm.count("lines")) cmd.lines = parse_count(vm["lines"].as<std::string>(), "--lines", hint);
        cmd.follow = vm["follow"].as<bool>();
    }
    return cmd;
}

RunCommand read_run(const po::variables_map& vm, std::vector<std::string> program, const std::string& hint) {
    if (vm.count("definition")) {
        for (const char* other : {"name", "log-dir", "log-to", "log-size", "log-files", "grace", "restart",
                                  "restart-delay", "crash-loop-limit", "backoff-max", "workdir", "env"}) {
            if (vm.count(other) && !vm[other].defaulted())
                throw UsageError(std::string("--definition takes no other option: the file holds --") + other, hint);
        }
        if (vm["detach"].as<bool>() || !program.empty())
            throw UsageError("--definition takes no other option and no program: the file holds them", hint);
        RunCommand cmd;
        cmd.definition = vm["definition"].as<std::string>();
        return cmd;
    }
    if (program.empty())
        throw UsageError("run needs the program after '--', e.g. ductor run -- /usr/bin/my-bot --flag", hint);
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
    cmd.program = std::move(program);
    return cmd;
}

// `run` and `stop`: one command word, their own options.
Invocation parse_runner_command(const std::string& word, const std::vector<std::string>& rest,
                                std::vector<std::string> program, bool has_dashdash,
                                const std::optional<std::string>& backend_env) {
    const std::string hint = "ductor " + word + " --help";
    bool run = word == "run";
    auto vm = parse_options(rest, run ? help::run_options() : help::stop_options(), hint);
    Invocation inv{read_globals(vm, backend_env, hint), VersionRequest{}};
    if (vm["help"].as<bool>()) {  // the help text is built only when asked for: `ductor run` starts fast
        inv.command = HelpRequest{run ? help::run_text() : help::stop_text()};
        return inv;
    }
    if (run)
        inv.command = read_run(vm, std::move(program), hint);
    else if (has_dashdash)
        throw UsageError("'stop' takes no program", hint);
    else
        inv.command = StopCommand{vm["name"].as<std::string>()};
    return inv;
}

std::string where(const std::vector<std::string>& words) {
    std::string text = "ductor";
    for (const auto& w : words) text += " " + w;
    return text;
}

}  // namespace

Invocation parse_command_line(const std::vector<std::string>& args, const std::optional<std::string>& backend_env) {
    auto dashdash = std::find(args.begin(), args.end(), "--");
    std::vector<std::string> tokens(args.begin(), dashdash);
    std::vector<std::string> program(dashdash == args.end() ? dashdash : dashdash + 1, args.end());
    bool has_dashdash = dashdash != args.end();

    const auto words = split_words(tokens, help::every_option());
    const auto& cmds = words.commands;
    std::string hint = where(cmds) + " --help";
    if (!words.stray.empty()) {
        std::string message = "unexpected argument '" + words.stray.front() + "'";
        bool takes_program = (cmds.size() == 2 && cmds[1] == "install") || (cmds.size() == 1 && cmds[0] == "run");
        if (takes_program) message += "; put the program and its arguments after '--'";
        throw UsageError(message, hint);
    }

    if (cmds.empty()) {
        auto vm = parse_options(words.rest, help::top_options(), "ductor --help");
        Invocation inv{read_globals(vm, backend_env, "ductor --help"), VersionRequest{}};
        if (vm["version"].as<bool>()) return inv;  // the help text is not even built: --version starts fast
        if (!vm["help"].as<bool>() || has_dashdash) {
            if (has_dashdash) throw UsageError("'--' must follow a command such as 'service install'", "ductor --help");
            throw UsageError("no command given", "ductor --help");
        }
        inv.command = HelpRequest{help::top_text()};
        return inv;
    }
    if (cmds[0] == "plugins") {
        auto vm = parse_options(words.rest, help::plugins_options(), hint);
        Invocation inv{read_globals(vm, backend_env, hint), PluginsCommand{vm["json"].as<bool>()}};
        if (vm["help"].as<bool>()) inv.command = HelpRequest{help::plugins_text()};
        if (has_dashdash) throw UsageError("'plugins' takes no program", hint);
        return inv;
    }
    if (cmds[0] == "boot") {
        auto vm = parse_options(words.rest, help::boot_options(), hint);
        Invocation inv{read_globals(vm, backend_env, hint), BootCommand{vm["foreground"].as<bool>()}};
        if (vm["help"].as<bool>()) inv.command = HelpRequest{help::boot_text()};
        if (has_dashdash) throw UsageError("'boot' takes no program", hint);
        return inv;
    }
    if (cmds[0] == "doctor") {
        auto vm = parse_options(words.rest, help::doctor_options(), hint);
        Invocation inv{read_globals(vm, backend_env, hint), DoctorCommand{vm["json"].as<bool>()}};
        if (vm["help"].as<bool>()) inv.command = HelpRequest{help::doctor_text()};
        if (has_dashdash) throw UsageError("'doctor' takes no program", hint);
        return inv;
    }
    if (cmds[0] == "run" || cmds[0] == "stop") {
        return parse_runner_command(cmds[0], words.rest, std::move(program), has_dashdash, backend_env);
    }
    if (cmds[0] != "service") throw UsageError("unknown command '" + cmds[0] + "'", "ductor --help");
    if (cmds.size() < 2) {
        auto vm = parse_options(words.rest, help::top_options(), hint);
        if (vm["help"].as<bool>()) return {read_globals(vm, backend_env, hint), HelpRequest{help::service_text()}};
        throw UsageError("'service' needs an action: install, start, stop, restart, status, logs, uninstall or list",
                         hint);
    }
    auto action = service_actions().find(cmds[1]);
    if (action == service_actions().end())
        throw UsageError("unknown service action '" + cmds[1] + "'", "ductor service --help");
    auto vm = parse_options(words.rest, help::service_options(action->second), hint);
    auto global = read_globals(vm, backend_env, hint);
    if (vm["help"].as<bool>()) return {global, HelpRequest{help::service_action_text(action->second)}};
    return {global, read_service(action->second, vm, std::move(program), hint)};
}

}  // namespace ductor::cli
