#pragma once
// Shared helpers of the real-manager test driver: running commands, checks
// that count failures, waiting with a deadline, reading the probe's files.

#include "mini_json.hpp"

#include <ductor/sdk/host.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ductor::itest {

using Argv = std::vector<std::string>;

struct Setup {
    std::string ductor;               // the built ductor executable
    std::string plugin_dir;           // where the built systemd plugin is
    std::string probe;                // the probe program
    std::filesystem::path probe_dir;  // where the probe writes what it got
};

// Counts checks; every failure is printed with its detail.
class Checks {
public:
    // Records one check; returns `ok` so callers can stop early.
    bool check(bool ok, const std::string& what, const std::string& detail = {});
    int failures() const { return m_failures; }
    int passed() const { return m_passed; }

private:
    int m_failures = 0;
    int m_passed = 0;
};

// Runs a command to completion (30 s timeout).
sdk::ProcessResult run(const Argv& argv);
// Runs `ductor --plugin-dir P --backend systemd ARGS...`.
sdk::ProcessResult run_ductor(const Setup& setup, const Argv& args);
// Polls `done` every 50 ms until it holds or `limit` passes.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit);

// The parsed `ductor service status --json --name NAME` and its exit code.
struct Status {
    int exit_code = -1;
    Json json;
    std::string state() const { return json["state"].text; }
    std::optional<long long> pid() const;
};
Status status(const Setup& setup, const std::string& name);

// The pid the probe last wrote to PROBE_DIR/current.
std::optional<long long> probe_pid(const Setup& setup);
// What the probe with `pid` received: argv or environment, split at NUL.
std::vector<std::string> probe_record(const Setup& setup, const std::string& kind, long long pid);
// Asks the probe with `pid` to exit with `code`.
void probe_exit(const Setup& setup, long long pid, int code);

// systemd's D-Bus object path label for a unit name (bus_label_escape).
std::string bus_label(const std::string& unit);
// The argv systemd parsed from the unit's ExecStart, read over D-Bus.
std::optional<std::vector<std::string>> exec_start_argv(const std::string& unit);

// Shell-like rendering of an argv for messages.
std::string show(const std::vector<std::string>& argv);

}  // namespace ductor::itest
