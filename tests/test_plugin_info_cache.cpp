// The plugin info cache: what an unchanged plugin file declared is not read
// again, a changed file is, and only what depends on the file alone is kept.
#include "fake_host.hpp"
#include "plugin_files.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/plugin/info_cache.hpp>
#include <ductor/plugin/probe.hpp>
#include <ductor/sdk/abi.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include <sys/stat.h>

namespace fs = std::filesystem;
using namespace ductor;

namespace {

std::optional<plugin::ProbeReport> cached(const fs::path& cache_file, const fs::path& plugin_file) {
    plugin::InfoCache cache(cache_file);
    auto fingerprint = platform::file_fingerprint(plugin_file);
    REQUIRE(fingerprint);
    plugin::ProbeReport report;
    if (!cache.find(test::candidate_for(plugin_file), *fingerprint, report)) return std::nullopt;
    return report;
}

// Copies of the fx_available fixture named d, a, c and b, in that order.
std::vector<fs::path> four_plugins(const fs::path& folder) {
    std::vector<fs::path> files;
    for (const char* name : {"d", "a", "c", "b"})
        files.push_back(test::place_plugin(folder, test::fixture_plugin("fx_available"), name));
    return files;
}

// One command that reads the info of `files` with the cache in `cache_file`, and saves it.
void probe_with_cache(const fs::path& cache_file, const std::vector<fs::path>& files) {
    test::FakeHost host;
    plugin::InfoCache cache(cache_file);
    std::vector<plugin::Candidate> candidates;
    for (const auto& file : files) candidates.push_back(test::candidate_for(file));
    plugin::probe(candidates, plugin::ProbeDepth::info, host, plugin::k_answer_timeout, &cache);
}

}  // namespace

TEST_CASE("the info cache answers for an unchanged plugin file and forgets it once the file changed") {
    test::TempDir dir;
    test::FakeHost host;
    const auto cache_file = dir.path() / "cache" / "plugin-info";
    const auto file = test::place_plugin(dir.path() / "plugins", test::fixture_plugin("fx_available"));
    {
        plugin::InfoCache cache(cache_file);
        auto reports = plugin::probe({test::candidate_for(file)}, plugin::ProbeDepth::info, host,
                                     plugin::k_answer_timeout, &cache);
        REQUIRE(reports.front().accepted);
    }
    auto known = cached(cache_file, file);
    REQUIRE(known);
    CHECK(known->accepted);
    CHECK(known->info->name == "fx-available");
    CHECK(known->candidate.file == file);
    CHECK(fs::status(cache_file).permissions() == (fs::perms::owner_read | fs::perms::owner_write));

    // Replaced by another plugin under the same name: asked again.
    fs::remove(file);
    fs::copy_file(test::fixture_plugin("fx_abi_major"), file);
    CHECK_FALSE(cached(cache_file, file));
    plugin::InfoCache cache(cache_file);
    auto reports =
        plugin::probe({test::candidate_for(file)}, plugin::ProbeDepth::info, host, plugin::k_answer_timeout, &cache);
    CHECK_FALSE(reports.front().accepted);
    CHECK(reports.front().failure ==
          "built for plugin ABI 99.0, this ductor speaks ABI " + std::to_string(DUCTOR_ABI_MAJOR) + ".x");
    // Replaced again, by a plugin that loads: its answer replaces the old line.
    fs::remove(file);
    fs::copy_file(test::fixture_plugin("fx_available_high"), file);
    {
        plugin::InfoCache replaced(cache_file);
        (void)plugin::probe({test::candidate_for(file)}, plugin::ProbeDepth::info, host, plugin::k_answer_timeout,
                            &replaced);
    }
    const auto text = platform::read_file(cache_file).value();
    const auto key = "\n" + file.string() + "\t";
    CHECK(text.find(key) != std::string::npos);
    CHECK(text.find(key) == text.rfind(key));
    auto again = cached(cache_file, file);
    REQUIRE(again);
    CHECK(again->info->name == "fx-high");
}

TEST_CASE("the info cache keeps the entries of files a command did not ask about, and answers for each") {
    test::TempDir dir;
    test::FakeHost host;
    const auto cache_file = dir.path() / "plugin-info";
    const auto first = test::place_plugin(dir.path() / "a", test::fixture_plugin("fx_available"));
    const auto second = test::place_plugin(dir.path() / "b\tc", test::fixture_plugin("fx_available_high"));
    for (const auto& file : {first, second}) {  // two commands, each asking about one file
        plugin::InfoCache cache(cache_file);
        plugin::probe({test::candidate_for(file)}, plugin::ProbeDepth::info, host, plugin::k_answer_timeout, &cache);
    }
    auto known_first = cached(cache_file, first);
    REQUIRE(known_first);
    CHECK(known_first->accepted);
    CHECK(known_first->info->name == "fx-available");
    auto known_second = cached(cache_file, second);
    REQUIRE(known_second);
    CHECK(known_second->accepted);
    CHECK(known_second->info->name == "fx-high");
    CHECK(known_second->candidate.file == second);
}

TEST_CASE("the info cache keeps no plugin that ended the child reading it") {
    test::TempDir dir;
    test::FakeHost host;
    const auto cache_file = dir.path() / "plugin-info";
    const auto good = test::fixture_plugin("fx_available");
    const auto bad = test::hostile_plugin("fx_exit_on_load");
    plugin::InfoCache cache(cache_file);
    auto reports = plugin::probe({test::candidate_for(bad), test::candidate_for(good)}, plugin::ProbeDepth::info, host,
                                 plugin::k_answer_timeout, &cache);
    CHECK(reports[0].failure == "ended the process with exit code 0 during loading");
    CHECK(reports[1].accepted);
    CHECK_FALSE(cached(cache_file, bad));
    CHECK(cached(cache_file, good));
}

TEST_CASE("a duplicate name is judged again by every command, not cached") {
    test::TempDir dir;
    test::FakeHost host;
    const auto cache_file = dir.path() / "plugin-info";
    const std::vector<plugin::Candidate> both{test::candidate_for(test::fixture_plugin("fx_available")),
                                              test::candidate_for(test::fixture_plugin("fx_duplicate_name"))};
    for (int round = 0; round < 2; ++round) {
        plugin::InfoCache cache(cache_file);
        auto reports = plugin::probe(both, plugin::ProbeDepth::info, host, plugin::k_answer_timeout, &cache);
        CHECK(reports[0].accepted);
        CHECK_FALSE(reports[1].accepted);
        CHECK_THAT(reports[1].failure, Catch::StartsWith("another plugin named 'fx-available'"));
    }
    auto alone = plugin::probe({both[1]}, plugin::ProbeDepth::info, host, plugin::k_answer_timeout, nullptr);
    plugin::InfoCache cache(cache_file);
    auto reports = plugin::probe({both[1]}, plugin::ProbeDepth::info, host, plugin::k_answer_timeout, &cache);
    CHECK(reports[0].accepted == alone[0].accepted);
    CHECK(reports[0].accepted);
}

TEST_CASE("an info cache that others may write, or that another ductor wrote, is not read") {
    test::TempDir dir;
    test::FakeHost host;
    const auto cache_file = test::private_folder(dir.path() / "c") / "plugin-info";
    const auto file = test::fixture_plugin("fx_available");
    {
        plugin::InfoCache cache(cache_file);
        (void)plugin::probe({test::candidate_for(file)}, plugin::ProbeDepth::info, host, plugin::k_answer_timeout,
                            &cache);
    }
    REQUIRE(cached(cache_file, file));
    fs::permissions(cache_file, fs::perms::others_write, fs::perm_options::add);
    CHECK_FALSE(cached(cache_file, file));
    fs::permissions(cache_file, fs::perms::others_write, fs::perm_options::remove);
    REQUIRE(cached(cache_file, file));

    auto text = platform::read_file(cache_file).value();
    text.replace(0, text.find('\n'), "ductor plugin info cache 1\t0.0.1\t1.0\tlibc++");
    std::ofstream(cache_file, std::ios::trunc) << text;
    CHECK_FALSE(cached(cache_file, file));
}

TEST_CASE("one cache answers for each of its plugins, asked in any order and more than once") {
    test::TempDir dir;
    const auto cache_file = dir.path() / "plugin-info";
    const auto files = four_plugins(dir.path() / "plugins");
    probe_with_cache(cache_file, files);
    plugin::InfoCache cache(cache_file);
    for (std::size_t i : {0U, 1U, 2U, 3U, 3U, 2U, 1U, 0U, 1U, 1U, 3U, 0U, 2U}) {
        const auto fingerprint = platform::file_fingerprint(files[i]);
        REQUIRE(fingerprint);
        plugin::ProbeReport known;
        known.availability = sdk::Availability{true, "from an earlier answer"};  // replaced, as all of it
        INFO(files[i].string());
        REQUIRE(cache.find(test::candidate_for(files[i]), *fingerprint, known));
        CHECK_FALSE(known.availability);
        CHECK(known.candidate.file == files[i]);
        REQUIRE(known.info);
        CHECK(known.info->name == "fx-available");
    }
    const auto missing = dir.path() / "plugins" / "e.so";
    plugin::ProbeReport untouched;
    untouched.failure = "as it was";
    CHECK_FALSE(cache.find(test::candidate_for(missing), platform::Fingerprint{}, untouched));
    CHECK_FALSE(cache.find(test::candidate_for(files[0]), platform::Fingerprint{}, untouched));  // changed
    CHECK(untouched.failure == "as it was");
    CHECK_FALSE(untouched.info);

    // What this command learned answers the same way.
    const auto fingerprint = platform::file_fingerprint(files[0]);
    REQUIRE(fingerprint);
    plugin::ProbeReport learned;
    learned.candidate = test::candidate_for(files[0]);
    learned.info = plugin::PluginInfo{"fx-learned", "1.0", "learned here", 5, 3, 0, "abi"};
    learned.accepted = true;
    cache.remember(learned, *fingerprint);
    CHECK_FALSE(cache.find(test::candidate_for(files[0]), platform::Fingerprint{}, untouched));
    CHECK(untouched.failure == "as it was");
    CHECK_FALSE(untouched.info);
    plugin::ProbeReport known;
    known.availability = sdk::Availability{true, "from an earlier answer"};
    REQUIRE(cache.find(test::candidate_for(files[0]), *fingerprint, known));
    REQUIRE(known.info);
    CHECK(known.info->name == "fx-learned");
    CHECK_FALSE(known.availability);
}

TEST_CASE("the info cache is written sorted by path, and a file in another order answers the same") {
    test::TempDir dir;
    const auto cache_file = dir.path() / "plugin-info";
    auto files = four_plugins(dir.path() / "plugins");
    files.push_back(test::place_plugin(dir.path() / "b\tc", test::fixture_plugin("fx_available_high")));
    // Two commands: the second learns of the files that sort last, and keeps the first one's lines.
    probe_with_cache(cache_file, {files[1], files[3], files[4]});
    probe_with_cache(cache_file, {files[0], files[2]});
    const auto text = platform::read_file(cache_file).value();
    std::vector<std::string> lines;
    for (std::size_t at = 0, end = 0; (end = text.find('\n', at)) != std::string::npos; at = end + 1)
        lines.push_back(text.substr(at, end - at));
    REQUIRE(lines.size() == files.size() + 1);  // the header, then one line per file
    auto path_of = [](const std::string& line) { return line.substr(0, line.find('\t')); };
    CHECK(std::is_sorted(lines.begin() + 1, lines.end(),
                         [&](const std::string& a, const std::string& b) { return path_of(a) < path_of(b); }));

    // The same lines in reverse order, many times, after a line for the second file that names
    // another plugin: of the lines with one path, the first in the file is the one that answers.
    std::string edited = lines.front() + "\n";
    auto first = lines[2];
    const auto name_at = first.find("fx-available");
    REQUIRE(name_at != std::string::npos);
    first.replace(name_at, std::string("fx-available").size(), "fx-first");
    edited += first + "\n";
    for (int copy = 0; copy < 20; ++copy)
        for (auto line = lines.rbegin(); line + 1 != lines.rend(); ++line) edited += *line + "\n";
    REQUIRE(platform::write_file_atomic(cache_file, edited, fs::perms::owner_read | fs::perms::owner_write));
    plugin::InfoCache cache(cache_file);
    for (const auto& file : files) {
        const auto fingerprint = platform::file_fingerprint(file);
        REQUIRE(fingerprint);
        plugin::ProbeReport known;
        INFO(file.string());
        REQUIRE(cache.find(test::candidate_for(file), *fingerprint, known));
        REQUIRE(known.info);
        const auto expected = file == fs::path(path_of(lines[2])) ? "fx-first"
                              : file == files.back()              ? "fx-high"
                                                                  : "fx-available";
        CHECK(known.info->name == expected);
    }
}
