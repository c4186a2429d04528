// Windows implementation of <ductor/platform/isolation.hpp>: no isolation.
// The jobs run here, one after the other; a crash or hang of a job is this
// process's (docs/plugins.md says so).
#include <ductor/platform/isolation.hpp>

namespace ductor::platform {
namespace {

class VectorChannel final : public Channel {
public:
    explicit VectorChannel(std::vector<std::string>& lines) : m_lines(lines) {}
    void send(std::string_view line) override {
        std::string text(line);
        for (auto& c : text) {
            if (c == '\n') c = ' ';
        }
        m_lines.push_back(std::move(text));
    }

private:
    std::vector<std::string>& m_lines;
};

}  // namespace

bool isolation_supported() { return false; }

std::vector<IsolatedRun> run_isolated(const std::vector<IsolatedJob>& jobs, std::chrono::milliseconds /*silence*/) {
    std::vector<IsolatedRun> runs(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        VectorChannel channel(runs[i].lines);
        try {
            jobs[i](channel);
            runs[i].end = IsolatedRun::End::completed;
        } catch (...) {
            runs[i].end = IsolatedRun::End::exited;
            runs[i].code = 70;
        }
    }
    return runs;
}

std::string signal_name(int signal) { return "signal " + std::to_string(signal); }

}  // namespace ductor::platform
