#include <ductor/plugin/registry.hpp>

#include <ductor/platform/fatal_guard.hpp>
#include <ductor/plugin/info_cache.hpp>
#include <ductor/plugin/trust.hpp>

#include <algorithm>

namespace ductor::plugin {
namespace {

// The exit code of a command that a plugin ended (the CLI's "operation failed").
constexpr int k_plugin_ended_command = 1;
constexpr const char* k_hint = "move it out of the plugin folders, or choose another backend with --backend NAME";

template <class T>
std::size_t insert_at(std::vector<std::size_t>& orders, std::vector<T>& items, std::size_t order, T item) {
    auto at = static_cast<std::size_t>(std::upper_bound(orders.begin(), orders.end(), order) - orders.begin());
    orders.insert(orders.begin() + static_cast<std::ptrdiff_t>(at), order);
    items.insert(items.begin() + static_cast<std::ptrdiff_t>(at), std::move(item));
    return at;
}

std::size_t index_of(const std::vector<std::size_t>& orders, std::size_t order) {
    return static_cast<std::size_t>(std::find(orders.begin(), orders.end(), order) - orders.begin());
}

}  // namespace

Registry::Registry(const SearchPath& path, sdk::Host& host, std::optional<std::filesystem::path> info_cache)
    : m_path(path), m_host(host), m_info_cache(std::move(info_cache)) {
    auto found = discover(path);
    m_shadowed = std::move(found.shadowed);
    std::vector<const std::filesystem::path::string_type*> files;
    files.reserve(found.candidates.size());
    for (const auto& candidate : found.candidates) files.push_back(&candidate.file.native());
    auto verdicts = check_all_trusted(files);
    for (std::size_t i = 0; i < found.candidates.size(); ++i) {
        auto& candidate = found.candidates[i];
        auto& verdict = verdicts[i];
        sdk::Expected<void> trusted;
        if (verdict) {
            candidate.fingerprint = std::move(verdict->fingerprint);
        } else {
            trusted = sdk::unexpected(verdict.error());
            m_failure_order.push_back(m_found.size());
            m_failures.push_back({candidate, std::nullopt, verdict.error()});
        }
        m_found.push_back({std::move(candidate), std::move(trusted)});
    }
}

void Registry::add_failure(LoadFailure failure, std::size_t order) const {
    insert_at(m_failure_order, m_failures, order, std::move(failure));
}

void Registry::describe() const {
    if (m_described) return;
    m_described = true;
    std::vector<const Candidate*> trusted;
    std::vector<std::size_t> orders;
    trusted.reserve(m_found.size());
    orders.reserve(m_found.size());
    for (std::size_t i = 0; i < m_found.size(); ++i) {
        if (!m_found[i].trusted) continue;
        trusted.push_back(&m_found[i].candidate);
        orders.push_back(i);
    }
    std::optional<InfoCache> cache;
    if (m_info_cache) cache.emplace(*m_info_cache);
    auto reports = probe(trusted, ProbeDepth::info, m_host, k_answer_timeout, cache ? &*cache : nullptr);
    m_accepted.reserve(reports.size());
    for (std::size_t k = 0; k < reports.size(); ++k) {
        auto& report = reports[k];
        if (report.accepted && report.info)
            m_accepted.push_back({std::move(*report.info), orders[k]});
        else
            add_failure({std::move(report.candidate), std::move(report.info), std::move(report.failure)}, orders[k]);
    }
    for (const auto& failure : m_failures) {
        m_host.log(sdk::LogLevel::debug, "plugin " + failure.candidate.file.string() + " skipped: " + failure.reason);
    }
}

LoadedPlugin* Registry::create(const Described& entry) const {
    if (auto at = index_of(m_plugin_order, entry.order); at < m_plugins.size()) return m_plugins[at].get();
    if (index_of(m_failure_order, entry.order) < m_failures.size()) return nullptr;
    const Candidate& candidate = m_found[entry.order].candidate;
    const std::string subject = "the plugin '" + entry.info.name + "' (" + candidate.file.string() + ")";
    auto guard = [&](Stage stage) {
        return platform::FatalCallGuard(subject, to_string(stage), k_answer_timeout, k_hint, k_plugin_ended_command);
    };
    std::unique_ptr<LoadedPlugin> plugin;
    {
        auto guarded = guard(Stage::loading);
        auto outcome = open_plugin(candidate);
        if (!outcome) {
            add_failure(std::move(outcome).error(), entry.order);
            return nullptr;
        }
        plugin = std::move(*outcome);
    }
    {
        auto guarded = guard(Stage::factory);
        if (auto created = create_backend(*plugin, m_host); !created) {
            add_failure({candidate, plugin->info, created.error()}, entry.order);
            return nullptr;
        }
    }
    {
        auto guarded = guard(Stage::availability);
        ask_availability(*plugin);
    }
    auto at = insert_at(m_plugin_order, m_plugins, entry.order, std::move(plugin));
    return m_plugins[at].get();
}

void Registry::create_all() const {
    describe();
    std::vector<const Described*> ranked;
    for (const auto& entry : m_accepted) ranked.push_back(&entry);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const Described* a, const Described* b) { return ranks_before(a->info, b->info); });
    for (const auto* entry : ranked) create(*entry);
}

const std::vector<std::unique_ptr<LoadedPlugin>>& Registry::plugins() const {
    create_all();
    return m_plugins;
}

const std::vector<LoadFailure>& Registry::failures() const {
    create_all();
    return m_failures;
}

std::string Registry::describe_all() const {
    std::string text;
    for (std::size_t i = 0; i < m_found.size(); ++i) {
        const auto& file = m_found[i].candidate.file;
        if (auto at = index_of(m_plugin_order, i); at < m_plugins.size()) {
            const auto& p = *m_plugins[at];
            text += "\n  " + p.info.name + " (" + file.string() +
                    "): " + (p.availability.available ? "available" : "unavailable") + " - " + p.availability.reason;
        } else if (auto f = index_of(m_failure_order, i); f < m_failures.size()) {
            text += "\n  " + file.string() + ": not loaded - " + m_failures[f].reason;
        } else {
            for (const auto& entry : m_accepted) {
                if (entry.order == i) text += "\n  " + entry.info.name + " (" + file.string() + "): not asked";
            }
        }
    }
    if (text.empty()) {
        text = "\n  no plugin files were found in:";
        for (const auto& dir : m_path.dirs) text += "\n    " + dir.path.string();
    }
    return text;
}

Selection Registry::select(const std::optional<std::string>& forced, Need need) const {
    describe();
    if (forced) {
        for (const auto& entry : m_accepted) {
            if (entry.info.name != *forced) continue;
            auto* plugin = create(entry);
            if (plugin == nullptr) break;  // its failure is reported below
            if (need == Need::available && !plugin->availability.available) {
                return sdk::unexpected("the backend '" + *forced +
                                       "' is not usable here: " + plugin->availability.reason);
            }
            return plugin;
        }
        for (const auto& failure : m_failures) {
            if (failure.candidate.stem == *forced || (failure.info && failure.info->name == *forced)) {
                return sdk::unexpected("the backend '" + *forced + "' could not be loaded from " +
                                       failure.candidate.file.string() + ": " + failure.reason);
            }
        }
        return sdk::unexpected("no backend named '" + *forced + "'; the plugins found:" + describe_all());
    }
    std::vector<const Described*> ranked;
    for (const auto& entry : m_accepted) ranked.push_back(&entry);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const Described* a, const Described* b) { return ranks_before(a->info, b->info); });
    for (const auto* entry : ranked) {
        auto* plugin = create(*entry);
        if (plugin != nullptr && plugin->availability.available) return plugin;
    }
    return sdk::unexpected("no usable service backend on this machine:" + describe_all());
}

std::vector<ProbeReport> Registry::probe_all(std::chrono::milliseconds silence) const {
    std::vector<Candidate> trusted;
    for (const auto& found : m_found) {
        if (found.trusted) trusted.push_back(found.candidate);
    }
    auto probed = probe(trusted, ProbeDepth::availability, m_host, silence);
    std::vector<ProbeReport> reports;
    std::size_t next = 0;
    for (const auto& found : m_found) {
        if (!found.trusted) {
            ProbeReport report;
            report.candidate = found.candidate;
            report.failure = found.trusted.error();
            reports.push_back(std::move(report));
        } else {
            reports.push_back(std::move(probed[next++]));
        }
    }
    return reports;
}

}  // namespace ductor::plugin
