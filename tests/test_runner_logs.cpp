// The runner's log: whole lines, rotation by size, nothing lost; checked on
// real files, through the LogWriter and through the built `ductor run`.
#include <catch2/catch.hpp>

#include "run_ductor.hpp"
#include "runner_helpers.hpp"
#include "temp_dir.hpp"

#include <ductor/output/log_view.hpp>
#include <ductor/platform/files.hpp>
#include <ductor/runner/log_writer.hpp>

#include <atomic>
#include <sstream>
#include <thread>

using namespace ductor;
using platform::Stream;

namespace {

runner::LogSettings settings_in(const std::filesystem::path& dir, std::uint64_t max_bytes, unsigned max_files) {
    runner::LogSettings settings;
    settings.directory = dir;
    settings.name = "svc";
    settings.max_bytes = max_bytes;
    settings.max_files = max_files;
    settings.log_to = runner::LogTo::file;
    return settings;
}

std::unique_ptr<runner::LogWriter> open_writer(const runner::LogSettings& settings) {
    auto opened = runner::LogWriter::open(settings);
    INFO((opened ? std::string() : opened.error()));
    REQUIRE(opened);
    auto writer = std::move(*opened);
    return writer;
}

std::string all_logs(const std::filesystem::path& dir, const std::string& name) {
    std::string text;
    for (const auto& file : runner::log_files(dir, name)) text += platform::read_file(file).value_or("");
    return text;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The line line_burst writes as line `i` of `stream` (without '\n').
std::string burst_line(const std::string& stream, unsigned long i) {
    return stream + " " + std::to_string(i) + " " + std::string(i % 97, static_cast<char>('a' + i % 26));
}

}  // namespace

TEST_CASE("partial writes of two streams come out as whole lines") {
    test::TempDir dir;
    {
        auto writer = open_writer(settings_in(dir.path(), 1U << 20U, 5));
        writer->write(Stream::out, "hel");
        writer->write(Stream::err, "war");
        writer->write(Stream::out, "lo\nwor");
        writer->write(Stream::err, "ning\n");
        writer->write(Stream::out, "ld\n");
        writer->write(Stream::out, "no newline at the end");
    }
    CHECK(all_logs(dir.path(), "svc") == "hello\nwarning\nworld\nno newline at the end\n");
}

TEST_CASE("rotation keeps N files, .1 the newest, and never splits a line") {
    test::TempDir dir;
    {
        auto writer = open_writer(settings_in(dir.path(), 1024, 3));
        for (int i = 0; i < 200; ++i)
            writer->write(Stream::out, "line " + std::to_string(i) + " " + std::string(40, 'x') + "\n");
    }
    auto files = runner::log_files(dir.path(), "svc");
    REQUIRE(files.size() == 3);
    CHECK(files[0].filename() == "svc.log.2");
    CHECK(files[1].filename() == "svc.log.1");
    CHECK(files[2].filename() == "svc.log");
    CHECK_FALSE(std::filesystem::exists(dir.path() / "svc.log.3"));
    for (const auto& file : files) {
        auto text = platform::read_file(file).value_or("");
        CHECK(text.size() <= 1024);
        CHECK(text.back() == '\n');
        CHECK(text.rfind("line ", 0) == 0);
    }
    auto lines = split_lines(all_logs(dir.path(), "svc"));
    REQUIRE_FALSE(lines.empty());
    CHECK(lines.back() == "line 199 " + std::string(40, 'x'));
    for (std::size_t i = 1; i < lines.size(); ++i) {  // consecutive: the oldest ones were dropped whole
        CHECK(lines[i] == "line " + std::to_string(199 - (lines.size() - 1 - i)) + " " + std::string(40, 'x'));
    }
}

TEST_CASE("a line longer than the file limit gets a file of its own") {
    test::TempDir dir;
    {
        auto writer = open_writer(settings_in(dir.path(), 1024, 5));
        writer->write(Stream::out, "short\n" + std::string(3000, 'L') + "\nafter\n");
    }
    auto files = runner::log_files(dir.path(), "svc");
    REQUIRE(files.size() == 3);
    CHECK(platform::read_file(files[0]) == "short\n");
    CHECK(platform::read_file(files[1]) == std::string(3000, 'L') + "\n");
    CHECK(platform::read_file(files[2]) == "after\n");
}

TEST_CASE("a line longer than the line cap is cut into capped pieces") {
    test::TempDir dir;
    {
        auto writer = open_writer(settings_in(dir.path(), 64U << 20U, 2));
        std::string huge(runner::k_max_line * 2 + 10, 'h');
        for (std::size_t at = 0; at < huge.size(); at += 100000) writer->write(Stream::err, huge.substr(at, 100000));
        writer->write(Stream::err, "\n");
    }
    auto lines = split_lines(all_logs(dir.path(), "svc"));
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].size() == runner::k_max_line - 1);
    CHECK(lines[0].size() + lines[1].size() + lines[2].size() == runner::k_max_line * 2 + 10);
}

TEST_CASE("the runner's own notes are timestamped lines in the log") {
    test::TempDir dir;
    {
        auto writer = open_writer(settings_in(dir.path(), 1U << 20U, 2));
        writer->write(Stream::out, "partial");
        writer->note("restarting");
    }
    auto lines = split_lines(all_logs(dir.path(), "svc"));
    REQUIRE(lines.size() == 2);
    CHECK_THAT(lines[0], Catch::EndsWith("Z ductor run: restarting"));
    CHECK(lines[1] == "partial");
}

TEST_CASE("a burst of 200,000 lines through ductor run rotates and loses or tears none") {
    test::TempDir home;
    constexpr unsigned long k_per_stream = 100000;
    auto result = test::run_ductor({"run", "--name", "burst", "--log-to", "file", "--log-size", "1M", "--log-files",
                                    "100", "--", DUCTOR_TEST_LINE_BURST, std::to_string(k_per_stream)},
                                   test::runner_env(home.path()));
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    auto dir = home.path() / "logs";
    auto files = runner::log_files(dir, "burst");
    CHECK(files.size() >= 10);
    CHECK_FALSE(std::filesystem::exists(dir / "burst.log.100"));
    for (const auto& file : files) {
        auto size = std::filesystem::file_size(file);
        CHECK(size <= 1U << 20U);
        CHECK(platform::read_file(file).value_or("x").back() == '\n');
    }
    unsigned long next[2] = {0, 0};
    unsigned long bad = 0;
    for (const auto& line : split_lines(all_logs(dir, "burst"))) {
        if (line.rfind("out ", 0) == 0 && line == burst_line("out", next[0]))
            ++next[0];
        else if (line.rfind("err ", 0) == 0 && line == burst_line("err", next[1]))
            ++next[1];
        else if (line.find("ductor run: ") == std::string::npos && bad++ < 5)
            FAIL_CHECK("unexpected line: " << line);
    }
    CHECK(bad == 0);
    CHECK(next[0] == k_per_stream);
    CHECK(next[1] == k_per_stream);
}

TEST_CASE("following the log keeps going across rotations") {
    test::TempDir dir;
    auto writer = open_writer(settings_in(dir.path(), 4096, 10));
    writer->write(Stream::out, "before following\n");
    std::ostringstream seen;
    std::atomic<bool> keep{true};
    std::thread follower([&] {
        output::follow_file(
            runner::log_path(dir.path(), "svc"), seen, [&] { return keep.load(); }, std::chrono::milliseconds(5));
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::string expected;
    for (int batch = 0; batch < 16; ++batch) {  // about 1.1 KiB per batch: at most one rotation between polls
        std::string chunk;
        for (int i = 0; i < 50; ++i)
            chunk += "batch " + std::to_string(batch) + " line " + std::to_string(i) + " ....\n";
        expected += chunk;
        writer->write(Stream::out, chunk);
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    keep = false;
    follower.join();
    CHECK(std::filesystem::exists(runner::rotated_log_path(dir.path(), "svc", 3)));  // three rotations or more
    CHECK(seen.str() == expected);
}
