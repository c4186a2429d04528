// Linger through sdk::LingerControl (the fx-linger fixture): install explains
// it or enables it first, --dry-run shows the same, doctor reports it.
#include "run_ductor.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using ductor::test::run_ductor;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct LingerMachine {
    ductor::test::TempDir dir;
    fs::path home() const { return dir.path() / ".ductor"; }
    ductor::sdk::ProcessResult ductor(std::vector<std::string> args) const {
        const std::vector<std::string> fixture{"--plugin-dir", DUCTOR_TEST_FIXTURE_DIR, "--backend", "fx-linger"};
        args.insert(args.begin(), fixture.begin(), fixture.end());
        return run_ductor(args, {{"HOME", dir.path().string()},
                                 {"DUCTOR_HOME", home().string()},
                                 {"XDG_RUNTIME_DIR", (dir.path() / "no-runtime").string()}});
    }
    void mark(const std::string& name) const {
        fs::create_directories(home());
        std::ofstream(home() / name).put('\n');
    }
    bool has(const std::string& name) const { return fs::exists(home() / name); }
};

const std::string k_explanation = "fixture: linger is off, so services end at logout; run: fixturectl enable-linger";

}  // namespace

TEST_CASE("install explains linger that is off and enables nothing unless asked") {
    LingerMachine machine;
    auto preview = machine.ductor({"service", "install", "--name", "bot", "--dry-run", "--", "/bin/true"});
    CHECK(preview.exit_code == 0);
    CHECK(contains(preview.out, "# note: " + k_explanation));
    CHECK(contains(preview.out, "# commands, in order\nfixturectl enable bot\n"));

    auto installed = machine.ductor({"service", "install", "--name", "bot", "--", "/bin/true"});
    CHECK(installed.exit_code == 0);
    CHECK(contains(installed.out, "note: " + k_explanation));
    CHECK(machine.has("fixture-bot.installed"));
    CHECK_FALSE(machine.has("fixture-linger.on"));
    auto record = machine.ductor({"service", "install", "--name", "bot", "--dry-run", "--", "/bin/true"});
    CHECK(contains(record.out, "linger=report"));
}

TEST_CASE("install --enable-linger enables it before the install, and only when it is off") {
    LingerMachine machine;
    auto preview =
        machine.ductor({"service", "install", "--name", "bot", "--enable-linger", "--dry-run", "--", "/bin/true"});
    CHECK(preview.exit_code == 0);
    // The first of the install's commands, before the backend's own.
    CHECK(contains(preview.out, "# commands, in order\nfixturectl enable-linger\nfixturectl enable bot\n"));
    CHECK_FALSE(contains(preview.out, k_explanation));
    CHECK(contains(preview.out, "linger=enable"));
    CHECK_FALSE(machine.has("fixture-linger.on"));

    auto installed = machine.ductor({"service", "install", "--name", "bot", "--enable-linger", "--", "/bin/true"});
    CHECK(installed.exit_code == 0);
    CHECK(machine.has("fixture-linger.on"));
    CHECK(machine.has("fixture-bot.installed"));
    CHECK_FALSE(contains(installed.out, "note:"));

    // Linger on: nothing to show, explain or enable.
    auto again = machine.ductor({"service", "install", "--name", "bot2", "--dry-run", "--", "/bin/true"});
    CHECK_FALSE(contains(again.out, "linger is off"));
    CHECK_FALSE(contains(again.out, "fixturectl enable-linger"));
}

TEST_CASE("install --enable-linger that cannot enable it fails and installs nothing") {
    LingerMachine machine;
    machine.mark("fixture-linger.refuse");
    auto refused = machine.ductor({"service", "install", "--name", "bot", "--enable-linger", "--", "/bin/true"});
    CHECK(refused.exit_code == 1);
    CHECK(contains(refused.err, "fixture: enabling linger was refused"));
    CHECK(contains(refused.err, "note: fixture: ask an administrator"));
    CHECK_FALSE(machine.has("fixture-bot.installed"));
    CHECK_FALSE(fs::exists(machine.home() / "services" / "bot.record"));
}

TEST_CASE("doctor reports linger of a backend with LingerControl and adds --enable-linger to its advice") {
    LingerMachine machine;
    auto off = machine.ductor({"doctor"});
    CHECK(contains(off.out, "fx-linger: linger is off for "));
    CHECK(contains(off.out, "run: fixturectl enable-linger (or install with --enable-linger)"));
    CHECK(contains(off.out, "service install --plugin-dir"));
    CHECK(contains(off.out, "--backend fx-linger --enable-linger -- PROGRAM"));

    machine.mark("fixture-linger.on");
    auto on = machine.ductor({"doctor"});
    CHECK(contains(on.out, "fx-linger: linger is on for "));
    CHECK_FALSE(contains(on.out, "--enable-linger -- PROGRAM"));
}
