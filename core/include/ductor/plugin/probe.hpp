#pragma once
// Asking plugins in child processes (platform/isolation.hpp): a plugin that
// crashes, exits or hangs while it loads, in its factory or in
// is_service_available() is reported ("crashed with SIGSEGV during
// is_service_available()") instead of ending ductor. Where the platform has no
// isolation (Windows) the same steps run in this process.

#include <ductor/plugin/discovery.hpp>
#include <ductor/plugin/loader.hpp>
#include <ductor/sdk/host.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ductor::plugin {

// How long one step of a plugin (loading, its factory, is_service_available())
// may take: a child that stays silent longer is killed and reported, and in
// ductor's own process the command ends with a message naming the plugin.
inline constexpr std::chrono::milliseconds k_answer_timeout{5000};

struct ProbeReport {
    Candidate candidate;
    std::optional<PluginInfo> info;                 // what it declared, when it got that far
    bool accepted = false;                          // its info passed every check (ABI, C++ ABI, name)
    std::optional<sdk::Availability> availability;  // when its backend was created and answered
    std::string failure;                            // why it cannot be used; empty when it answered
};

// Plugins are asked in turn by a child, and a child that crashed, exited or
// hung is followed by a new one that resumes after the plugin it died in.
enum class ProbeDepth {
    info,          // load and read the info: one child for all
    availability,  // also create the backend and ask it: one child per core (at most 4), 8 plugins or more each
};

class InfoCache;

// Probes every candidate; reports in the order of `candidates`. `host` is
// handed to the factories (in the children). A later plugin declaring a name
// an earlier one declared is refused ("another plugin named ..."). At info
// depth, `cache` (when given) answers for unchanged files and learns the
// others, and is saved. Never throws.
std::vector<ProbeReport> probe(const std::vector<Candidate>& candidates, ProbeDepth depth, sdk::Host& host,
                               std::chrono::milliseconds silence = k_answer_timeout, InfoCache* cache = nullptr);
// The same for candidates held elsewhere (none null), without copying them first.
std::vector<ProbeReport> probe(const std::vector<const Candidate*>& candidates, ProbeDepth depth, sdk::Host& host,
                               std::chrono::milliseconds silence = k_answer_timeout, InfoCache* cache = nullptr);

// The automatic choice's order: higher priority first, ties by name.
bool ranks_before(const PluginInfo& a, const PluginInfo& b);

// The report the choice falls on: `forced` by name when it answered available,
// else the available one that ranks first; nullptr when none.
const ProbeReport* choose(const std::vector<ProbeReport>& reports, const std::optional<std::string>& forced);

}  // namespace ductor::plugin
