#include <ductor/sdk_testing/contract.hpp>

#include <ductor/sdk/shell.hpp>

#include <algorithm>
#include <exception>
#include <map>
#include <system_error>

namespace ductor::sdk_testing {
namespace {

namespace fs = std::filesystem;

// Every entry below the sandbox, by relative path: its kind and, for files
// and links, what they hold.
using Snapshot = std::map<fs::path, std::string>;

Snapshot snapshot(const FakeHost& host) {
    Snapshot entries;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(host.root(), ec), end; !ec && it != end; it.increment(ec)) {
        const auto rel = it->path().lexically_relative(host.root());
        const auto status = it->symlink_status();
        if (fs::is_symlink(status)) {
            std::error_code ignored;
            entries[rel] = "link -> " + fs::read_symlink(it->path(), ignored).string();
        } else if (fs::is_directory(status)) {
            entries[rel] = "folder";
        } else {
            entries[rel] = "file " + host.read_file(it->path()).value_or("<unreadable>");
        }
    }
    return entries;
}

// What `after` has that `before` has not, or holds differently.
std::vector<std::string> changes(const Snapshot& before, const Snapshot& after, bool folders_too) {
    std::vector<std::string> changed;
    for (const auto& [path, what] : after) {
        if (!folders_too && what == "folder") continue;
        auto old = before.find(path);
        if (old == before.end())
            changed.push_back("left " + path.string());
        else if (old->second != what)
            changed.push_back("changed " + path.string());
    }
    if (folders_too)
        for (const auto& [path, what] : before)
            if (after.count(path) == 0) changed.push_back("removed " + path.string());
    return changed;
}

class Check {
public:
    Check(std::string name, ContractReport& report) : m_name(std::move(name)), m_report(report) {}
    void fail(const std::string& what) { m_report.failures.push_back(m_name + ": " + what); }
    bool failed() const { return m_failed_before != m_report.failures.size(); }
    void finish() {
        if (!failed()) m_report.passed.push_back(m_name);
    }
    const std::string& name() const { return m_name; }

private:
    std::string m_name;
    ContractReport& m_report;
    std::size_t m_failed_before = m_report.failures.size();
};

struct Setup {
    FakeHost host;
    std::unique_ptr<sdk::Backend> backend;
};

std::unique_ptr<Setup> set_up(const BackendMaker& make_backend, const ContractOptions& options) {
    auto setup = std::make_unique<Setup>();
    if (options.arrange) options.arrange(setup->host);
    setup->backend = make_backend(setup->host);
    if (!setup->backend) throw std::runtime_error("the factory returned no backend");
    return setup;
}

bool require(Check& check, const sdk::Result& result, const std::string& what) {
    if (!result.ok) check.fail(what + " failed: " + result.error);
    return result.ok;
}

void availability_runs_no_process(Setup& s, Check& check) {
    const auto before = snapshot(s.host);
    const auto availability = s.backend->is_service_available();
    for (const auto& call : s.host.calls()) check.fail("it ran " + sdk::shell_join(call.argv));
    for (const auto& change : changes(before, snapshot(s.host), true)) check.fail("it " + change);
    if (availability.reason.empty()) check.fail("it gave no reason");
}

void render_writes_nothing(Setup& s, Check& check, const sdk::ServiceSpec& spec) {
    const auto before = snapshot(s.host);
    const auto rendering = s.backend->render(spec);
    if (!rendering.error.empty()) check.fail("render() refused the spec: " + rendering.error);
    for (const auto& change : changes(before, snapshot(s.host), true)) check.fail("it " + change);
    if (rendering.files.empty() && rendering.commands.empty()) check.fail("it listed no file and no command");
}

void install_runs_what_render_listed(Setup& s, Check& check, const sdk::ServiceSpec& spec) {
    const auto rendering = s.backend->render(spec);
    const auto first_call = s.host.calls().size();
    const auto first_write = s.host.writes().size();
    if (!require(check, s.backend->install_service(spec), "install_service()")) return;
    // Each listed file written as listed (a file the manager took over, such
    // as a task's XML, may be gone again); what is on disk is what was listed.
    const auto& writes = s.host.writes();
    for (const auto& file : rendering.files) {
        auto last = writes.end();
        for (auto it = writes.begin() + static_cast<std::ptrdiff_t>(first_write); it != writes.end(); ++it)
            if (it->path == file.path) last = it;
        if (last == writes.end()) {
            check.fail("install did not write " + file.path.string());
            continue;
        }
        if (last->content != file.content) check.fail(file.path.string() + " differs from what render() listed");
        if ((last->mode & fs::perms::mask) != (file.mode & fs::perms::mask))
            check.fail(file.path.string() + " was written with another mode than render() listed");
        auto on_disk = s.host.read_file(file.path);
        if (on_disk && *on_disk != file.content) check.fail(file.path.string() + " changed after it was written");
    }
    const auto& calls = s.host.calls();
    auto next = calls.begin() + static_cast<std::ptrdiff_t>(first_call);
    for (const auto& command : rendering.commands) {
        while (next != calls.end() && next->argv != command) ++next;
        if (next == calls.end()) {
            check.fail("install did not run " + sdk::shell_join(command) + " (in the listed order)");
            break;
        }
        ++next;
    }
}

void uninstall_leaves_nothing(Setup& s, Check& check, const sdk::ServiceSpec& spec) {
    const auto before = snapshot(s.host);
    if (!require(check, s.backend->install_service(spec), "install_service()")) return;
    if (!s.backend->is_service_installed(spec)) check.fail("is_service_installed() says false after install");
    if (!require(check, s.backend->uninstall_service(spec), "uninstall_service()")) return;
    for (const auto& change : changes(before, snapshot(s.host), false)) check.fail("uninstall " + change);
    if (s.backend->is_service_installed(spec)) check.fail("is_service_installed() says true after uninstall");
    require(check, s.backend->uninstall_service(spec), "a second uninstall_service()");
}

void stop_stays_stopped(Setup& s, Check& check, const sdk::ServiceSpec& spec) {
    if (!require(check, s.backend->install_service(spec), "install_service()")) return;
    if (!require(check, s.backend->stop_service(spec), "stop_service()")) return;
    const auto status = s.backend->service_status(spec);
    if (status.state == sdk::ServiceState::running || status.state == sdk::ServiceState::starting)
        check.fail("service_status() says it runs after stop_service()");
    require(check, s.backend->stop_service(spec), "a second stop_service()");
}

using Step = void (*)(Setup&, Check&, const sdk::ServiceSpec&);

const std::vector<std::pair<std::string, Step>>& steps() {
    static const std::vector<std::pair<std::string, Step>> all = {
        {"availability runs no process",
         [](Setup& s, Check& c, const sdk::ServiceSpec&) { availability_runs_no_process(s, c); }},
        {"render writes nothing", render_writes_nothing},
        {"install runs what render listed", install_runs_what_render_listed},
        {"uninstall is repeatable and leaves nothing", uninstall_leaves_nothing},
        {"stop stays stopped", stop_stays_stopped},
    };
    return all;
}

// A skip must name a check and say why.
void check_skips(const ContractOptions& options, ContractReport& report) {
    const auto names = contract_check_names();
    for (const auto& [name, why] : options.skip) {
        if (std::find(names.begin(), names.end(), name) == names.end())
            report.failures.push_back("skip '" + name + "': there is no check of that name");
        else if (why.empty())
            report.failures.push_back("skip '" + name + "': no reason given");
    }
}

}  // namespace

std::string ContractReport::summary() const {
    std::string text;
    for (const auto& name : passed) text += "passed: " + name + "\n";
    for (const auto& failure : failures) text += "FAILED: " + failure + "\n";
    for (const auto& skipped : not_run) text += "not run: " + skipped + "\n";
    return text;
}

sdk::ServiceSpec contract_spec() {
    sdk::ServiceSpec spec;
    spec.name = "contract-check";
    spec.description = "ductor contract check";
    spec.argv = {
        "/bin/sh", "-c", "echo \"$1\" '$HOME' `id` \\ * %PATH%", "-dash", "", "it's", "caf\xC3\xA9 \xE6\x97\xA5"};
    spec.environment = {{"CONTRACT_VALUE", "a b 'c' \"d\" $e"}};
    return spec;
}

std::vector<std::string> contract_check_names() {
    std::vector<std::string> names;
    for (const auto& step : steps()) names.push_back(step.first);
    return names;
}

ContractReport check_backend_contract(const BackendMaker& make_backend, const ContractOptions& options) {
    const auto spec = options.spec.value_or(contract_spec());
    ContractReport report;
    check_skips(options, report);
    for (const auto& [name, step] : steps()) {
        bool skipped = false;
        for (const auto& [skip_name, why] : options.skip) {
            if (skip_name != name) continue;
            report.not_run.push_back(name + ": " + why);
            skipped = true;
        }
        if (skipped) continue;
        Check check(name, report);
        try {
            auto setup = set_up(make_backend, options);
            step(*setup, check, spec);
        } catch (const std::exception& e) {
            check.fail(std::string("exception: ") + e.what());
        } catch (...) {
            check.fail("an exception that is not a std::exception");
        }
        check.finish();
    }
    return report;
}

}  // namespace ductor::sdk_testing
