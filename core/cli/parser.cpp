// Command-line parsing with Boost.Program_options, driven by the command table. The command words ("service install")
// are found first; the remaining tokens are then parsed against that command's options, which include the global ones,
// so global options may stand anywhere. Everything after the first "--" is the program's argv.
#include "command_table.hpp"
#include "help.hpp"

#include <ductor/output/text.hpp>

#include <boost/program_options.hpp>

#include <algorithm>

namespace po = boost::program_options;

namespace ductor::cli {
namespace {

struct Words {
    std::vector<std::string> commands;  // e.g. {"service", "install"}
    std::vector<std::string> rest;      // option tokens, command words removed
    std::vector<std::string> stray;     // words that are neither commands nor option values
};

// The option `name` as the words so far know it: the options of the command they name answer first, so that a
// command line builds no other command's options; an option of another command is found in every_option() (in
// today's table an option name takes a value in every command that has it or in none, so the two agree).
const po::option_description* find_option(const std::string& name, const std::vector<std::string>& commands) {
    if (const auto* entry = find_command(commands)) {
        if (const auto* own = entry->options().all.find_nothrow(name, false, false, false)) return own;
    }
    return every_option().find_nothrow(name, false, false, false);
}

// Takes the leading words that name a command of the table (skipping option values).
Words split_words(const std::vector<std::string>& tokens) {
    Words words;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& token = tokens[i];
        bool is_option = token.size() > 1 && token[0] == '-';
        if (is_option) {
            words.rest.push_back(token);
            bool attached = token.find('=') != std::string::npos || (token[1] != '-' && token.size() > 2);
            auto name = token[1] == '-' ? token.substr(2, token.find('=') - 2) : token.substr(0, 2);
            const auto* option = find_option(name, words.commands);
            if (!attached && option != nullptr && option->semantic()->max_tokens() > 0 && i + 1 < tokens.size()) {
                words.rest.push_back(tokens[++i]);
            }
        } else if (is_group(words.commands)) {
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
                             " is not a backend name: it holds control characters or invalid "
                             "UTF-8",
                         hint);
    }
    bool verbose = vm["verbose"].as<bool>(), quiet = vm["quiet"].as<bool>();
    if (verbose && quiet) throw UsageError("--verbose and --quiet cannot be used together", hint);
    global.verbosity = verbose ? Verbosity::verbose : quiet ? Verbosity::quiet : Verbosity::normal;
    return global;
}

// The entry the words name, or the usage error that says which word is unknown.
const CommandEntry& entry_for(const std::vector<std::string>& commands) {
    if (const auto* entry = find_command(commands)) return *entry;
    const std::vector<std::string> parent_words(commands.begin(), commands.end() - 1);
    const std::vector<std::string_view> group(commands.begin(), commands.end() - 1);
    const auto* parent = find_command(parent_words);
    auto noun = parent != nullptr ? std::string(parent->child_noun) : std::string("command");
    throw UsageError("unknown " + noun + " '" + commands.back() + "'", command_name(group) + " --help");
}

}  // namespace

Invocation parse_command_line(const std::vector<std::string>& args, const std::optional<std::string>& backend_env) {
    auto dashdash = std::find(args.begin(), args.end(), "--");
    std::vector<std::string> tokens(args.begin(), dashdash);
    std::vector<std::string> program(dashdash == args.end() ? dashdash : dashdash + 1, args.end());
    bool has_dashdash = dashdash != args.end();

    const auto words = split_words(tokens);
    const std::vector<std::string_view> named_words(words.commands.begin(), words.commands.end());
    std::string hint = command_name(named_words) + " --help";
    if (!words.stray.empty()) {
        const auto* named = find_command(words.commands);
        if (named == nullptr) entry_for(words.commands);  // an unknown command is what is wrong first: it throws
        std::string message = "unexpected argument '" + words.stray.front() + "'";
        if (named != nullptr && named->takes_program) message += "; put the program and its arguments after '--'";
        throw UsageError(message, hint);
    }
    const auto& entry = entry_for(words.commands);
    auto vm = parse_options(words.rest, entry.options().all, hint);
    Invocation inv{read_globals(vm, backend_env, hint), VersionRequest{}, &entry};
    if (has_dashdash && !entry.no_program.empty()) throw UsageError(std::string(entry.no_program), hint);
    if (vm["help"].as<bool>()) {  // the help text is built only when asked for: the others start fast
        inv.command = HelpRequest{help::text(entry)};
        return inv;
    }
    if (entry.read == nullptr) {
        auto listed = children(entry.words);
        std::string names;
        for (std::size_t i = 0; i < listed.size(); ++i)
            names += (i == 0 ? "" : i + 1 == listed.size() ? " or " : ", ") + std::string(listed[i]->words.back());
        throw UsageError(
            "'" + command_name(entry.words).substr(7) + "' needs " + std::string(entry.missing_child) + ": " + names,
            hint);
    }
    inv.command = entry.read(ParsedLine{vm, std::move(program), has_dashdash, hint});
    return inv;
}

}  // namespace ductor::cli
