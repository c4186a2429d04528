// Broken, foreign and hostile plugin files against the real ductor binary.
// Each case puts one such file in a folder of its own next to a folder with a
// well-behaved plugin (fx-available) and checks the exact outcome of
//   - `ductor plugins`: the file is named with the reason, the others are
//     still listed and fx-available is selected;
//   - `ductor --backend fx-available service status --json`: the file is
//     never touched (not even loaded for the hostile ones' factories);
//   - the automatic choice (`service status` without --backend): a file
//     refused before its backend exists is skipped silently; one whose
//     backend crashes, exits or hangs in ductor's own process ends the
//     command with exit 1 and a message naming it.
#include "plugin_files.hpp"
#include "run_ductor.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace ductor;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class Case {
public:
    Case() {
        test::private_folder(m_tmp.path());
        test::place_plugin(m_tmp.path() / "good", test::fixture_plugin("fx_available"));
        test::private_folder(m_tmp.path() / "bad");
        test::private_folder(m_tmp.path() / "home");
    }
    fs::path bad_dir() const { return m_tmp.path() / "bad"; }
    fs::path add(const fs::path& file) const { return test::place_plugin(bad_dir(), file); }

    sdk::ProcessResult run(std::vector<std::string> args) const {
        args.insert(args.begin(),
                    {"--plugin-dir", (m_tmp.path() / "good").string(), "--plugin-dir", bad_dir().string()});
        return test::run_ductor(args, {{"HOME", (m_tmp.path() / "home").string()},
                                       {"XDG_RUNTIME_DIR", (m_tmp.path() / "no-runtime").string()}});
    }

    // `ductor plugins` lists `file` as not loaded with exactly `reason`, and still selects fx-available.
    void check_listed(const std::string& name, const fs::path& file, const std::string& reason) const {
        auto result = run({"plugins"});
        INFO(result.out << result.err);
        CHECK(result.exit_code == 0);
        CHECK(result.err.empty());
        CHECK(contains(result.out, "  " + name + "  not loaded\n      " + file.string() + "\n      " + reason + "\n"));
        CHECK(contains(result.out, "* fx-available 9.9.9  ABI "));
        CHECK(contains(result.out, "standalone 0.1.0"));  // the plugins beside the executable are still listed
        CHECK(contains(result.out, "\nSelected: fx-available\n"));
    }

    // A service command that forces another backend is unaffected.
    void check_forced_elsewhere() const {
        auto result = run({"--backend", "fx-available", "service", "status", "--json"});
        INFO(result.out << result.err);
        CHECK(result.exit_code == 4);
        CHECK(result.err.empty());
        CHECK(contains(result.out, "\"backend\": \"fx-available\""));
        CHECK(contains(result.out, "\"state\": \"not-installed\""));
    }

    // The automatic choice skips the file: fx-available answers.
    void check_automatic_skips() const {
        auto result = run({"service", "status", "--json"});
        INFO(result.out << result.err);
        CHECK(result.exit_code == 4);
        CHECK(result.err.empty());
        CHECK(contains(result.out, "\"backend\": \"fx-available\""));
    }

    // The automatic choice asks the plugin (priority 500) first, in ductor's process: named, exit 1.
    void check_automatic_ends(const std::string& name, const fs::path& file, const std::string& what) const {
        auto result = run({"service", "status", "--json"});
        CHECK(result.exit_code == 1);
        CHECK(result.out.empty());
        CHECK(result.err == "ductor: error: the plugin '" + name + "' (" + file.string() + ") " + what +
                                "; move it out of the plugin folders, or choose another backend with --backend NAME\n");
    }

private:
    test::TempDir m_tmp;
};

// A plugin that misbehaves once its backend is created or asked: `listed` is
// what the probe says, `in_process` what ends the command (the same, except
// that exit() is caught as a call there).
void check_hostile(const std::string& stem, const std::string& listed, const std::string& in_process = {}) {
    Case c;
    auto file = c.add(test::hostile_plugin(stem));
    std::string name = stem;
    for (auto& ch : name) ch = ch == '_' ? '-' : ch;
    c.check_listed(name, file, listed);
    c.check_forced_elsewhere();
    c.check_automatic_ends(name, file, in_process.empty() ? listed : in_process);
}

}  // namespace

TEST_CASE("a world-writable plugin folder is refused by every command") {
    Case c;
    auto file = c.add(test::fixture_plugin("fx_available_high"));
    fs::permissions(c.bad_dir(), fs::perms(0777));
    c.check_listed("fx_available_high", file,
                   "not trusted: the folder " + c.bad_dir().string() + " is writable by group and others (mode 0777)");
    c.check_forced_elsewhere();
    c.check_automatic_skips();  // fx-high (priority 90) would win if it were loaded
}

TEST_CASE("a world-writable plugin file is refused by every command") {
    Case c;
    auto file = c.add(test::fixture_plugin("fx_available_high"));
    fs::permissions(file, fs::perms(0666));
    c.check_listed("fx_available_high", file,
                   "not trusted: the file " + file.string() + " is writable by group and others (mode 0666)");
    c.check_forced_elsewhere();
    c.check_automatic_skips();
}

TEST_CASE("a plugin file owned by another user is refused by every command") {
    if (!test::can_chown()) {
        if (const char* ci = std::getenv("CI"); ci && std::string(ci) == "true") FAIL("CI runs as root and can chown");
        WARN("SKIPPED: only root can give a file to another user");
        return;
    }
    Case c;
    auto file = c.add(test::fixture_plugin("fx_available_high"));
    const auto other = test::unused_uid();
    REQUIRE(::chown(file.c_str(), static_cast<uid_t>(other), static_cast<gid_t>(-1)) == 0);
    c.check_listed("fx_available_high", file,
                   "not trusted: the file " + file.string() + " is owned by uid " + std::to_string(other) +
                       " (no such user), not by root (ductor runs as root)");
    c.check_forced_elsewhere();
    c.check_automatic_skips();
}

TEST_CASE("a FIFO named like a plugin is refused without being opened") {
    Case c;
    auto fifo = c.bad_dir() / ("fifo" + plugin::library_suffix());
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    c.check_listed("fifo", fifo, "not trusted: " + fifo.string() + " is a FIFO, not a regular file");
    c.check_forced_elsewhere();
    c.check_automatic_skips();
}

TEST_CASE("a plugin whose factory crashes is named, not fatal") {
    check_hostile("fx_segv_factory", "crashed with SIGSEGV during the plugin factory");
}

TEST_CASE("a plugin whose factory aborts is named, not fatal") {
    check_hostile("fx_abort_factory", "crashed with SIGABRT during the plugin factory");
}

TEST_CASE("a plugin whose factory calls exit is named, not a silent exit") {
    check_hostile("fx_exit_factory", "ended the process with exit code 7 during the plugin factory",
                  "called exit() during the plugin factory");
}

TEST_CASE("a plugin whose factory never returns is named after the timeout") {
    check_hostile("fx_hang_factory", "did not answer within 5 s during the plugin factory");
}

TEST_CASE("a plugin whose is_service_available crashes is named, not fatal") {
    check_hostile("fx_segv_available", "crashed with SIGSEGV during is_service_available()");
}

TEST_CASE("a plugin whose is_service_available aborts is named, not fatal") {
    check_hostile("fx_abort_available", "crashed with SIGABRT during is_service_available()");
}

TEST_CASE("a plugin whose is_service_available calls exit is named, not a silent exit") {
    check_hostile("fx_exit_available", "ended the process with exit code 7 during is_service_available()",
                  "called exit() during is_service_available()");
}

TEST_CASE("a plugin whose is_service_available never returns is named after the timeout") {
    check_hostile("fx_hang_available", "did not answer within 5 s during is_service_available()");
}

TEST_CASE("a plugin whose constructor calls _exit(0) is named and skipped, never a silent success") {
    Case c;
    auto file = c.add(test::hostile_plugin("fx_exit_on_load"));
    c.check_listed("fx_exit_on_load", file, "ended the process with exit code 0 during loading");
    c.check_forced_elsewhere();
    c.check_automatic_skips();
}

#if defined(__GLIBCXX__) && _GLIBCXX_USE_CXX11_ABI
TEST_CASE("a plugin built with the other libstdc++ string ABI is refused from its info") {
    Case c;
    auto file = c.add(test::hostile_plugin("fx_old_abi"));
    c.check_listed("fx-old-abi", file,
                   "built with libstdc++, old string ABI (_GLIBCXX_USE_CXX11_ABI=0); this ductor uses libstdc++, "
                   "C++11 ABI (rebuild the plugin with the same standard library and ABI settings)");
    c.check_forced_elsewhere();
    c.check_automatic_skips();
}
#endif

TEST_CASE("ductor plugins --json reports a crashed plugin with its reason") {
    Case c;
    auto file = c.add(test::hostile_plugin("fx_segv_available"));
    auto result = c.run({"plugins", "--json"});
    CHECK(result.exit_code == 0);
    CHECK(contains(result.out, "\"selected\": \"fx-available\""));
    CHECK(contains(result.out, "\"isolated\": true"));
    CHECK(contains(result.out, "\"name\": \"fx-segv-available\",\n      \"path\": \"" + file.string() + "\""));
    CHECK(contains(result.out, "\"reason\": \"crashed with SIGSEGV during is_service_available()\""));
}
