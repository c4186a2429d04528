// `ductor doctor`: what ductor would do on this machine, and what needs the
// user's attention (exit 1), as text or JSON.
#include "commands.hpp"
#include "doctor_checks.hpp"

#include <ductor/output/json.hpp>
#include <ductor/output/text.hpp>

#include <iostream>

namespace ductor::cli {
namespace {

using doctor::Severity;

const char* marker(Severity severity) {
    switch (severity) {
        case Severity::ok: return "ok";
        case Severity::note: return "- ";
        case Severity::attention: return "! ";
    }
    return "! ";
}

void print_text(const doctor::Report& report) {
    for (const auto& section : report.sections) {
        std::cout << section.title << "\n";
        for (const auto& finding : section.findings)
            std::cout << "  " << marker(finding.severity) << "  " << output::printable(finding.message) << "\n";
        std::cout << "\n";
    }
    const int attention = report.attention();
    if (attention == 0) {
        std::cout << "All is well.\n";
        return;
    }
    std::cout << attention << (attention == 1 ? " thing needs" : " things need") << " your attention:\n";
    for (const auto& section : report.sections) {
        for (const auto& finding : section.findings) {
            if (finding.severity == Severity::attention)
                std::cout << "  ! [" << finding.kind << "] " << output::printable(finding.message) << "\n";
        }
    }
}

output::Json service_json(const ServiceView& service) {
    auto or_null = [](const std::string& text) { return text.empty() ? output::Json() : output::Json(text); };
    return output::Json::Object{{"name", service.name},
                                {"backend", or_null(service.backend)},
                                {"desired", or_null(service.desired)},
                                {"state", service.state},
                                {"pid", service.pid},
                                {"restarts", service.restarts},
                                {"problem", or_null(service.problem)}};
}

void print_json(const doctor::Report& report) {
    output::Json::Array findings, services;
    for (const auto& section : report.sections) {
        for (const auto& finding : section.findings) {
            findings.push_back(output::Json::Object{{"section", section.key},
                                                    {"severity", doctor::to_string(finding.severity)},
                                                    {"kind", finding.kind},
                                                    {"subject", finding.subject},
                                                    {"message", finding.message}});
        }
    }
    for (const auto& service : report.services) services.push_back(service_json(service));
    output::Json doc = output::Json::Object{{"ok", report.attention() == 0},   {"attention", report.attention()},
                                            {"backend", report.selected},      {"why", report.why},
                                            {"services", std::move(services)}, {"next", report.next},
                                            {"findings", std::move(findings)}};
    std::cout << doc.dump() << "\n";
}

}  // namespace

ExitCode doctor_command(const DoctorCommand& command, const GlobalOptions& global, const plugin::Registry& registry,
                        const sdk::Host& host) {
    const auto report = doctor::examine(global, registry, host);
    if (command.json)
        print_json(report);
    else
        print_text(report);
    std::cout.flush();
    return report.attention() == 0 ? ExitCode::success : ExitCode::failed;
}

}  // namespace ductor::cli
