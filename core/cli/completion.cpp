// Completion scripts for bash, zsh and fish, generated from the command table. Each script walks the words typed so far
// to find the command (skipping the values of options that take one, like the parser does), then offers that command's
// subcommands, options or an option's values.
#include "completion.hpp"

#include "command_table.hpp"

#include <boost/program_options.hpp>

#include <set>

namespace po = boost::program_options;

namespace ductor::cli::completion {
namespace {

struct Option {
    std::string long_name;   // "--lines"
    std::string short_name;  // "-n", or empty
    bool takes_value = false;
    OptionValue value;
    std::string description;
};

struct Command {
    std::string key;                       // "service install"; "" is ductor itself
    std::vector<std::string> subcommands;  // visible children
    std::vector<Option> options;
};

std::string joined(const std::vector<std::string>& words, const std::string& separator = " ") {
    std::string text;
    for (const auto& w : words) text += (text.empty() ? "" : separator) + w;
    return text;
}

std::vector<Option> options_of(const CommandEntry& entry) {
    std::vector<Option> found;
    for (const auto& option : entry.options().all.options()) {
        Option o;
        o.long_name = "--" + option->long_name();
        auto short_name = option->canonical_display_name(po::command_line_style::allow_dash_for_short);
        if (short_name.size() == 2 && short_name[0] == '-') o.short_name = short_name;
        o.takes_value = option->semantic()->max_tokens() > 0;
        o.value = entry.options().value_of(option->long_name());
        o.description = option->description();
        found.push_back(std::move(o));
    }
    return found;
}

// Every visible command of the table with its subcommands and options.
std::vector<Command> model() {
    std::vector<Command> commands;
    for (const auto& entry : command_table()) {
        if (entry.hidden) continue;
        Command command;
        std::vector<std::string> words(entry.words.begin(), entry.words.end());
        command.key = joined(words);
        for (const auto* child : children(entry.words)) {
            if (!child->hidden) command.subcommands.emplace_back(child->words.back());
        }
        command.options = options_of(entry);
        commands.push_back(std::move(command));
    }
    return commands;
}

// Every option that takes a value, under any command (what the parser skips too).
std::string valued_options(const std::vector<Command>& commands) {
    std::set<std::string> valued;
    for (const auto& c : commands) {
        for (const auto& o : c.options) {
            if (!o.takes_value) continue;
            valued.insert(o.long_name);
            if (!o.short_name.empty()) valued.insert(o.short_name);
        }
    }
    return " " + joined({valued.begin(), valued.end()}) + " ";
}

std::vector<std::string> option_words(const Command& command) {
    std::vector<std::string> words;
    for (const auto& o : command.options) {
        words.push_back(o.long_name);
        if (!o.short_name.empty()) words.push_back(o.short_name);
    }
    return words;
}

// One shell's way of offering each kind of value.
struct ValueSyntax {
    std::string (*choices)(const std::vector<std::string>& words);
    std::string directory, file, backend, service;
};

// "cmd|--opt) ...;;" lines for every option with values worth offering, then "*|--opt" for an option typed between the
// words of a command ("ductor service --name bot logs").
std::string value_cases(const std::vector<Command>& commands, const ValueSyntax& syntax, const std::string& indent) {
    std::string text;
    auto anywhere = commands;
    std::set<std::string> seen;
    for (auto& c : anywhere) {
        c.key = "*";
        std::erase_if(c.options, [&](const Option& o) { return !seen.insert(o.long_name).second; });
    }
    auto all = commands;
    all.insert(all.end(), anywhere.begin(), anywhere.end());
    for (const auto& c : all) {
        for (const auto& o : c.options) {
            std::string action;
            switch (o.value.kind) {
                case ValueKind::text: continue;
                case ValueKind::choice: action = syntax.choices(o.value.choices); break;
                case ValueKind::directory: action = syntax.directory; break;
                case ValueKind::file: action = syntax.file; break;
                case ValueKind::backend: action = syntax.backend; break;
                case ValueKind::service: action = syntax.service; break;
            }
            auto key = c.key == "*" ? std::string("*\"") : "\"" + c.key;
            std::string pattern = key + "|" + o.long_name + "\"";
            if (!o.short_name.empty()) pattern += "|" + key + "|" + o.short_name + "\"";
            text += indent + pattern + ") " + action + " ;;\n";
        }
    }
    return text;
}

std::string bash_choices(const std::vector<std::string>& words) {
    return "COMPREPLY=($(compgen -W '" + joined(words) + "' -- \"$cur\"))";
}

std::string zsh_choices(const std::vector<std::string>& words) { return "compadd -- " + joined(words); }

}  // namespace

std::string bash_script() {
    const auto commands = model();
    std::string subs, opts;
    for (const auto& c : commands) {
        if (!c.subcommands.empty()) subs += "        \"" + c.key + "\") echo '" + joined(c.subcommands) + "' ;;\n";
        opts += "        \"" + c.key + "\") echo '" + joined(option_words(c)) + "' ;;\n";
    }
    // mapfile keeps a name with blanks or glob characters whole; compopt quotes it on the line.
    const ValueSyntax syntax{bash_choices,
                             "mapfile -t COMPREPLY < <(compgen -d -- \"$cur\"); compopt -o filenames 2>/dev/null",
                             "mapfile -t COMPREPLY < <(compgen -f -- \"$cur\"); compopt -o filenames 2>/dev/null",
                             "COMPREPLY=($(compgen -W \"$(\"$ductor\" __complete "
                             "backends 2>/dev/null)\" -- \"$cur\"))",
                             "COMPREPLY=($(compgen -W \"$(\"$ductor\" __complete "
                             "services 2>/dev/null)\" -- \"$cur\"))"};
    return "# bash completion for ductor; generated by 'ductor completion bash' "
           "from its command table.\n"
           "_ductor_subcommands() {\n"
           "    case \"$1\" in\n" +
           subs +
           "    esac\n"
           "}\n"
           "_ductor_options() {\n"
           "    case \"$1\" in\n" +
           opts +
           "    esac\n"
           "}\n"
           "_ductor_values() {\n"
           "    local cmd=$1 option=$2 cur=$3 ductor=$4\n"
           "    case \"$cmd|$option\" in\n" +
           value_cases(commands, syntax, "        ") +
           "    esac\n"
           "}\n"
           "_ductor() {\n"
           "    local cur=${COMP_WORDS[COMP_CWORD]} "
           "prev=${COMP_WORDS[COMP_CWORD-1]} cmd='' w i\n"
           "    local valued='" +
           valued_options(commands) +
           "'\n"
           "    COMPREPLY=()\n"
           "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
           "        w=${COMP_WORDS[i]}\n"
           "        if [[ $w == -- ]]; then\n"
           "            mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")  # the program and its arguments\n"
           "            compopt -o filenames 2>/dev/null\n"
           "            return\n"
           "        elif [[ $w == -* ]]; then\n"
           "            [[ $w != *=* && $valued == *\" $w \"* ]] && ((i++))\n"
           "        elif [[ \" $(_ductor_subcommands \"$cmd\") \" == *\" $w \"* "
           "]]; then\n"
           "            cmd=${cmd:+$cmd }$w\n"
           "        fi\n"
           "    done\n"
           "    if ((COMP_CWORD > 1)) && [[ $valued == *\" $prev \"* ]]; then\n"
           "        _ductor_values \"$cmd\" \"$prev\" \"$cur\" "
           "\"${COMP_WORDS[0]}\"\n"
           "    elif [[ $cur == -* ]]; then\n"
           "        COMPREPLY=($(compgen -W \"$(_ductor_options \"$cmd\")\" -- "
           "\"$cur\"))\n"
           "    else\n"
           "        COMPREPLY=($(compgen -W \"$(_ductor_subcommands \"$cmd\")\" "
           "-- \"$cur\"))\n"
           "    fi\n"
           "}\n"
           "complete -F _ductor ductor\n";
}

std::string zsh_script() {
    const auto commands = model();
    std::string subs, opts;
    for (const auto& c : commands) {
        if (!c.subcommands.empty()) subs += "        \"" + c.key + "\") subs=(" + joined(c.subcommands) + ") ;;\n";
        opts += "            \"" + c.key + "\") compadd -- " + joined(option_words(c)) + " ;;\n";
    }
    const ValueSyntax syntax{zsh_choices, "_files -/", "_files",
                             "compadd -- ${(f)\"$(${words[1]} __complete backends 2>/dev/null)\"}",
                             "compadd -- ${(f)\"$(${words[1]} __complete services 2>/dev/null)\"}"};
    return "#compdef ductor\n"
           "# zsh completion for ductor; generated by 'ductor completion zsh' "
           "from its command table.\n"
           "_ductor_subcommands() {\n"
           "    subs=()\n"
           "    case \"$1\" in\n" +
           subs +
           "    esac\n"
           "}\n"
           "_ductor() {\n"
           "    local cmd='' w i prev=${words[CURRENT-1]} cur=${words[CURRENT]}\n"
           "    local -a subs\n"
           "    local valued='" +
           valued_options(commands) +
           "'\n"
           "    for ((i = 2; i < CURRENT; i++)); do\n"
           "        w=${words[i]}\n"
           "        if [[ $w == -- ]]; then\n"
           "            _files  # the program and its arguments\n"
           "            return\n"
           "        elif [[ $w == -* ]]; then\n"
           "            [[ $w != *=* && $valued == *\" $w \"* ]] && ((i++))\n"
           "        else\n"
           "            _ductor_subcommands \"$cmd\"\n"
           "            (( ${subs[(Ie)$w]} )) && cmd=${cmd:+$cmd }$w\n"
           "        fi\n"
           "    done\n"
           "    if ((CURRENT > 2)) && [[ $valued == *\" $prev \"* ]]; then\n"
           "        case \"$cmd|$prev\" in\n" +
           value_cases(commands, syntax, "            ") +
           "        esac\n"
           "    elif [[ $cur == -* ]]; then\n"
           "        case \"$cmd\" in\n" +
           opts +
           "        esac\n"
           "    else\n"
           "        _ductor_subcommands \"$cmd\"\n"
           "        (( $#subs )) && compadd -- $subs\n"
           "    fi\n"
           "}\n"
           "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n"
           "    _ductor \"$@\"\n"
           "else\n"
           "    compdef _ductor ductor\n"
           "fi\n";
}

namespace {

// A fish single-quoted string.
std::string fish_quoted(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return quoted + "'";
}

std::string fish_option(const std::string& key, const Option& o) {
    std::string line = "complete -c ductor -n " + fish_quoted("__ductor_is " + fish_quoted(key));
    if (!o.short_name.empty()) line += " -s " + o.short_name.substr(1);
    line += " -l " + o.long_name.substr(2);
    if (o.takes_value) {
        switch (o.value.kind) {
            case ValueKind::text: line += " -x"; break;
            case ValueKind::choice: line += " -x -a " + fish_quoted(joined(o.value.choices)); break;
            case ValueKind::directory: line += " -x -a '(__fish_complete_directories)'"; break;
            case ValueKind::file: line += " -r -F"; break;
            case ValueKind::backend: line += " -x -a '(__ductor_ask backends)'"; break;
            case ValueKind::service: line += " -x -a '(__ductor_ask services)'"; break;
        }
    }
    return line + " -d " + fish_quoted(o.description) + "\n";
}

}  // namespace

std::string fish_script() {
    const auto commands = model();
    std::string subs, lines;
    for (const auto& c : commands) {
        if (!c.subcommands.empty())
            subs += "        case " + fish_quoted(c.key) + "\n            echo " + joined(c.subcommands) + "\n";
        for (const auto& o : c.options) lines += fish_option(c.key, o);
    }
    for (const auto& entry : command_table()) {
        if (entry.hidden || entry.words.empty()) continue;
        std::vector<std::string> parent(entry.words.begin(), entry.words.end() - 1);
        std::string summary(entry.summary.substr(0, entry.summary.find('\n')));
        lines += "complete -c ductor -n " + fish_quoted("__ductor_is " + fish_quoted(joined(parent))) + " -a " +
                 std::string(entry.words.back()) + (summary.empty() ? "" : " -d " + fish_quoted(summary)) + "\n";
    }
    auto valued = valued_options(commands);
    return "# fish completion for ductor; generated by 'ductor completion fish' "
           "from its command table.\n"
           "function __ductor_subcommands\n"
           "    switch $argv[1]\n" +
           subs +
           "    end\n"
           "end\n"
           "function __ductor_command --description 'the ductor command words "
           "typed so far, or -- after --'\n"
           "    set -l valued" +
           valued.substr(0, valued.size() - 1) +
           "\n"
           "    set -l cmd\n"
           "    set -l skip 0\n"
           "    for w in (commandline -opc)[2..-1]\n"
           "        if test $skip = 1\n"
           "            set skip 0\n"
           "        else if test \"$w\" = --\n"
           "            echo -- --\n"
           "            return\n"
           "        else if string match -q -- '-*' $w\n"
           "            if not string match -q -- '*=*' $w; and contains -- $w "
           "$valued\n"
           "                set skip 1\n"
           "            end\n"
           "        else if contains -- $w (__ductor_subcommands \"$cmd\" | "
           "string split ' ')\n"
           "            set cmd (string join ' ' $cmd $w)\n"
           "        end\n"
           "    end\n"
           "    echo -- \"$cmd\"\n"
           "end\n"
           "function __ductor_is\n"
           "    test (__ductor_command) = \"$argv[1]\"\n"
           "end\n"
           "function __ductor_ask\n"
           "    set -l ductor (commandline -opc)[1]\n"
           "    $ductor __complete $argv[1] 2>/dev/null\n"
           "end\n"
           "complete -c ductor -f\n"
           "complete -c ductor -n '__ductor_is --' -F\n" +
           lines;
}

std::string option_listing() {
    std::string text;
    for (const auto& c : model()) {
        auto name = c.key.empty() ? std::string("ductor") : "ductor " + c.key;
        for (const auto& word : option_words(c)) text += name + "\t" + word + "\n";
    }
    return text;
}

}  // namespace ductor::cli::completion
