#pragma once
// The option groups of the command table (private to the CLI): each option once, with what a shell may complete as its
// value.

#include <boost/program_options/options_description.hpp>

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

namespace ductor::cli {

// What an option's value is, for the completions.
enum class ValueKind {
    text,       // free text: nothing to offer
    choice,     // one of `choices`
    directory,  // a folder
    file,       // a file
    backend,    // a backend name, from the plugins found (`ductor __complete backends`)
    service,    // a service name, from the install records (`ductor __complete services`)
};

struct OptionValue {
    ValueKind kind = ValueKind::text;
    std::vector<std::string> choices;  // ValueKind::choice
};

// Options of one kind, as --help shows them under one heading.
struct OptionGroup {
    boost::program_options::options_description options;
    std::map<std::string, OptionValue> values;  // by long name; an option taking a value not here is text
};

// Every option one command accepts.
struct CommandOptions {
    boost::program_options::options_description all;
    std::map<std::string, OptionValue> values;

    // What the option `long_name` takes; text when it takes a value of no known kind.
    OptionValue value_of(const std::string& long_name) const;
};

namespace options {

OptionGroup top();  // --version
OptionGroup global();
OptionGroup name();
OptionGroup install();
OptionGroup change();
OptionGroup json();
OptionGroup logs();
OptionGroup log_dir();
OptionGroup run_shared();
OptionGroup run_only();
OptionGroup run_environment();
OptionGroup boot();

// The groups one command takes, in the order --help lists them.
CommandOptions combine(std::initializer_list<OptionGroup> groups);

}  // namespace options
}  // namespace ductor::cli
