#include "help.hpp"

#include "command_table.hpp"

#include <boost/program_options.hpp>

#include <sstream>

namespace ductor::cli::help {
namespace {

// The commands of `group`, one per line: prefix, synopsis padded to `width`, summary.
std::string command_list(const std::vector<std::string_view>& group, const std::string& prefix, std::size_t width) {
    std::string text;
    for (const auto* entry : children(group)) {
        if (entry->synopsis.empty()) continue;
        text += prefix + std::string(entry->synopsis);
        text += std::string(width > entry->synopsis.size() ? width - entry->synopsis.size() : 1, ' ');
        for (char c : entry->summary)
            text += c == '\n' ? "\n" + std::string(prefix.size() + width, ' ') : std::string(1, c);
        text += '\n';
    }
    return text;
}

}  // namespace

std::string text(const CommandEntry& entry) {
    auto prose = entry.help();
    if (entry.read != nullptr) prose += options_text(entry.options().all);
    return prose;
}

std::string options_text(const boost::program_options::options_description& options) {
    std::ostringstream out;
    out << options;
    return out.str();
}

std::string top() {
    return "ductor - run any long-lived program as a per-user background "
           "service\n"
           "\n"
           "Usage:\n" +
           command_list({}, "  ductor [OPTIONS] ", 24) +
           "\n"
           "Examples:\n"
           "  ductor service install -- /usr/bin/python3 -m my_bot --token-file "
           "~/.bot-token\n"
           "  ductor service status\n"
           "  ductor service logs -f\n"
           "  ductor plugins\n"
           "\n"
           "Exit codes: 0 success, 1 failed, 2 usage error, 3 installed but not "
           "running (status),\n"
           "4 not installed (status), 5 no usable backend.\n"
           "\n";
}

std::string plugins() {
    return "Usage: ductor plugins [--json] [--plugin-dir DIR]...\n"
           "\n"
           "Lists every plugin file on the search path with its name, version, "
           "ABI, priority,\n"
           "whether it is usable here and why, and which backend is selected. "
           "Search order:\n"
           "--plugin-dir, $DUCTOR_PLUGIN_PATH, <exe>/../<libdir>/ductor/plugins, "
           "the system plugin folder.\n"
           "\n";
}

std::string service() {
    return "Usage: ductor service ACTION [OPTIONS]\n"
           "\n"
           "Actions:\n" +
           command_list({"service"}, "  ", 31) +
           "\n"
           "'ductor service ACTION --help' shows the options of one action.\n";
}

std::string service_install() {
    return "Usage: ductor service install [OPTIONS] -- PROGRAM [ARGS...]\n\n"
           "Installs PROGRAM as a per-user service, enables it at login and "
           "starts it. The program\n"
           "and its arguments are passed as they are (no shell); PROGRAM is "
           "looked up on PATH.\n"
           "Installing again first compares: when the definition on disk, the "
           "install record and the\n"
           "running state already match, nothing is written or restarted "
           "('Unchanged', exit 0);\n"
           "otherwise it updates the definition and restarts the service. --json "
           "prints a change\n"
           "report (changed, reasons, each file's diff, the status after); with "
           "--dry-run it says\n"
           "what would change.\n\n"
           "Examples:\n"
           "  ductor service install -- /usr/bin/node /home/me/bot/index.js\n"
           "  ductor service install --name bot2 --env TOKEN=abc --workdir ~/bot "
           "-- ./run.sh\n"
           "  ductor service install --dry-run --backend launchd -- "
           "/usr/bin/my-agent\n"
           "  ductor service install --dry-run --json --name bot -- "
           "/usr/bin/my-bot\n\n";
}

std::string service_start() {
    return "Usage: ductor service start [--name NAME] [--dry-run] [--json]\n\n"
           "Starts the installed service; one that runs already is left alone "
           "('Unchanged').\n\n";
}

std::string service_stop() {
    return "Usage: ductor service stop [--name NAME] [--dry-run] [--json]\n\n"
           "Stops the service; it stays stopped (no restart-on-failure) until "
           "'start'. One that is\n"
           "stopped already is left alone ('Unchanged').\n\n";
}

std::string service_restart() {
    return "Usage: ductor service restart [--name NAME] [--dry-run] [--json]\n\n"
           "Stops and starts the service (always a change).\n\n";
}

std::string service_status() {
    return "Usage: ductor service status [--name NAME] [--json]\n\n"
           "Prints state, PID, last exit code and backend details.\n"
           "Exit code: 0 running, 3 installed but not running, 4 not installed, "
           "1 unknown.\n\n";
}

std::string service_logs() {
    return "Usage: ductor service logs [--name NAME] [-n N] [-f]\n\n"
           "Shows what the service printed (journald on systemd, log files "
           "elsewhere).\n\n";
}

std::string service_uninstall() {
    return "Usage: ductor service uninstall [--name NAME] [--dry-run] "
           "[--json]\n\n"
           "Stops and disables the service and removes its definition. Safe to "
           "repeat.\n\n";
}

std::string service_list() {
    return "Usage: ductor service list [--json]\n\n"
           "Lists every service installed with ductor on this account (from its "
           "install records in\n"
           "<ductor home>/services): backend, state, PID, restarts, whether it "
           "should run, and a\n"
           "PROBLEM where the record and the service manager disagree. Exit code "
           "0.\n\n";
}

std::string run() {
    return "Usage: ductor run [OPTIONS] -- PROGRAM [ARGS...]\n"
           "       ductor run --definition FILE\n"
           "\n"
           "Runs PROGRAM in the foreground with DUCTOR_SUPERVISOR=1 in its "
           "environment, in a process\n"
           "group of its own, and keeps one runner per --name. Its stdout and "
           "stderr go, as whole lines,\n"
           "to <ductor home>/logs/<name>.log (--home, $DUCTOR_HOME or "
           "~/.ductor), rotated by size\n"
           "into <name>.log.1 (newest) ... <name>.log.N-1. SIGTERM, SIGINT and "
           "SIGHUP are forwarded to\n"
           "the whole group; after --grace seconds the group is killed.\n"
           "\n"
           "Exit code: the program's, or 128+N when signal N ended it; 1 when "
           "NAME is already running.\n"
           "Exit 42 asks for a restart: under a service manager "
           "(DUCTOR_SUPERVISOR=1 or systemd's\n"
           "INVOCATION_ID in the runner's environment) the runner exits 42 so "
           "that the manager restarts\n"
           "it; otherwise the runner restarts the program at once.\n"
           "\n"
           "Examples:\n"
           "  ductor run -- /usr/bin/python3 -m my_bot\n"
           "  ductor run --name bot --log-to file --log-size 50M --log-files 3 "
           "-- ./bot.sh\n"
           "  ductor run --name agent --restart on-failure --restart-delay 60 -- "
           "/opt/agent/run\n"
           "\n";
}

std::string boot() {
    return "Usage: ductor boot [--foreground] [--json]\n"
           "\n"
           "Starts every service installed with the standalone backend whose "
           "wanted state is 'enabled'\n"
           "(not stopped with 'ductor service stop') and that is not running, "
           "then exits. Safe to repeat;\n"
           "the boot hook that 'service install' sets up (a crontab @reboot line "
           "or an autostart entry)\n"
           "runs it at start-up.\n"
           "\n"
           "--foreground stays as the services' parent, for a container's "
           "ENTRYPOINT: it reaps every\n"
           "child (also as PID 1) and on SIGTERM or SIGINT stops every service, "
           "each within its runner's\n"
           "grace of 5 s, and exits 0.\n"
           "\n"
           "--json prints one JSON object instead of text: action \"boot\", "
           "backend, foreground, ok,\n"
           "and services, one object per enabled service with its name, result "
           "(\"started\", \"running\"\n"
           "when it ran already, \"failed\") and error (null unless failed).\n"
           "\n"
           "Exit code: 0 when every service runs, 1 when one could not be "
           "started, 5 when the\n"
           "standalone backend is missing.\n"
           "\n"
           "Examples:\n"
           "  ductor boot\n"
           "  ENTRYPOINT [\"ductor\", \"boot\", \"--foreground\"]\n"
           "\n";
}

std::string doctor() {
    return "Usage: ductor doctor [--json]\n"
           "\n"
           "Explains this machine: which backend ductor would use and why, every "
           "other backend's reason,\n"
           "whether services come back after logout or reboot (systemd linger, "
           "the standalone boot hook),\n"
           "whether each recorded service matches its manager, PATH problems, "
           "the ductor home, and the\n"
           "install command to run next when nothing is installed. Changes "
           "nothing.\n"
           "\n"
           "Exit code: 0 when all is well, 1 when something needs attention "
           "(each such finding is\n"
           "marked '!' and listed at the end; with --json, the findings of "
           "severity \"attention\").\n"
           "\n"
           "Examples:\n"
           "  ductor doctor\n"
           "  ductor doctor --json\n"
           "\n";
}

std::string stop() {
    return "Usage: ductor stop [--name NAME] [--json]\n"
           "\n"
           "Stops the installed service NAME through the selected backend (so "
           "that its manager does\n"
           "not start it again), then ends any runner of NAME that is still "
           "running, with its program:\n"
           "SIGTERM, a wait of the runner's grace period plus 5 s, then SIGKILL. "
           "A stale PID file (its\n"
           "runner is gone, its PID maybe reused) is removed without signalling "
           "anyone.\n"
           "\n"
           "--json prints one JSON object instead of text: name, action "
           "\"stop\", backend (null when\n"
           "none is usable), service (\"stopped\", \"not-installed\", "
           "\"no-backend\" or \"failed\"),\n"
           "runner (said: what was done, one sentence each; failed) and ok.\n"
           "\n"
           "Examples:\n"
           "  ductor stop\n"
           "  ductor stop --name bot\n"
           "  ductor stop --name bot --json\n"
           "\n";
}

std::string completion() {
    return "Usage: ductor completion bash|zsh|fish\n"
           "\n"
           "Prints the shell's completion script for ductor: its commands, their options and the values\n"
           "of options with a fixed set (--restart, --log-to); backend names (--backend) and service\n"
           "names (--name) are asked from ductor when TAB is pressed. Packages install the scripts where\n"
           "each shell looks; to try one in the running shell:\n"
           "\n"
           "Examples:\n"
           "  source <(ductor completion bash)\n"
           "  source <(ductor completion zsh)\n"
           "  ductor completion fish | source\n"
           "\n";
}

std::string complete() {
    return "Usage: ductor __complete backends|services|options\n"
           "\n"
           "For the completion scripts and the manual's tests; prints one item per line and nothing else:\n"
           "  backends  the backend names on the plugin search path (no plugin is loaded)\n"
           "  services  the services installed with ductor (their install records)\n"
           "  options   every command and each option it accepts: 'ductor service logs<TAB>--lines'\n"
           "\n";
}

}  // namespace ductor::cli::help
