#include "help.hpp"

#include <boost/program_options.hpp>

#include <sstream>

namespace po = boost::program_options;

namespace ductor::cli::help {
namespace {

constexpr unsigned k_width = 100;

po::options_description global_group() {
    po::options_description g("Global options", k_width);
    g.add_options()
        ("help,h", po::bool_switch(), "show help for this command and exit")
        ("plugin-dir", po::value<std::vector<std::string>>()->value_name("DIR")->composing(),
         "also look for backend plugins in DIR, before every other folder (repeatable)")
        ("backend", po::value<std::string>()->value_name("NAME"),
         "use this backend instead of the automatic choice (default: $DUCTOR_BACKEND)")
        ("verbose,v", po::bool_switch(), "say what is being done, including every command run")
        ("quiet,q", po::bool_switch(), "print only errors");
    return g;
}

po::options_description name_group() {
    po::options_description g("Service options", k_width);
    g.add_options()("name", po::value<std::string>()->default_value("ductor")->value_name("NAME"),
                    "the service's name: letters, digits, '.', '_', '-'; at most 64 characters");
    return g;
}

po::options_description install_group() {
    po::options_description g("Install options", k_width);
    g.add_options()
        ("description", po::value<std::string>()->value_name("TEXT"), "one-line description shown by the service manager")
        ("workdir", po::value<std::string>()->value_name("DIR"), "working directory of the program (must exist)")
        ("env", po::value<std::vector<std::string>>()->value_name("KEY=VALUE")->composing(),
         "extra environment variable for the program (repeatable)")
        ("restart", po::value<std::string>()->value_name("POLICY"),
         "never, on-failure (default) or always")
        ("restart-delay", po::value<long long>()->value_name("SECONDS"),
         "seconds to wait before a restart (default: the backend's; systemd 5)")
        ("log-dir", po::value<std::string>()->value_name("DIR"), "folder for file logs (default ~/.ductor/logs)")
        ("enable-linger", po::bool_switch(), "systemd: keep the service running after logout (loginctl enable-linger)")
        ("dry-run", po::bool_switch(), "print the files and commands an install would write and run; change nothing");
    return g;
}

po::options_description json_group() {
    po::options_description g("Output options", k_width);
    g.add_options()("json", po::bool_switch(), "print JSON instead of text");
    return g;
}

po::options_description logs_group() {
    po::options_description g("Log options", k_width);
    g.add_options()
        ("lines,n", po::value<std::string>()->value_name("N"), "show the last N lines (default 50)")
        ("follow,f", po::bool_switch(), "keep printing new lines until interrupted");
    return g;
}

po::options_description build(std::initializer_list<po::options_description> groups) {
    po::options_description all(k_width);
    for (const auto& g : groups) all.add(g);
    return all;
}

std::string options_text(const po::options_description& options) {
    std::ostringstream out;
    out << options;
    return out.str();
}

}  // namespace

const po::options_description& top_options() {
    static const po::options_description options = [] {
        po::options_description top("Options", k_width);
        top.add_options()("version", po::bool_switch(), "print the version and exit");
        return build({top, global_group()});
    }();
    return options;
}

const po::options_description& plugins_options() {
    static const po::options_description options = build({json_group(), global_group()});
    return options;
}

const po::options_description& service_options(ServiceAction action) {
    static const po::options_description install = build({name_group(), install_group(), global_group()});
    static const po::options_description status = build({name_group(), json_group(), global_group()});
    static const po::options_description logs = build({name_group(), logs_group(), global_group()});
    static const po::options_description plain = build({name_group(), global_group()});
    switch (action) {
    case ServiceAction::install: return install;
    case ServiceAction::status: return status;
    case ServiceAction::logs: return logs;
    default: return plain;
    }
}

const po::options_description& every_option() {
    static const po::options_description options = [] {
        po::options_description top("", k_width);
        top.add_options()("version", po::bool_switch(), "");
        return build({top, global_group(), name_group(), install_group(), json_group(), logs_group()});
    }();
    return options;
}

std::string top_text() {
    return "ductor - run any long-lived program as a per-user background service\n"
           "\n"
           "Usage:\n"
           "  ductor [OPTIONS] service ACTION [ARGS]   manage a service (see 'ductor service --help')\n"
           "  ductor [OPTIONS] plugins [--json]        list the backend plugins and which one is used\n"
           "\n"
           "Examples:\n"
           "  ductor service install -- /usr/bin/python3 -m my_bot --token-file ~/.bot-token\n"
           "  ductor service status\n"
           "  ductor service logs -f\n"
           "  ductor plugins\n"
           "\n"
           "Exit codes: 0 success, 1 failed, 2 usage error, 3 installed but not running (status),\n"
           "4 not installed (status), 5 no usable backend.\n"
           "\n" +
           options_text(top_options());
}

std::string plugins_text() {
    return "Usage: ductor plugins [--json] [--plugin-dir DIR]...\n"
           "\n"
           "Lists every plugin file on the search path with its name, version, ABI, priority,\n"
           "whether it is usable here and why, and which backend is selected. Search order:\n"
           "--plugin-dir, $DUCTOR_PLUGIN_PATH, <exe>/../lib/ductor/plugins, the system plugin folder.\n"
           "\n" +
           options_text(plugins_options());
}

std::string service_text() {
    return "Usage: ductor service ACTION [OPTIONS]\n"
           "\n"
           "Actions:\n"
           "  install -- PROGRAM [ARGS...]  write the service definition, enable and start it\n"
           "  start | stop | restart         control the installed service\n"
           "  status [--json]                state, PID and last exit code (exit 0 running,\n"
           "                                 3 installed but not running, 4 not installed)\n"
           "  logs [-n N] [-f]               show the service's output\n"
           "  uninstall                      stop it and remove everything install wrote\n"
           "\n"
           "'ductor service ACTION --help' shows the options of one action.\n";
}

std::string service_action_text(ServiceAction action) {
    std::string usage;
    switch (action) {
    case ServiceAction::install:
        usage = "Usage: ductor service install [OPTIONS] -- PROGRAM [ARGS...]\n\n"
                "Installs PROGRAM as a per-user service, enables it at login and starts it. The program\n"
                "and its arguments are passed as they are (no shell); PROGRAM is looked up on PATH.\n"
                "Installing again updates the definition and restarts the service.\n\n"
                "Examples:\n"
                "  ductor service install -- /usr/bin/node /home/me/bot/index.js\n"
                "  ductor service install --name bot2 --env TOKEN=abc --workdir ~/bot -- ./run.sh\n"
                "  ductor service install --dry-run --backend launchd -- /usr/bin/my-agent\n\n";
        break;
    case ServiceAction::start: usage = "Usage: ductor service start [--name NAME]\n\nStarts the installed service.\n\n"; break;
    case ServiceAction::stop:
        usage = "Usage: ductor service stop [--name NAME]\n\n"
                "Stops the service; it stays stopped (no restart-on-failure) until 'start'.\n\n";
        break;
    case ServiceAction::restart: usage = "Usage: ductor service restart [--name NAME]\n\nStops and starts the service.\n\n"; break;
    case ServiceAction::status:
        usage = "Usage: ductor service status [--name NAME] [--json]\n\n"
                "Prints state, PID, last exit code and backend details.\n"
                "Exit code: 0 running, 3 installed but not running, 4 not installed, 1 unknown.\n\n";
        break;
    case ServiceAction::logs:
        usage = "Usage: ductor service logs [--name NAME] [-n N] [-f]\n\n"
                "Shows what the service printed (journald on systemd, log files elsewhere).\n\n";
        break;
    case ServiceAction::uninstall:
        usage = "Usage: ductor service uninstall [--name NAME]\n\n"
                "Stops and disables the service and removes its definition. Safe to repeat.\n\n";
        break;
    }
    return usage + options_text(service_options(action));
}

}  // namespace ductor::cli::help
