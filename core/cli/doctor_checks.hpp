#pragma once
// What `ductor doctor` finds out about this machine (private to the CLI).
// Gathering changes nothing: it reads files and asks each backend for its
// availability and the status of the recorded services.

#include "service_view.hpp"

#include <ductor/cli/invocation.hpp>
#include <ductor/plugin/registry.hpp>
#include <ductor/sdk/host.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ductor::cli::doctor {

// ok: as it should be; note: worth knowing; attention: the user should act (exit 1).
enum class Severity { ok, note, attention };

const char* to_string(Severity severity);

// One line of the report. `kind` is stable for scripts and tests, e.g.
// "linger-off", "path-relative", "service-problem" (see doctor_checks.cpp).
struct Finding {
    Severity severity = Severity::ok;
    std::string kind;
    std::string subject;  // what it is about: a backend, a service, a PATH entry, a folder; may be empty
    std::string message;  // one sentence for humans; may quote values as they are (escape when printing)
};

// A titled group of findings, in the order the report prints them.
struct Section {
    std::string key;    // "backend", "persistence", "services", "path", "home", "next"
    std::string title;  // "Backend", "Boot persistence", ...
    std::vector<Finding> findings;
};

struct Report {
    std::optional<std::string> selected;  // the backend ductor would use
    std::string why;                      // why that one, or why none
    std::vector<ServiceView> services;
    std::optional<std::string> next;  // the install command to run next, when nothing is installed
    std::vector<Section> sections;

    int attention() const;  // how many findings need the user's attention
};

// Everything doctor checks, with `registry` loaded through `host`.
Report examine(const GlobalOptions& global, const plugin::Registry& registry, const sdk::Host& host);

}  // namespace ductor::cli::doctor
