#include <ductor/plugin/probe.hpp>

#include <ductor/platform/fatal_guard.hpp>
#include <ductor/platform/isolation.hpp>

#include <algorithm>
#include <charconv>
#include <map>

namespace ductor::plugin {
namespace {

// --- the lines a child sends: a tag and tab-separated, escaped fields -------

std::string escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::vector<std::string> fields(std::string_view line) {
    std::vector<std::string> out(1);
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '\t') {
            out.emplace_back();
        } else if (c == '\\' && i + 1 < line.size()) {
            char n = line[++i];
            out.back() += n == 't' ? '\t' : n == 'n' ? '\n' : n;
        } else {
            out.back() += c;
        }
    }
    return out;
}

std::string line(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (auto part : parts) {
        if (!out.empty()) out += '\t';
        out += escape(part);
    }
    return out;
}

void send_info(platform::Channel& channel, const PluginInfo& info) {
    channel.send(line({"info", std::to_string(info.abi_major), std::to_string(info.abi_minor), info.cxx_abi, info.name,
                       info.version, std::to_string(info.priority), info.summary}));
}

// A number from a line; the child runs plugin code that may write anything to the pipe, so never throws.
template <class T>
std::optional<T> number(const std::string& text) {
    T value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
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
    if (auto* failure = std::get_if<LoadFailure>(&outcome)) {
        if (failure->info) send_info(channel, *failure->info);
        channel.send(line({"fail", failure->reason}));
        channel.send("done");
        return;
    }
    auto* plugin = std::get<std::unique_ptr<LoadedPlugin>>(outcome).release();
    send_info(channel, plugin->info);
    channel.send("accepted");
    if (depth == ProbeDepth::availability) {
        send_stage(channel, Stage::factory);
        if (auto error = create_backend(*plugin, host)) {
            channel.send(line({"fail", *error}));
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

// Reads one child's lines into `reports`; the index of a plugin it began and did not finish, if any.
std::optional<std::size_t> read_run(const platform::IsolatedRun& run, std::vector<ProbeReport>& reports,
                                    std::size_t first, Stage& stage) {
    std::optional<std::size_t> open;
    for (const auto& text : run.lines) {
        auto f = fields(text);
        const auto& tag = f[0];
        if (tag == "begin" && f.size() == 2) {
            auto index = number<std::size_t>(f[1]);
            open = index && *index < reports.size() - first ? std::optional<std::size_t>(first + *index) : std::nullopt;
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
            open.reset();
        }
    }
    return open;
}

void probe_info(const std::vector<Candidate>& candidates, std::vector<ProbeReport>& reports, sdk::Host& host,
                std::chrono::milliseconds silence) {
    std::size_t next = 0;
    while (next < candidates.size()) {
        const std::size_t first = next;
        platform::IsolatedJob job = [&, first](platform::Channel& channel) {
            for (std::size_t i = first; i < candidates.size(); ++i)
                probe_one(channel, i - first, candidates[i], ProbeDepth::info, host);
        };
        auto run = platform::run_isolated({job}, silence).front();
        Stage stage = Stage::loading;
        auto open = read_run(run, reports, first, stage);
        if (!open) {
            if (run.end == platform::IsolatedRun::End::completed) return;
            open = first;  // it died before it said anything: blame the first
            while (*open < reports.size() && (reports[*open].info || !reports[*open].failure.empty())) ++*open;
            if (*open >= reports.size()) return;
        }
        reports[*open].failure = ending(run, stage, silence);
        reports[*open].accepted = false;
        next = *open + 1;
    }
}

void probe_availability(const std::vector<Candidate>& candidates, std::vector<ProbeReport>& reports, sdk::Host& host,
                        std::chrono::milliseconds silence) {
    std::vector<platform::IsolatedJob> jobs;
    for (const auto& candidate : candidates) {
        jobs.push_back([&candidate, &host](platform::Channel& channel) {
            probe_one(channel, 0, candidate, ProbeDepth::availability, host);
        });
    }
    auto runs = platform::run_isolated(jobs, silence);
    for (std::size_t i = 0; i < runs.size(); ++i) {
        std::vector<ProbeReport> one(1);
        one[0].candidate = candidates[i];
        Stage stage = Stage::loading;
        if (read_run(runs[i], one, 0, stage) || (one[0].failure.empty() && !one[0].availability)) {
            one[0].failure = ending(runs[i], stage, silence);
            one[0].accepted = one[0].accepted && stage != Stage::loading;
        }
        reports[i] = std::move(one[0]);
    }
}

void refuse_duplicate_names(std::vector<ProbeReport>& reports) {
    std::map<std::string, const ProbeReport*> first;
    for (auto& report : reports) {
        if (!report.accepted || !report.info) continue;
        auto [it, inserted] = first.emplace(report.info->name, &report);
        if (inserted) continue;
        report.accepted = false;
        report.availability.reset();
        report.failure = "another plugin named '" + report.info->name + "' was found first at " +
                         it->second->candidate.file.string();
    }
}

}  // namespace

std::vector<ProbeReport> probe(const std::vector<Candidate>& candidates, ProbeDepth depth, sdk::Host& host,
                               std::chrono::milliseconds silence) {
    std::vector<ProbeReport> reports(candidates.size());
    for (std::size_t i = 0; i < candidates.size(); ++i) reports[i].candidate = candidates[i];
    if (depth == ProbeDepth::info)
        probe_info(candidates, reports, host, silence);
    else
        probe_availability(candidates, reports, host, silence);
    refuse_duplicate_names(reports);
    return reports;
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
