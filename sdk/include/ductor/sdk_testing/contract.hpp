#pragma once
// The backend contract as checks a plugin author runs against their own
// backend (the testing library `ductor::sdk_testing`, SDK 2.1). Independent
// of any test framework: the checks return a report, and a test asserts on
// it (Catch2: `REQUIRE(report.ok())` with `INFO(report.summary())`; GoogleTest:
// `EXPECT_TRUE(report.ok()) << report.summary()`; a plain ctest executable:
// print the summary, return non-zero). C++17.
//
// Each check creates the backend afresh on a fresh FakeHost (so the checks do
// not depend on each other), lets `arrange` script that host, and checks one
// promise of <ductor/sdk/backend.hpp>:
//   - availability runs no process: is_service_available() starts no child,
//     changes no file and gives a reason;
//   - render writes nothing: render() changes no file and has no error;
//   - install runs what render listed: install_service() succeeds, writes
//     every rendered file with its exact content and mode (a file the
//     manager takes over, such as a task's XML, may be removed again), and
//     runs every rendered command, in that order (other commands may come
//     between them);
//   - uninstall is repeatable and leaves nothing: after install and
//     uninstall_service() no file or link is left that was not there
//     before, is_service_installed() says false, and a second uninstall
//     succeeds;
//   - stop stays stopped: after install and stop_service(), service_status()
//     says neither running nor starting, and a second stop succeeds.
// With a fake host the manager is what `arrange` makes of it: give the host a
// responder (FakeHost::set_responder) that models the manager's state, so
// that what stop did is what status reads.

#include <ductor/sdk/backend.hpp>
#include <ductor/sdk/host.hpp>
#include <ductor/sdk/spec.hpp>
#include <ductor/sdk_testing/fake_host.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ductor::sdk_testing {

// Creates the backend under test on the host given (a plugin's factory, or
// `[](sdk::Host& h) { return std::make_unique<MyBackend>(h); }`).
using BackendMaker = std::function<std::unique_ptr<sdk::Backend>(sdk::Host&)>;

// The names of the checks above, in the order they run.
std::vector<std::string> contract_check_names();

struct ContractOptions {
    // The spec every check uses. Default: contract_spec().
    std::optional<sdk::ServiceSpec> spec;
    // Scripts each fresh host before the backend is created (environment,
    // OS, answers of the manager's tools, a responder modelling the manager).
    std::function<void(FakeHost&)> arrange;
    // Checks to leave out, by name (e.g. "stop stays stopped"), each with the
    // reason; the report lists them as not run. Only for a check that truly
    // cannot run against this backend on a fake host; a name that is not one
    // of contract_check_names(), or a skip without a reason, is a failure.
    std::vector<std::pair<std::string, std::string>> skip;
};

struct ContractReport {
    std::vector<std::string> passed;    // names of the checks that held
    std::vector<std::string> failures;  // "check name: what went wrong", one per problem
    std::vector<std::string> not_run;   // "check name: why", from ContractOptions::skip
    // No check failed (checks not run are not failures: say so, see not_run).
    bool ok() const { return failures.empty(); }
    // Every check ran and held.
    bool complete() const { return ok() && not_run.empty() && passed.size() == contract_check_names().size(); }
    // Every check with its outcome, one a line.
    std::string summary() const;
};

// A spec with a hostile argv: blanks, both quotes, $, `, \, %, *, a leading
// dash, an empty argument and non-ASCII text; an environment variable; the
// program /bin/sh (absolute, present on POSIX systems).
sdk::ServiceSpec contract_spec();

// Runs every check above. Never throws for a backend's sake: an exception
// from the backend is a failure of the check that called it.
ContractReport check_backend_contract(const BackendMaker& make_backend, const ContractOptions& options = {});

}  // namespace ductor::sdk_testing
