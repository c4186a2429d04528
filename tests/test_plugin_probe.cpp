// Plugins asked in child processes: every way a plugin can end or block the
// asker is reported with the step it happened in, and the others still answer.
#include "fake_host.hpp"
#include "plugin_files.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/isolation.hpp>
#include <ductor/plugin/probe.hpp>
#include <ductor/sdk/abi.hpp>

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <thread>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace ductor;
using End = platform::IsolatedRun::End;

TEST_CASE("an isolated job's lines, exit, signal and silence are told apart") {
    std::vector<platform::IsolatedJob> jobs{
        [](platform::Channel& c) {
            c.send("one");
            c.send("two\nlines");
        },
        [](platform::Channel& c) {
            c.send("leaving");
            std::exit(3);
        },
        [](platform::Channel&) { std::raise(SIGSEGV); },
        [](platform::Channel& c) {
            c.send("waiting");
            for (;;) ::pause();
        },
        [](platform::Channel&) { ::_exit(0); },  // ends before its job returned: not "completed"
    };
    auto runs = platform::run_isolated(jobs, std::chrono::milliseconds(1500));
    REQUIRE(runs.size() == 5);
    CHECK(runs[0].end == End::completed);
    CHECK(runs[0].lines == std::vector<std::string>{"one", "two lines"});
    CHECK(runs[1].end == End::exited);
    CHECK(runs[1].code == 3);
    CHECK(runs[1].lines == std::vector<std::string>{"leaving"});
    CHECK(runs[2].end == End::signalled);
    CHECK(platform::signal_name(runs[2].code) == "SIGSEGV");
    CHECK(runs[3].end == End::timed_out);
    CHECK(runs[3].lines == std::vector<std::string>{"waiting"});
    CHECK(runs[4].end == End::exited);
    CHECK(runs[4].code == 0);
}

TEST_CASE("a child that keeps talking is not timed out") {
    platform::IsolatedJob job = [](platform::Channel& c) {
        for (int i = 0; i < 6; ++i) {
            c.send("tick");
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    };
    auto run = platform::run_isolated({job}, std::chrono::milliseconds(2000)).front();
    CHECK(run.end == End::completed);
    CHECK(run.lines.size() == 6);
}

TEST_CASE("probing names the step in which each hostile plugin crashed, exited or hung") {
    test::FakeHost host;
    std::vector<plugin::Candidate> candidates;
    const std::vector<std::pair<std::string, std::string>> expected{
        {"fx_segv_factory", "crashed with SIGSEGV during the plugin factory"},
        {"fx_abort_factory", "crashed with SIGABRT during the plugin factory"},
        {"fx_exit_factory", "ended the process with exit code 7 during the plugin factory"},
        {"fx_hang_factory", "did not answer within 5 s during the plugin factory"},
        {"fx_segv_available", "crashed with SIGSEGV during is_service_available()"},
        {"fx_abort_available", "crashed with SIGABRT during is_service_available()"},
        {"fx_exit_available", "ended the process with exit code 7 during is_service_available()"},
        {"fx_hang_available", "did not answer within 5 s during is_service_available()"},
        {"fx_exit_on_load", "ended the process with exit code 0 during loading"},
    };
    for (const auto& [stem, reason] : expected) candidates.push_back(test::candidate_for(test::hostile_plugin(stem)));
    candidates.push_back(test::candidate_for(test::fixture_plugin("fx_available")));
    auto reports = plugin::probe(candidates, plugin::ProbeDepth::availability, host);
    REQUIRE(reports.size() == expected.size() + 1);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO(expected[i].first);
        CHECK(reports[i].failure == expected[i].second);
        CHECK_FALSE(reports[i].availability);
    }
    CHECK(reports[1].info->name == "fx-abort-factory");  // what it declared before it crashed is kept
    CHECK_FALSE(reports[8].info);                        // it ended the process before it could declare anything
    const auto& good = reports.back();
    CHECK(good.failure.empty());
    REQUIRE(good.availability);
    CHECK(good.availability->available);
    CHECK(plugin::choose(reports, std::nullopt) == &good);
}

TEST_CASE("reading infos goes on after a plugin ended the child that read them") {
    test::FakeHost host;
    std::vector<plugin::Candidate> candidates{
        test::candidate_for(test::fixture_plugin("fx_available")),
        test::candidate_for(test::hostile_plugin("fx_exit_on_load")),
        test::candidate_for(test::fixture_plugin("fx_abi_major")),
        test::candidate_for(test::hostile_plugin("fx_segv_available")),  // only its info is read: harmless here
    };
    auto reports = plugin::probe(candidates, plugin::ProbeDepth::info, host);
    REQUIRE(reports.size() == 4);
    CHECK(reports[0].accepted);
    CHECK(reports[0].info->name == "fx-available");
    CHECK_FALSE(reports[1].accepted);
    CHECK(reports[1].failure == "ended the process with exit code 0 during loading");
    CHECK_FALSE(reports[2].accepted);
    CHECK(reports[2].failure ==
          "built for plugin ABI 99.0, this ductor speaks ABI " + std::to_string(DUCTOR_ABI_MAJOR) + ".x");
    CHECK(reports[3].accepted);
    CHECK(reports[3].info->name == "fx-segv-available");
    CHECK(host.log_lines().empty());  // no backend was created
}

TEST_CASE("a later plugin declaring a name already taken is refused by the probe") {
    test::FakeHost host;
    auto reports = plugin::probe({test::candidate_for(test::fixture_plugin("fx_available")),
                                  test::candidate_for(test::fixture_plugin("fx_duplicate_name"))},
                                 plugin::ProbeDepth::availability, host);
    CHECK(reports[0].failure.empty());
    CHECK(reports[1].failure ==
          "another plugin named 'fx-available' was found first at " + test::fixture_plugin("fx_available").string());
    CHECK(plugin::choose(reports, "fx-available") == &reports[0]);
    CHECK(plugin::choose(reports, "fx-nope") == nullptr);

    // The first of a name wins wherever the others stand, and other names are untouched.
    auto later = plugin::probe({test::candidate_for(test::fixture_plugin("fx_duplicate_name")),
                                test::candidate_for(test::fixture_plugin("fx_unavailable")),
                                test::candidate_for(test::fixture_plugin("fx_available"))},
                               plugin::ProbeDepth::info, host);
    CHECK(later[0].accepted);
    CHECK(later[1].accepted);
    CHECK_FALSE(later[2].accepted);
    CHECK(later[2].failure == "another plugin named 'fx-available' was found first at " +
                                  test::fixture_plugin("fx_duplicate_name").string());
}
