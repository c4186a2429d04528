// `ductor plugins`: every candidate, asked in a child process, and the selection.
#include "commands.hpp"

#include <ductor/host/real_host.hpp>
#include <ductor/output/json.hpp>
#include <ductor/platform/isolation.hpp>
#include <ductor/platform/system.hpp>

#include <iostream>

namespace ductor::cli {
namespace {

// The plugin `ductor plugins` selects, or why there is none (in one line).
using Choice = sdk::Expected<const plugin::ProbeReport*>;

std::string abi_text(const plugin::PluginInfo& info) {
    return std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor);
}

bool usable(const plugin::ProbeReport& r) { return r.failure.empty() && r.availability.has_value(); }

std::string name_of(const plugin::ProbeReport& r) { return r.info ? r.info->name : r.candidate.stem; }

output::Json report_json(const plugin::ProbeReport& r, bool selected) {
    auto optional_info = [&](auto field) { return r.info ? output::Json(field(*r.info)) : output::Json(); };
    return output::Json::Object{{"name", name_of(r)},
                                {"path", r.candidate.file.string()},
                                {"origin", plugin::to_string(r.candidate.origin)},
                                {"loaded", usable(r)},
                                {"version", optional_info([](const auto& i) { return i.version; })},
                                {"abi", optional_info([](const auto& i) { return abi_text(i); })},
                                {"cxx_abi", optional_info([](const auto& i) { return i.cxx_abi; })},
                                {"priority", optional_info([](const auto& i) { return static_cast<int>(i.priority); })},
                                {"summary", optional_info([](const auto& i) { return i.summary; })},
                                {"available", usable(r) && r.availability->available},
                                {"reason", usable(r) ? r.availability->reason : r.failure},
                                {"selected", selected}};
}

void print_json(const plugin::Registry& registry, const std::vector<plugin::ProbeReport>& reports,
                const Choice& selected) {
    output::Json::Array plugins, dirs, shadowed;
    for (const auto& r : reports) {
        if (usable(r)) plugins.push_back(report_json(r, selected && &r == *selected));
    }
    for (const auto& r : reports) {
        if (!usable(r)) plugins.push_back(report_json(r, false));
    }
    for (const auto& d : registry.search_path().dirs) {
        dirs.push_back(output::Json::Object{{"path", d.path.string()}, {"origin", plugin::to_string(d.origin)}});
    }
    for (const auto& s : registry.shadowed()) {
        shadowed.push_back(output::Json::Object{{"path", s.file.string()}, {"shadowed_by", s.winner.string()}});
    }
    output::Json doc =
        output::Json::Object{{"selected", selected ? output::Json((*selected)->info->name) : output::Json()},
                             {"selection_error", selected ? output::Json() : output::Json(selected.error())},
                             {"isolated", platform::isolation_supported()},
                             {"search_path", std::move(dirs)},
                             {"plugins", std::move(plugins)},
                             {"shadowed", std::move(shadowed)}};
    std::cout << doc.dump() << "\n";
}

void print_text(const plugin::Registry& registry, const std::vector<plugin::ProbeReport>& reports,
                const Choice& selected) {
    std::cout << "Search path:\n";
    for (const auto& d : registry.search_path().dirs) {
        std::cout << "  " << d.path.string() << "  (" << plugin::to_string(d.origin) << ")\n";
    }
    std::cout << "\nPlugins:\n";
    for (const auto& r : reports) {
        if (!usable(r)) continue;
        std::cout << (selected && &r == *selected ? "* " : "  ") << r.info->name << " " << r.info->version << "  ABI "
                  << abi_text(*r.info) << "  priority " << r.info->priority << "  "
                  << (r.availability->available ? "available" : "unavailable") << "\n"
                  << "      " << r.candidate.file.string() << "\n"
                  << "      " << r.availability->reason << "\n";
    }
    for (const auto& r : reports) {
        if (usable(r)) continue;
        std::cout << "  " << name_of(r) << "  not loaded\n"
                  << "      " << r.candidate.file.string() << "\n"
                  << "      " << r.failure << "\n";
    }
    for (const auto& s : registry.shadowed()) {
        std::cout << "  " << s.file.string() << "  shadowed by " << s.winner.string() << "\n";
    }
    if (reports.empty()) std::cout << "  (none found)\n";
    if (!platform::isolation_supported()) {
        std::cout << "  (asked in this process: this platform has no isolation for plugins)\n";
    }
    std::cout << "\n";
    if (selected)
        std::cout << "Selected: " << (*selected)->info->name << "\n";
    else
        std::cout << "Selected: none - " << selected.error() << "\n";
}

// plugin::choose, or why it chose none.
Choice selection(const std::vector<plugin::ProbeReport>& reports, const std::optional<std::string>& forced) {
    if (const auto* selected = plugin::choose(reports, forced)) return selected;
    if (!forced) return sdk::unexpected("no plugin is usable on this machine");
    for (const auto& r : reports) {
        if (name_of(r) != *forced && r.candidate.stem != *forced) continue;
        if (usable(r))
            return sdk::unexpected("the backend '" + *forced + "' is not usable here: " + r.availability->reason);
        return sdk::unexpected("the backend '" + *forced + "' could not be loaded from " + r.candidate.file.string() +
                               ": " + r.failure);
    }
    return sdk::unexpected("no backend named '" + *forced + "'");
}

}  // namespace

ExitCode plugins_command(const PluginsCommand& command, const GlobalOptions& global, const plugin::Registry& registry) {
    auto reports = registry.probe_all();
    const auto selected = selection(reports, global.backend);
    if (command.json)
        print_json(registry, reports, selected);
    else
        print_text(registry, reports, selected);
    return ExitCode::success;
}

}  // namespace ductor::cli
