#pragma once
// The command table (private to the CLI): one entry per command. The parser, --help, `ductor completion` and `ductor
// __complete` all read it; adding a command is one entry here plus its handler.

#include "options.hpp"

#include <ductor/cli/invocation.hpp>
#include <ductor/plugin/registry.hpp>
#include <ductor/sdk/host.hpp>

#include <boost/program_options/variables_map.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ductor::cli {

// What a command's handler needs besides its invocation.
enum class Needs {
    nothing,                 // runs at once (run, --version, completion)
    backends,                // the plugin registry; the ductor home must be usable
    backends_with_any_home,  // the registry, also when the ductor home is not usable (doctor reports it)
};

// The registry and the host, open while a handler runs that needs them.
struct Backends {
    const plugin::Registry& registry;
    const sdk::Host& host;
};

// What a command's `read` gets: the parsed options and the program after "--".
struct ParsedLine {
    const boost::program_options::variables_map& vm;
    std::vector<std::string> program;
    bool has_dashdash = false;
    std::string hint;  // "ductor service install --help"
};

struct CommandEntry {
    std::vector<std::string_view> words = {};  // {"service", "install"}; {} is ductor itself
    // In the parent's --help: synopsis padded to a column, then the summary ('\n' continues it on the next line). An
    // entry with an empty synopsis is not listed (it shares a line with another).
    std::string_view synopsis = {};
    std::string_view summary = {};
    const CommandOptions& (*options)() = nullptr;
    std::string (*help)() = nullptr;  // built only when asked for
    // The request from the parsed line; throws UsageError. Null for a group such as `service`.
    Command (*read)(const ParsedLine& line) = nullptr;
    // Why a "--" is refused before anything else is read; empty: `read` decides.
    std::string_view no_program = {};
    Needs needs = Needs::nothing;
    // Runs the command; returns the process exit code. `backends` is null when needs is nothing.
    int (*handle)(const Invocation& invocation, const Backends* backends) = nullptr;
    // For a group: what its sub-words are called in errors ("unknown service action 'x'", "'service' needs an action:
    // ...").
    std::string_view child_noun = {};
    std::string_view missing_child = {};
    // Whether a word after the command stands for the program (the hint "put it after '--'").
    bool takes_program = false;
    // Left out of --help, the completions and the option listing (`__complete`).
    bool hidden = false;
};

// Every command, the top level first, each group before its members.
const std::vector<CommandEntry>& command_table();

// The entry whose words are exactly `words`; null when there is none.
const CommandEntry* find_command(const std::vector<std::string>& words);

// True when some entry extends `words` by more words (`words` is ductor itself or a group).
bool is_group(const std::vector<std::string>& words);

// The entries one word longer than `group` that start with it, in table order.
std::vector<const CommandEntry*> children(const std::vector<std::string_view>& group);

// "ductor service install".
std::string command_name(const std::vector<std::string_view>& words);

// Every option of every command, one of each name: tells the parser which options take a value.
const boost::program_options::options_description& every_option();

}  // namespace ductor::cli
