#include "options.hpp"

#include <boost/program_options.hpp>

namespace po = boost::program_options;

namespace ductor::cli {
namespace {

constexpr unsigned k_width = 100;

OptionValue directory() { return {ValueKind::directory, {}}; }

OptionValue restart_policies() { return {ValueKind::choice, {"never", "on-failure", "always"}}; }

}  // namespace

OptionValue CommandOptions::value_of(const std::string& long_name) const {
    auto found = values.find(long_name);
    return found == values.end() ? OptionValue{} : found->second;
}

namespace options {

OptionGroup top() {
    po::options_description g("Options", k_width);
    g.add_options()("version", po::bool_switch(), "print the version and exit");
    return {g, {}};
}

// clang-format off: one option per line reads better than what the formatter makes of these chains
OptionGroup global() {
    po::options_description g("Global options", k_width);
    g.add_options()("help,h", po::bool_switch(), "show help for this command and exit")(
        "plugin-dir", po::value<std::vector<std::string>>()->value_name("DIR")->composing(),
        "also look for backend plugins in DIR, before every other folder "
        "(repeatable)")("backend", po::value<std::string>()->value_name("NAME"),
                        "use this backend instead of the automatic choice "
                        "(default: $DUCTOR_BACKEND)")("verbose,v", po::bool_switch(),
                                                      "say what is being done, including every command run")(
        "quiet,q", po::bool_switch(), "print only errors");
    return {g, {{"plugin-dir", directory()}, {"backend", {ValueKind::backend, {}}}}};
}

OptionGroup name() {
    po::options_description g("Service options", k_width);
    g.add_options()("name", po::value<std::string>()->default_value("ductor")->value_name("NAME"),
                    "the service's name: letters, digits, '.', '_', '-'; at most 64 "
                    "characters");
    return {g, {{"name", {ValueKind::service, {}}}}};
}

OptionGroup install() {
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
        "enable-linger", po::bool_switch(),
        "systemd: keep the service running after logout (loginctl "
        "enable-linger)")("force", po::bool_switch(),
                          "replace a definition of that name that ductor did not "
                          "write (or the system's own unit of that name)")(
        "dry-run", po::bool_switch(),
        "print the files and commands an install would write and run; change "
        "nothing");
    return {g, {{"workdir", directory()}, {"restart", restart_policies()}, {"log-dir", directory()}}};
}

// start, stop, restart, uninstall: what they would change (install has its own --dry-run).
OptionGroup change() {
    po::options_description g("Change options", k_width);
    g.add_options()("dry-run", po::bool_switch(), "say whether the action would change anything; change nothing")(
        "json", po::bool_switch(), "print the change report as JSON (see 'ductor service install --help')");
    return {g, {}};
}

OptionGroup json() {
    po::options_description g("Output options", k_width);
    g.add_options()("json", po::bool_switch(), "print JSON instead of text");
    return {g, {}};
}

OptionGroup logs() {
    po::options_description g("Log options", k_width);
    g.add_options()("lines,n", po::value<std::string>()->value_name("N"), "show the last N lines (default 50)")(
        "follow,f", po::bool_switch(), "keep printing new lines until interrupted");
    return {g, {}};
}

// The options only `run` has (it shares the others with install).
OptionGroup run_only() {
    po::options_description g("Runner options", k_width);
    g.add_options()("log-to", po::value<std::string>()->default_value("both")->value_name("WHERE"),
                    "file: only the log file; stdout: only the runner's own stdout/stderr "
                    "(no file); both")("log-size", po::value<std::string>()->default_value("10M")->value_name("SIZE"),
                                       "rotate the log before it passes SIZE bytes (K, M, G suffixes; at least "
                                       "1K)")("log-files", po::value<unsigned>()->default_value(5)->value_name("N"),
                                              "keep N files: <name>.log and <name>.log.1 ... .(N-1), .1 the newest")(
        "grace", po::value<long long>()->default_value(10)->value_name("SECONDS"),
        "after forwarding a stop signal, wait this long before killing the "
        "process group")("crash-loop-limit", po::value<unsigned>()->default_value(5)->value_name("N"),
                         "give up after N restarts in a row of runs shorter than "
                         "10 s (0: never give up)")(
        "backoff-max", po::value<long long>()->default_value(0)->value_name("SECONDS"),
        "double the restart delay after each run shorter than 10 s, up to "
        "SECONDS, and never give up "
        "(0: a fixed delay)")("detach", po::bool_switch(),
                              "run in the background, detached from the "
                              "terminal; return once the runner holds its name")(
        "home", po::value<std::string>()->value_name("DIR"),
        "use DIR as the ductor home (PID file, default log folder), as if DUCTOR_HOME=DIR were set, also for "
        "the program; an absolute path")("definition", po::value<std::string>()->value_name("FILE"),
                                         "read every other option and the program from FILE, a run definition a "
                                         "backend wrote (one argument "
                                         "per line, UTF-8); takes no other option and no program");
    return {g,
            {{"log-to", {ValueKind::choice, {"file", "stdout", "both"}}},
             {"home", directory()},
             {"definition", {ValueKind::file, {}}}}};
}

// `run`'s --env and --workdir, said the runner's way.
OptionGroup run_environment() {
    po::options_description g("Environment", k_width);
    g.add_options()("env", po::value<std::vector<std::string>>()->value_name("KEY=VALUE")->composing(),
                    "extra environment variable for the program (repeatable)")(
        "workdir", po::value<std::string>()->value_name("DIR"), "the program's working folder (must exist)");
    return {g, {{"workdir", directory()}}};
}

OptionGroup run_shared() {
    po::options_description g("Restart and log options", k_width);
    g.add_options()("log-dir", po::value<std::string>()->value_name("DIR"),
                    "folder of the log files (default <ductor home>/logs)")(
        "restart", po::value<std::string>()->default_value("never")->value_name("POLICY"),
        "restart the program itself: never, on-failure or always (exit 42 always "
        "restarts)")("restart-delay", po::value<long long>()->default_value(1)->value_name("SECONDS"),
                     "seconds to wait before a restart by --restart");
    return {g, {{"log-dir", directory()}, {"restart", restart_policies()}}};
}

// For actions that read file logs after an install with --log-dir.
OptionGroup log_dir() {
    po::options_description g("Log folder", k_width);
    g.add_options()("log-dir", po::value<std::string>()->value_name("DIR"),
                    "the --log-dir the service was installed with (file-log "
                    "backends; default ~/.ductor/logs)");
    return {g, {{"log-dir", directory()}}};
}

OptionGroup boot() {
    po::options_description g("Boot options", k_width);
    g.add_options()("foreground", po::bool_switch(),
                    "stay in the foreground as the services' parent (a "
                    "container's PID 1): reap every child, "
                    "stop every service on SIGTERM or SIGINT");
    return {g, {}};
}

// clang-format on

CommandOptions combine(std::initializer_list<OptionGroup> groups) {
    CommandOptions all{po::options_description(k_width), {}};
    for (const auto& g : groups) {
        all.all.add(g.options);
        all.values.insert(g.values.begin(), g.values.end());
    }
    return all;
}

}  // namespace options
}  // namespace ductor::cli
