// `ductor plugins`: every candidate, its outcome, and the selection.
#include "commands.hpp"

#include <ductor/host/real_host.hpp>
#include <ductor/output/json.hpp>
#include <ductor/platform/system.hpp>

#include <iostream>

namespace ductor::cli {
namespace {

std::string abi_text(const plugin::PluginInfo& info) {
    return std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor);
}

output::Json loaded_json(const plugin::LoadedPlugin& p, bool selected) {
    return output::Json::Object{{"name", p.info.name},
                                {"path", p.candidate.file.string()},
                                {"origin", plugin::to_string(p.candidate.origin)},
                                {"loaded", true},
                                {"version", p.info.version},
                                {"abi", abi_text(p.info)},
                                {"priority", static_cast<int>(p.info.priority)},
                                {"summary", p.info.summary},
                                {"available", p.availability.available},
                                {"reason", p.availability.reason},
                                {"selected", selected}};
}

output::Json failure_json(const plugin::LoadFailure& f) {
    return output::Json::Object{
        {"name", f.info ? f.info->name : f.candidate.stem},
        {"path", f.candidate.file.string()},
        {"origin", plugin::to_string(f.candidate.origin)},
        {"loaded", false},
        {"version", f.info ? output::Json(f.info->version) : output::Json()},
        {"abi", f.info ? output::Json(abi_text(*f.info)) : output::Json()},
        {"priority", f.info ? output::Json(static_cast<int>(f.info->priority)) : output::Json()},
        {"summary", f.info ? output::Json(f.info->summary) : output::Json()},
        {"available", false},
        {"reason", f.reason},
        {"selected", false}};
}

void print_json(const plugin::Registry& registry, const plugin::Selection& selection) {
    output::Json::Array plugins, dirs, shadowed;
    for (const auto& p : registry.plugins()) plugins.push_back(loaded_json(*p, p.get() == selection.plugin));
    for (const auto& f : registry.failures()) plugins.push_back(failure_json(f));
    for (const auto& d : registry.search_path().dirs) {
        dirs.push_back(output::Json::Object{{"path", d.path.string()}, {"origin", plugin::to_string(d.origin)}});
    }
    for (const auto& s : registry.shadowed()) {
        shadowed.push_back(output::Json::Object{{"path", s.file.string()}, {"shadowed_by", s.winner.string()}});
    }
    output::Json doc = output::Json::Object{
        {"selected", selection.plugin ? output::Json(selection.plugin->info.name) : output::Json()},
        {"selection_error", selection.plugin ? output::Json() : output::Json(selection.error)},
        {"search_path", std::move(dirs)},
        {"plugins", std::move(plugins)},
        {"shadowed", std::move(shadowed)}};
    std::cout << doc.dump() << "\n";
}

void print_text(const plugin::Registry& registry, const plugin::Selection& selection, bool global_backend) {
    std::cout << "Search path:\n";
    for (const auto& d : registry.search_path().dirs) {
        std::cout << "  " << d.path.string() << "  (" << plugin::to_string(d.origin) << ")\n";
    }
    std::cout << "\nPlugins:\n";
    for (const auto& p : registry.plugins()) {
        std::cout << (p.get() == selection.plugin ? "* " : "  ") << p->info.name << " " << p->info.version << "  ABI "
                  << abi_text(p->info) << "  priority " << p->info.priority << "  "
                  << (p->availability.available ? "available" : "unavailable") << "\n"
                  << "      " << p->candidate.file.string() << "\n"
                  << "      " << p->availability.reason << "\n";
    }
    for (const auto& f : registry.failures()) {
        std::cout << "  " << f.candidate.stem << "  not loaded\n"
                  << "      " << f.candidate.file.string() << "\n"
                  << "      " << f.reason << "\n";
    }
    for (const auto& s : registry.shadowed()) {
        std::cout << "  " << s.file.string() << "  shadowed by " << s.winner.string() << "\n";
    }
    if (registry.plugins().empty() && registry.failures().empty()) std::cout << "  (none found)\n";
    std::cout << "\n";
    if (selection.plugin)
        std::cout << "Selected: " << selection.plugin->info.name << "\n";
    else if (global_backend)
        std::cout << "Selected: none - " << selection.error.substr(0, selection.error.find('\n')) << "\n";
    else
        std::cout << "Selected: none - no plugin is usable on this machine\n";
}

}  // namespace

plugin::SearchPath plugin_search_path(const GlobalOptions& global, const sdk::Host& host) {
    plugin::SearchInputs inputs;
    inputs.plugin_dirs = global.plugin_dirs;
    inputs.env_path = host.environment("DUCTOR_PLUGIN_PATH");
    inputs.executable = host.ductor_executable();
    inputs.system_dir = DUCTOR_SYSTEM_PLUGIN_DIR;
    return plugin::build_search_path(inputs);
}

ExitCode plugins_command(const PluginsCommand& command, const GlobalOptions& global, const plugin::Registry& registry) {
    auto selection = registry.select(global.backend, plugin::Need::available);
    if (command.json)
        print_json(registry, selection);
    else
        print_text(registry, selection, global.backend.has_value());
    return ExitCode::success;
}

}  // namespace ductor::cli
