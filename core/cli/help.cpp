#include "help.hpp"

#include <boost/program_options.hpp>

#include <sstream>

namespace po = boost::program_options;

namespace ductor::cli::help {
namespace {

constexpr unsigned k_width = 100;

// clang-format off: one option per line reads better than what the formatter makes of these chains
po::options_description global_group() {
    po::options_description g("Global options", k_width);
    g.add_options()("help,h", po::bool_switch(), "show help for this command and exit")(
        "plugin-dir", po::value<std::vector<std::string>>()->value_name("DIR")->composing(),
        "also look for backend plugins in DIR, before every other folder (repeatable)")(
        "backend", po::value<std::string>()->value_name("NAME"),
        "use this backend instead of the automatic choice (default: $DUCTOR_BACKEND)")(
        "verbose,v", po::bool_switch(), "say what is being done, including every command run")(
        "quiet,q", po::bool_switch(), "print only errors");
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
    g.add_options()("description", po::value<std::string>()->value_name("TEXT"),
                    "one-line description shown by the service manager")(
        "workdir", po::value<std::string>()->value_name("DIR"), "working directory of the program (must exist)")(
        "env", po::value<std::vector<std::string>>()->value_name("KEY=VALUE")->composing(),
        "extra environment variable for the program (repeatable)")(
        "restart", po::value<std::string>()->value_name("POLICY"), "never, on-failure (default) or always")(
        "restart-delay", po::value<long long>()->value_name("SECONDS"),
        "seconds to wait before a restart (default: the backend's; systemd 5)")(
        "log-dir", po::value<std::string>()->value_name("DIR"), "folder for file logs (default ~/.ductor/logs)")(
        "enable-linger", po::bool_switch(), "systemd: keep the service running after logout (loginctl enable-linger)")(
        "force", po::bool_switch(),
        "replace a definition of that name that ductor did not write (or the system's own unit of that name)")(
        "dry-run", po::bool_switch(), "print the files and commands an install would write and run; change nothing");
    return g;
}

// start, stop, restart, uninstall: what they would change (install has its own --dry-run).
po::options_description change_group() {
    po::options_description g("Change options", k_width);
    g.add_options()("dry-run", po::bool_switch(), "say whether the action would change anything; change nothing")(
        "json", po::bool_switch(), "print the change report as JSON (see 'ductor service install --help')");
    return g;
}

po::options_description json_group() {
    po::options_description g("Output options", k_width);
    g.add_options()("json", po::bool_switch(), "print JSON instead of text");
    return g;
}

po::options_description logs_group() {
    po::options_description g("Log options", k_width);
    g.add_options()("lines,n", po::value<std::string>()->value_name("N"), "show the last N lines (default 50)")(
        "follow,f", po::bool_switch(), "keep printing new lines until interrupted");
    return g;
}

// The options only `run` has (the others it shares are added in run_options()).
po::options_description run_only_group() {
    po::options_description g("Runner options", k_width);
    g.add_options()("log-to", po::value<std::string>()->default_value("both")->value_name("WHERE"),
                    "file: only the log file; stdout: only the runner's own stdout/stderr (no file); both")(
        "log-size", po::value<std::string>()->default_value("10M")->value_name("SIZE"),
        "rotate the log before it passes SIZE bytes (K, M, G suffixes; at least 1K)")(
        "log-files", po::value<unsigned>()->default_value(5)->value_name("N"),
        "keep N files: <name>.log and <name>.log.1 ... .(N-1), .1 the newest")(
        "grace", po::value<long long>()->default_value(10)->value_name("SECONDS"),
        "after forwarding a stop signal, wait this long before killing the process group")(
        "crash-loop-limit", po::value<unsigned>()->default_value(5)->value_name("N"),
        "give up after N restarts in a row of runs shorter than 10 s (0: never give up)")(
        "backoff-max", po::value<long long>()->default_value(0)->value_name("SECONDS"),
        "double the restart delay after each run shorter than 10 s, up to SECONDS, and never give up "
        "(0: a fixed delay)")(
        "detach", po::bool_switch(),
        "run in the background, detached from the terminal; return once the runner holds its name")(
        "definition", po::value<std::string>()->value_name("FILE"),
        "read every other option and the program from FILE, a run definition a backend wrote (one argument "
        "per line, UTF-8); takes no other option and no program");
    return g;
}

// Only in `run`'s own options: every_option() knows --env and --workdir from install already.
po::options_description run_env_group() {
    po::options_description g("Environment", k_width);
    g.add_options()("env", po::value<std::vector<std::string>>()->value_name("KEY=VALUE")->composing(),
                    "extra environment variable for the program (repeatable)")(
        "workdir", po::value<std::string>()->value_name("DIR"), "the program's working folder (must exist)");
    return g;
}

po::options_description run_shared_group() {
    po::options_description g("Restart and log options", k_width);
    g.add_options()("log-dir", po::value<std::string>()->value_name("DIR"),
                    "folder of the log files (default <ductor home>/logs)")(
        "restart", po::value<std::string>()->default_value("never")->value_name("POLICY"),
        "restart the program itself: never, on-failure or always (exit 42 always restarts)")(
        "restart-delay", po::value<long long>()->default_value(1)->value_name("SECONDS"),
        "seconds to wait before a restart by --restart");
    return g;
}

// For actions that read file logs after an install with --log-dir.
po::options_description log_dir_group() {
    po::options_description g("Log folder", k_width);
    g.add_options()("log-dir", po::value<std::string>()->value_name("DIR"),
                    "the --log-dir the service was installed with (file-log backends; default ~/.ductor/logs)");
    return g;
}

po::options_description boot_group() {
    po::options_description g("Boot options", k_width);
    g.add_options()("foreground", po::bool_switch(),
                    "stay in the foreground as the services' parent (a container's PID 1): reap every child, "
                    "stop every service on SIGTERM or SIGINT");
    return g;
}

// clang-format on

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
    static const po::options_description install = build({name_group(), install_group(), json_group(), global_group()});
    static const po::options_description status = build({name_group(), json_group(), log_dir_group(), global_group()});
    static const po::options_description logs = build({name_group(), logs_group(), log_dir_group(), global_group()});
    static const po::options_description plain = build({name_group(), change_group(), global_group()});
    static const po::options_description list = build({json_group(), global_group()});
    switch (action) {
        case ServiceAction::list: return list;
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
        return build({top, global_group(), name_group(), install_group(), json_group(), logs_group(), run_only_group(),
                      boot_group()});
    }();
    return options;
}

const po::options_description& run_options() {
    static const po::options_description options =
        build({name_group(), run_shared_group(), run_only_group(), run_env_group(), global_group()});
    return options;
}

const po::options_description& stop_options() {
    static const po::options_description options = build({name_group(), global_group()});
    return options;
}

const po::options_description& boot_options() {
    static const po::options_description options = build({boot_group(), global_group()});
    return options;
}

const po::options_description& doctor_options() {
    static const po::options_description options = build({json_group(), global_group()});
    return options;
}

std::string top_text() {
    return "ductor - run any long-lived program as a per-user background service\n"
           "\n"
           "Usage:\n"
           "  ductor [OPTIONS] service ACTION [ARGS]   manage a service (see 'ductor service --help')\n"
           "  ductor [OPTIONS] plugins [--json]        list the backend plugins and which one is used\n"
           "  ductor [OPTIONS] run -- PROGRAM [ARGS]   run PROGRAM under the runner (see 'ductor run --help')\n"
           "  ductor [OPTIONS] stop [--name NAME]      stop the service and the runner of NAME\n"
           "  ductor [OPTIONS] boot [--foreground]     start every enabled standalone service\n"
           "  ductor [OPTIONS] doctor [--json]         explain this machine and what needs attention\n"
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
           "--plugin-dir, $DUCTOR_PLUGIN_PATH, <exe>/../<libdir>/ductor/plugins, the system plugin folder.\n"
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
           "  list [--json]                  every service installed with ductor, its backend and state\n"
           "\n"
           "'ductor service ACTION --help' shows the options of one action.\n";
}

std::string service_action_text(ServiceAction action) {
    std::string usage;
    switch (action) {
        case ServiceAction::install:
            usage =
                "Usage: ductor service install [OPTIONS] -- PROGRAM [ARGS...]\n\n"
                "Installs PROGRAM as a per-user service, enables it at login and starts it. The program\n"
                "and its arguments are passed as they are (no shell); PROGRAM is looked up on PATH.\n"
                "Installing again first compares: when the definition on disk, the install record and the\n"
                "running state already match, nothing is written or restarted ('Unchanged', exit 0);\n"
                "otherwise it updates the definition and restarts the service. --json prints a change\n"
                "report (changed, reasons, each file's diff, the status after); with --dry-run it says\n"
                "what would change.\n\n"
                "Examples:\n"
                "  ductor service install -- /usr/bin/node /home/me/bot/index.js\n"
                "  ductor service install --name bot2 --env TOKEN=abc --workdir ~/bot -- ./run.sh\n"
                "  ductor service install --dry-run --backend launchd -- /usr/bin/my-agent\n"
                "  ductor service install --dry-run --json --name bot -- /usr/bin/my-bot\n\n";
            break;
        case ServiceAction::start:
            usage =
                "Usage: ductor service start [--name NAME] [--dry-run] [--json]\n\n"
                "Starts the installed service; one that runs already is left alone ('Unchanged').\n\n";
            break;
        case ServiceAction::stop:
            usage =
                "Usage: ductor service stop [--name NAME] [--dry-run] [--json]\n\n"
                "Stops the service; it stays stopped (no restart-on-failure) until 'start'. One that is\n"
                "stopped already is left alone ('Unchanged').\n\n";
            break;
        case ServiceAction::restart:
            usage =
                "Usage: ductor service restart [--name NAME] [--dry-run] [--json]\n\n"
                "Stops and starts the service (always a change).\n\n";
            break;
        case ServiceAction::status:
            usage =
                "Usage: ductor service status [--name NAME] [--json]\n\n"
                "Prints state, PID, last exit code and backend details.\n"
                "Exit code: 0 running, 3 installed but not running, 4 not installed, 1 unknown.\n\n";
            break;
        case ServiceAction::logs:
            usage =
                "Usage: ductor service logs [--name NAME] [-n N] [-f]\n\n"
                "Shows what the service printed (journald on systemd, log files elsewhere).\n\n";
            break;
        case ServiceAction::uninstall:
            usage =
                "Usage: ductor service uninstall [--name NAME] [--dry-run] [--json]\n\n"
                "Stops and disables the service and removes its definition. Safe to repeat.\n\n";
            break;
        case ServiceAction::list:
            usage =
                "Usage: ductor service list [--json]\n\n"
                "Lists every service installed with ductor on this account (from its install records in\n"
                "<ductor home>/services): backend, state, PID, restarts, whether it should run, and a\n"
                "PROBLEM where the record and the service manager disagree. Exit code 0.\n\n";
            break;
    }
    return usage + options_text(service_options(action));
}

}  // namespace ductor::cli::help

namespace ductor::cli::help {

std::string run_text() {
    return "Usage: ductor run [OPTIONS] -- PROGRAM [ARGS...]\n"
           "       ductor run --definition FILE\n"
           "\n"
           "Runs PROGRAM in the foreground with DUCTOR_SUPERVISOR=1 in its environment, in a process\n"
           "group of its own, and keeps one runner per --name. Its stdout and stderr go, as whole lines,\n"
           "to <ductor home>/logs/<name>.log ($DUCTOR_HOME or ~/.ductor), rotated by size into\n"
           "<name>.log.1 (newest) ... <name>.log.N-1. SIGTERM, SIGINT and SIGHUP are forwarded to the\n"
           "whole group; after --grace seconds the group is killed.\n"
           "\n"
           "Exit code: the program's, or 128+N when signal N ended it; 1 when NAME is already running.\n"
           "Exit 42 asks for a restart: under a service manager (DUCTOR_SUPERVISOR=1 or systemd's\n"
           "INVOCATION_ID in the runner's environment) the runner exits 42 so that the manager restarts\n"
           "it; otherwise the runner restarts the program at once.\n"
           "\n"
           "Examples:\n"
           "  ductor run -- /usr/bin/python3 -m my_bot\n"
           "  ductor run --name bot --log-to file --log-size 50M --log-files 3 -- ./bot.sh\n"
           "  ductor run --name agent --restart on-failure --restart-delay 60 -- /opt/agent/run\n"
           "\n" +
           options_text(run_options());
}

std::string boot_text() {
    return "Usage: ductor boot [--foreground]\n"
           "\n"
           "Starts every service installed with the standalone backend whose wanted state is 'enabled'\n"
           "(not stopped with 'ductor service stop') and that is not running, then exits. Safe to repeat;\n"
           "the boot hook that 'service install' sets up (a crontab @reboot line or an autostart entry)\n"
           "runs it at start-up.\n"
           "\n"
           "--foreground stays as the services' parent, for a container's ENTRYPOINT: it reaps every\n"
           "child (also as PID 1) and on SIGTERM or SIGINT stops every service, each within its runner's\n"
           "grace of 5 s, and exits 0.\n"
           "\n"
           "Exit code: 0 when every service runs, 1 when one could not be started, 5 when the\n"
           "standalone backend is missing.\n"
           "\n"
           "Examples:\n"
           "  ductor boot\n"
           "  ENTRYPOINT [\"ductor\", \"boot\", \"--foreground\"]\n"
           "\n" +
           options_text(boot_options());
}

std::string doctor_text() {
    return "Usage: ductor doctor [--json]\n"
           "\n"
           "Explains this machine: which backend ductor would use and why, every other backend's reason,\n"
           "whether services come back after logout or reboot (systemd linger, the standalone boot hook),\n"
           "whether each recorded service matches its manager, PATH problems, the ductor home, and the\n"
           "install command to run next when nothing is installed. Changes nothing.\n"
           "\n"
           "Exit code: 0 when all is well, 1 when something needs attention (each such finding is\n"
           "marked '!' and listed at the end; with --json, the findings of severity \"attention\").\n"
           "\n"
           "Examples:\n"
           "  ductor doctor\n"
           "  ductor doctor --json\n"
           "\n" +
           options_text(doctor_options());
}

std::string stop_text() {
    return "Usage: ductor stop [--name NAME]\n"
           "\n"
           "Stops the installed service NAME through the selected backend (so that its manager does\n"
           "not start it again), then ends any runner of NAME that is still running, with its program:\n"
           "SIGTERM, a wait of the runner's grace period plus 5 s, then SIGKILL. A stale PID file (its\n"
           "runner is gone, its PID maybe reused) is removed without signalling anyone.\n"
           "\n"
           "Examples:\n"
           "  ductor stop\n"
           "  ductor stop --name bot\n"
           "\n" +
           options_text(stop_options());
}

}  // namespace ductor::cli::help
