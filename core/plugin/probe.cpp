#include <ductor/plugin/probe.hpp>

#include <ductor/platform/fatal_guard.hpp>
#include <ductor/platform/files.hpp>
#include <ductor/platform/isolation.hpp>
#include <ductor/plugin/info_cache.hpp>

#include "first_equal.hpp"
#include "lines.hpp"

#include <algorithm>
#include <string_view>
#include <thread>

namespace ductor::plugin {
namespace {

// --- the lines a child sends: a tag and tab-separated, escaped fields -------

using lines::fields;
using lines::line;
using lines::number;

void send_info(platform::Channel& channel, const PluginInfo& info) {
    channel.send(line({"info", std::to_string(info.abi_major), std::to_string(info.abi_minor), info.cxx_abi, info.name,
                       info.version, std::to_string(info.priority), info.summary}));
}

std::optional<PluginInfo> parse_info(const std::vector<std::string>& f) {
    if (f.size() != 8) return std::nullopt;
    auto major = number<std::uint32_t>(f[1]);
    auto minor = number<std::uint32_t>(f[2]);
    auto priority = number<std::int32_t>(f[6]);
    if (!major || !minor || !priority) return std::nullopt;
    PluginInfo info;
    info.abi_major = *major;
    info.abi_minor = *minor;
    info.cxx_abi = f[3];
    info.name = f[4];
    info.version = f[5];
    info.priority = *priority;
    info.summary = f[7];
    return info;
}

// --- the child's side ---------------------------------------------------------

void send_stage(platform::Channel& channel, Stage stage) {
    channel.send(line({"stage", std::to_string(static_cast<int>(stage))}));
}

// Loads one candidate (and, at availability depth, creates and asks it), saying what it does.
// Whatever it loaded stays loaded: the child ends with _exit, so no plugin code runs at unload.
void probe_one(platform::Channel& channel, std::size_t index, const Candidate& candidate, ProbeDepth depth,
               sdk::Host& host) {
    channel.send(line({"begin", std::to_string(index)}));
    send_stage(channel, Stage::loading);
    auto outcome = open_plugin(candidate);
    if (!outcome) {
        const auto& failure = outcome.error();
        if (failure.info) send_info(channel, *failure.info);
        channel.send(line({"fail", failure.reason}));
        channel.send("done");
        return;
    }
    auto* plugin = outcome->release();
    send_info(channel, plugin->info);
    channel.send("accepted");
    if (depth == ProbeDepth::availability) {
        send_stage(channel, Stage::factory);
        if (auto created = create_backend(*plugin, host); !created) {
            channel.send(line({"fail", created.error()}));
        } else {
            send_stage(channel, Stage::availability);
            ask_availability(*plugin);
            channel.send(line({"answer", plugin->availability.available ? "1" : "0", plugin->availability.reason}));
        }
    }
    channel.send("done");
}

// --- the parent's side --------------------------------------------------------

std::string ending(const platform::IsolatedRun& run, Stage stage, std::chrono::milliseconds silence) {
    using End = platform::IsolatedRun::End;
    std::string during = std::string(" during ") + to_string(stage);
    switch (run.end) {
        case End::signalled: return "crashed with " + platform::signal_name(run.code) + during;
        case End::exited: return "ended the process with exit code " + std::to_string(run.code) + during;
        case End::timed_out: return "did not answer within " + platform::describe_timeout(silence) + during;
        case End::not_started: return "could not be asked: " + run.error;
        case End::completed: break;
    }
    return "stopped answering" + during;
}

// Reads the lines of one child that asked the candidates [first, end) in
// turn into `reports`, marking each plugin it saw through as `finished`; the
// index of a plugin it began and did not finish, if any.
std::optional<std::size_t> read_run(const platform::IsolatedRun& run, std::vector<ProbeReport>& reports,
                                    std::vector<char>& finished, std::size_t first, std::size_t end, Stage& stage) {
    std::optional<std::size_t> open;
    for (const auto& text : run.lines) {
        auto f = fields(text);
        const auto& tag = f[0];
        if (tag == "begin" && f.size() == 2) {
            auto index = number<std::size_t>(f[1]);
            open = index && *index < end - first ? std::optional<std::size_t>(first + *index) : std::nullopt;
            stage = Stage::loading;
        } else if (!open) {
            continue;
        } else if (tag == "stage" && f.size() == 2) {
            auto value = number<int>(f[1]);
            if (value && *value >= 0 && *value <= static_cast<int>(Stage::availability))
                stage = static_cast<Stage>(*value);
        } else if (tag == "info") {
            reports[*open].info = parse_info(f);
        } else if (tag == "accepted") {
            reports[*open].accepted = reports[*open].info.has_value();
        } else if (tag == "fail" && f.size() == 2) {
            reports[*open].failure = f[1];
        } else if (tag == "answer" && f.size() == 3) {
            reports[*open].availability = sdk::Availability{f[1] == "1", f[2]};
        } else if (tag == "done") {
            finished[*open] = 1;
            open.reset();
        }
    }
    return open;
}

// The candidates [next, end) that one child asks in turn.
struct Stretch {
    std::size_t next = 0;
    std::size_t end = 0;
};

// Info is only a load: one child. Asking backends runs more plugin code: one
// child per core (at most 4), each for at least 8 plugins.
std::vector<Stretch> split(std::size_t count, ProbeDepth depth) {
    std::size_t parts = 1;
    if (depth == ProbeDepth::availability) {
        const std::size_t cores = std::max(1U, std::thread::hardware_concurrency());
        parts = std::clamp<std::size_t>(count / 8, 1, std::min<std::size_t>(cores, 4));
    }
    std::vector<Stretch> stretches;
    for (std::size_t i = 0; i < parts; ++i) stretches.push_back({count * i / parts, count * (i + 1) / parts});
    return stretches;
}

// After one child's run over `stretch`: the plugin it died in (or, when it
// died between plugins, the first it did not finish) gets the reason, and
// the next child starts after it.
std::size_t settle(const platform::IsolatedRun& run, std::vector<ProbeReport>& reports, std::vector<char>& finished,
                   const Stretch& stretch, std::chrono::milliseconds silence) {
    Stage stage = Stage::loading;
    auto open = read_run(run, reports, finished, stretch.next, stretch.end, stage);
    if (!open) {
        open = stretch.next;
        while (*open < stretch.end && finished[*open]) ++*open;
        if (*open >= stretch.end) return stretch.end;
    }
    reports[*open].failure = ending(run, stage, silence);
    reports[*open].accepted = reports[*open].accepted && stage != Stage::loading;
    return *open + 1;
}

// Asks every candidate in a few children, each going through its stretch in
// turn; a child that crashed, exited or hung is followed by a new one that
// resumes after the culprit. Which reports were seen through (not ended by a
// crash, an exit or a timeout) is returned.
std::vector<char> ask_in_turn(const std::vector<Candidate>& candidates, std::vector<ProbeReport>& reports,
                              ProbeDepth depth, sdk::Host& host, std::chrono::milliseconds silence) {
    std::vector<char> finished(candidates.size(), 0);
    auto stretches = split(candidates.size(), depth);
    while (true) {
        std::vector<std::size_t> active;
        std::vector<platform::IsolatedJob> jobs;
        for (std::size_t i = 0; i < stretches.size(); ++i) {
            const auto stretch = stretches[i];
            if (stretch.next >= stretch.end) continue;
            active.push_back(i);
            jobs.push_back([&candidates, &host, depth, stretch](platform::Channel& channel) {
                for (std::size_t k = stretch.next; k < stretch.end; ++k)
                    probe_one(channel, k - stretch.next, candidates[k], depth, host);
            });
        }
        if (jobs.empty()) return finished;
        auto runs = platform::run_isolated(jobs, silence);
        for (std::size_t j = 0; j < runs.size(); ++j) {
            auto& stretch = stretches[active[j]];
            stretch.next = settle(runs[j], reports, finished, stretch, silence);
        }
    }
}

void refuse_duplicate_names(std::vector<ProbeReport>& reports) {
    std::vector<std::size_t> named;       // the accepted reports, which have an info
    std::vector<std::string_view> names;  // their names, viewed in `reports`
    for (std::size_t i = 0; i < reports.size(); ++i) {
        if (!reports[i].accepted || !reports[i].info) continue;
        named.push_back(i);
        names.push_back(reports[i].info->name);
    }
    const auto first = first_equal(names);
    for (std::size_t k = 0; k < named.size(); ++k) {
        if (first[k] == k) continue;
        auto& report = reports[named[k]];
        report.accepted = false;
        report.availability.reset();
        report.failure = "another plugin named '" + report.info->name + "' was found first at " +
                         reports[named[first[k]]].candidate.file.string();
    }
}

}  // namespace

std::vector<ProbeReport> probe(const std::vector<const Candidate*>& candidates, ProbeDepth depth, sdk::Host& host,
                               std::chrono::milliseconds silence, InfoCache* cache) {
    if (depth != ProbeDepth::info) cache = nullptr;  // availability is a fact of here and now
    std::vector<ProbeReport> reports(candidates.size());
    std::vector<std::size_t> places;  // of the candidates to ask
    std::vector<Candidate> asked;
    std::vector<std::optional<platform::Fingerprint>> fingerprints;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const Candidate& candidate = *candidates[i];
        // Taken before the file is read: the trust check's, or now.
        std::optional<platform::Fingerprint> taken;
        const std::optional<platform::Fingerprint>* fingerprint = &candidate.fingerprint;
        if (cache != nullptr && !candidate.fingerprint) {
            taken = platform::file_fingerprint(candidate.file);
            fingerprint = &taken;
        }
        if (cache != nullptr && *fingerprint && cache->find(candidate, **fingerprint, reports[i])) continue;
        places.push_back(i);
        asked.push_back(candidate);
        fingerprints.push_back(cache != nullptr ? *fingerprint : std::nullopt);
    }
    std::vector<ProbeReport> answers(asked.size());
    for (std::size_t k = 0; k < asked.size(); ++k) answers[k].candidate = asked[k];
    auto finished = ask_in_turn(asked, answers, depth, host, silence);
    for (std::size_t k = 0; k < asked.size(); ++k) {
        if (cache != nullptr && finished[k] && fingerprints[k]) cache->remember(answers[k], *fingerprints[k]);
        reports[places[k]] = std::move(answers[k]);
    }
    if (cache != nullptr) cache->save();
    refuse_duplicate_names(reports);
    return reports;
}

std::vector<ProbeReport> probe(const std::vector<Candidate>& candidates, ProbeDepth depth, sdk::Host& host,
                               std::chrono::milliseconds silence, InfoCache* cache) {
    std::vector<const Candidate*> held;
    held.reserve(candidates.size());
    for (const auto& candidate : candidates) held.push_back(&candidate);
    return probe(held, depth, host, silence, cache);
}

bool ranks_before(const PluginInfo& a, const PluginInfo& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    return a.name < b.name;
}

const ProbeReport* choose(const std::vector<ProbeReport>& reports, const std::optional<std::string>& forced) {
    const ProbeReport* best = nullptr;
    for (const auto& report : reports) {
        if (!report.accepted || !report.info || !report.availability || !report.availability->available) continue;
        if (forced) {
            if (report.info->name == *forced) return &report;
            continue;
        }
        if (best == nullptr || ranks_before(*report.info, *best->info)) best = &report;
    }
    return best;
}

}  // namespace ductor::plugin
