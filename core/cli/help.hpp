#pragma once
// Option descriptions and help texts of every command (private to the CLI).

#include <ductor/cli/invocation.hpp>

#include <boost/program_options/options_description.hpp>

#include <string>

namespace ductor::cli::help {

const boost::program_options::options_description& top_options();
const boost::program_options::options_description& plugins_options();
const boost::program_options::options_description& service_options(ServiceAction action);
const boost::program_options::options_description& run_options();
const boost::program_options::options_description& stop_options();
const boost::program_options::options_description& boot_options();
const boost::program_options::options_description& doctor_options();
// The union of all of the above, to tell which options take a value.
const boost::program_options::options_description& every_option();

std::string top_text();
std::string plugins_text();
std::string service_text();
std::string service_action_text(ServiceAction action);
std::string run_text();
std::string stop_text();
std::string boot_text();
std::string doctor_text();

}  // namespace ductor::cli::help
