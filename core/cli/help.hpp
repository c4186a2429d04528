#pragma once
// The help texts of the command table (private to the CLI): each command's prose; the option lists are added from the
// table.

#include <boost/program_options/options_description.hpp>

#include <string>

namespace ductor::cli {
struct CommandEntry;
}

namespace ductor::cli::help {

// The whole --help of a command: its prose, then its options (a group such as `service` has none).
std::string text(const CommandEntry& entry);

// The options as --help shows them, under their group headings.
std::string options_text(const boost::program_options::options_description& options);

std::string top();
std::string plugins();
std::string service();
std::string service_install();
std::string service_start();
std::string service_stop();
std::string service_restart();
std::string service_status();
std::string service_logs();
std::string service_uninstall();
std::string service_list();
std::string run();
std::string stop();
std::string boot();
std::string doctor();
std::string completion();
std::string complete();

}  // namespace ductor::cli::help
