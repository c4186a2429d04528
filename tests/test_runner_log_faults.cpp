// The runner's log under faults: rotation that cannot rename, writes that
// fail part-way, a full disk. The writer must keep the runner responsive,
// keep whole lines, count what it drops and say so once. Real files; the
// full-disk and unremovable-file cases run `ductor run` in a private mount
// namespace (root or a user namespace), and are skipped where neither is
// allowed — a failure when CI=true.
#include <catch2/catch.hpp>

#include "run_ductor.hpp"
#include "runner_helpers.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/platform/process.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/runner/log_writer.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <memory>
#include <sstream>
#include <thread>

#include <sys/resource.h>

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

std::shared_ptr<runner::LogWriter> open_writer(const runner::LogSettings& settings) {
    auto opened = runner::LogWriter::open(settings);
    INFO((opened ? std::string() : opened.error()));
    REQUIRE(opened);
    std::shared_ptr<runner::LogWriter> writer = std::move(*opened);
    return writer;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

bool is_note(const std::string& line) { return line.find("Z ductor run: ") != std::string::npos; }

std::vector<std::string> notes_in(const std::string& text) {
    std::vector<std::string> notes;
    for (const auto& line : split_lines(text))
        if (is_note(line)) notes.push_back(line);
    return notes;
}

// Rotation renames svc.log to svc.log.1; a non-empty folder of that name
// makes the rename fail for root too (folder modes do not stop root).
void block_rotation(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir / "svc.log.1" / "in the way");
}

// Line `i` of a test stream, 100 bytes with the '\n'.
std::string numbered_line(unsigned long i) {
    char head[32];
    std::snprintf(head, sizeof head, "line %08lu ", i);
    std::string line = head;
    return line + std::string(99 - line.size(), 'x') + "\n";
}

// Runs `work` on a thread of its own; false when it has not returned within
// `limit`. A thread that never returns is left behind, so `work` must own
// (share) what it uses.
bool finishes_within(std::function<void()> work, std::chrono::seconds limit) {
    auto done = std::make_shared<std::promise<void>>();
    auto returned = done->get_future();
    std::thread([work = std::move(work), done] {
        work();
        done->set_value();
    }).detach();
    return returned.wait_for(limit) == std::future_status::ready;
}

// Lowers the soft file-size limit of this process for its lifetime: a write
// across it is short and the next fails with EFBIG (SIGXFSZ is ignored
// meanwhile). A real, partial write failure on any file system, for any user.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        ::getrlimit(RLIMIT_FSIZE, &m_old);
        m_old_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit lowered = m_old;
        lowered.rlim_cur = bytes;
        m_set = ::setrlimit(RLIMIT_FSIZE, &lowered) == 0;
    }
    ~FileSizeLimit() { lift(); }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;
    bool set() const { return m_set; }
    void lift() {
        if (!m_set) return;
        ::setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_old_handler);
        m_set = false;
    }

private:
    rlimit m_old{};
    void (*m_old_handler)(int) = SIG_DFL;
    bool m_set = false;
};

}  // namespace

TEST_CASE("a log that cannot be rotated takes 10 MB past its limit at once, with one note") {
    test::TempDir dir;
    block_rotation(dir.path());
    auto writer = open_writer(settings_in(dir.path(), 64U << 10U, 2));
    constexpr unsigned long k_lines = 100000;  // 10 MB
    bool returned = finishes_within(
        [writer] {
            std::string chunk;
            for (unsigned long i = 0; i < k_lines; ++i) {
                chunk += numbered_line(i);
                if (chunk.size() >= 65536 || i + 1 == k_lines) {  // the size the runner reads from a pipe
                    writer->write(Stream::out, chunk);
                    chunk.clear();
                }
            }
        },
        std::chrono::seconds(30));
    REQUIRE(returned);
    auto text = platform::read_file(runner::log_path(dir.path(), "svc")).value_or("");
    auto notes = notes_in(text);
    REQUIRE(notes.size() == 1);
    CHECK_THAT(notes[0], Catch::Contains("cannot rotate the log") && Catch::Contains("past the size limit"));
    unsigned long next = 0;
    for (const auto& line : split_lines(text))
        if (!is_note(line) && line + "\n" == numbered_line(next)) ++next;
    CHECK(next == k_lines);  // every line kept, in order
    CHECK(text.size() == k_lines * 100 + notes[0].size() + 1);
    CHECK_THAT(writer->problem(), Catch::Contains("cannot rotate the log: cannot rename"));
    CHECK(writer->dropped_lines() == 0);
}

TEST_CASE("once rotation works again the log says so and its problem clears") {
    test::TempDir dir;
    block_rotation(dir.path());
    auto settings = settings_in(dir.path(), 1024, 2);
    settings.retry_after = std::chrono::milliseconds(0);
    auto writer = open_writer(settings);
    for (unsigned long i = 0; i < 30; ++i) writer->write(Stream::out, numbered_line(i));
    REQUIRE_FALSE(writer->problem().empty());
    std::filesystem::remove_all(dir.path() / "svc.log.1");
    writer->write(Stream::out, numbered_line(30));
    CHECK(writer->problem().empty());
    auto rotated = platform::read_file(runner::rotated_log_path(dir.path(), "svc", 1)).value_or("");
    CHECK(split_lines(rotated).size() == 31);  // the 30 lines and the note that rotation failed
    auto current = split_lines(platform::read_file(runner::log_path(dir.path(), "svc")).value_or(""));
    REQUIRE(current.size() == 2);
    CHECK_THAT(current[0], Catch::Contains("log rotation works again after failing since"));
    CHECK(current[1] + "\n" == numbered_line(30));
}

TEST_CASE("a write that fails part-way is cut back to whole lines, and dropped lines are counted") {
    test::TempDir dir;
    auto settings = settings_in(dir.path(), 1U << 20U, 2);
    settings.retry_after = std::chrono::milliseconds(0);  // every write tries again
    auto writer = open_writer(settings);
    auto chunk_of_ten = [](unsigned long first) {
        std::string chunk;
        for (unsigned long i = first; i < first + 10; ++i) chunk += numbered_line(i);
        return chunk;
    };
    std::string problem;
    {
        FileSizeLimit limit(4050);  // four chunks of 1000 bytes fit, the fifth stops half-way
        REQUIRE(limit.set());
        for (unsigned long chunk = 0; chunk < 10; ++chunk) writer->write(Stream::out, chunk_of_ten(chunk * 10));
        problem = writer->problem();
    }
    auto text = platform::read_file(runner::log_path(dir.path(), "svc")).value_or("");
    CHECK(text.size() == 4000);  // not 4050: the torn part is gone
    CHECK(notes_in(text).empty());
    CHECK_THAT(problem, Catch::Contains("File too large") && Catch::Contains("61 lines dropped"));
    CHECK(writer->dropped_lines() == 61);  // six chunks and the note that said so
    writer->write(Stream::out, chunk_of_ten(100));
    CHECK(writer->problem().empty());
    auto lines = split_lines(platform::read_file(runner::log_path(dir.path(), "svc")).value_or(""));
    REQUIRE(lines.size() == 40 + 10 + 1);
    CHECK(lines[40] + "\n" == numbered_line(100));
    CHECK_THAT(lines[50], Catch::Contains("writing the log works again") && Catch::Contains("61 lines dropped"));
}

TEST_CASE("between retries a failing log drops lines untried, and its problem text stays put") {
    test::TempDir dir;
    auto writer = open_writer(settings_in(dir.path(), 1U << 20U, 2));  // retries after 10 s
    std::string first_problem;
    {
        FileSizeLimit limit(250);
        REQUIRE(limit.set());
        writer->write(Stream::out, numbered_line(0) + numbered_line(1));
        writer->write(Stream::out, numbered_line(2));  // short write: cut back, dropped
        first_problem = writer->problem();
        limit.lift();
        for (unsigned long i = 3; i < 100; ++i) writer->write(Stream::out, numbered_line(i));  // would fit now
    }
    CHECK_THAT(first_problem, Catch::Contains("dropping lines since") && Catch::Contains("retrying every 10 s"));
    CHECK(writer->problem() == first_problem);
    CHECK(writer->dropped_lines() == 1 + 1 + 97);  // line 2, the note, lines 3 to 99
    CHECK(platform::read_file(runner::log_path(dir.path(), "svc")) == numbered_line(0) + numbered_line(1));
}

TEST_CASE("ductor run stops on SIGTERM while its log cannot be rotated") {
    test::TempDir home;
    auto dir = home.path() / "logs";
    block_rotation(dir);
    auto flood = test::write_script(home.path(), "flood.sh", "i=0\nwhile :; do echo \"line $i\"; i=$((i+1)); done");
    test::Background runner(
        {"run", "--name", "svc", "--log-to", "file", "--log-size", "1K", "--log-files", "2", "--", flood.string()},
        test::runner_env(home.path()));
    bool blocked = test::wait_until(
        [&] {
            auto text = platform::read_file(runner::log_path(dir, "svc")).value_or("");
            return text.find("cannot rotate the log") != std::string::npos;
        },
        std::chrono::seconds(30));
    REQUIRE(blocked);
    REQUIRE(platform::send_signal(runner.pid(), platform::stop_signal_terminate(), platform::Target::process));
    auto code = runner.wait(std::chrono::seconds(30));
    INFO(runner.err());
    REQUIRE(code);
    CHECK(*code == 143);
    CHECK(notes_in(platform::read_file(runner::log_path(dir, "svc")).value_or("")).size() >= 2);  // and the signal's
}

namespace {

// The unshare options that give a shell a private mount namespace where it
// may mount a tmpfs on `probe`: as root, or else in a user namespace of its
// own (where the distribution allows those). nullopt and `why` otherwise.
std::optional<std::vector<std::string>> private_mount_options(const std::filesystem::path& probe, std::string& why) {
    auto unshare = platform::find_executable("unshare");
    if (!unshare) {
        why = "unshare (util-linux) is not installed";
        return std::nullopt;
    }
    std::filesystem::create_directories(probe);
    for (std::vector<std::string> options : {std::vector<std::string>{"--mount", "--propagation", "private"},
                                             {"--user", "--map-root-user", "--mount", "--propagation", "private"}}) {
        auto argv = options;
        argv.insert(argv.end(), {"sh", "-c", "mount -t tmpfs -o size=64k tmpfs \"$1\"", "sh", probe.string()});
        auto result = test::run_ductor(argv, {}, *unshare);
        if (result.exit_code == 0) return options;
        why += result.err;
    }
    why = "cannot mount a tmpfs in a private mount namespace (root or user namespaces needed): " + why;
    return std::nullopt;
}

// Runs `script` (sh, arguments $1...) in a private mount namespace; nullopt
// after a WARN when that is not possible here — a test failure when CI=true.
std::optional<sdk::ProcessResult> in_private_mounts(const test::TempDir& home, const std::string& script,
                                                    const std::vector<std::string>& args) {
    std::string why;
    auto argv = private_mount_options(home.path() / "probe", why);
    if (!argv) {
        const char* ci = std::getenv("CI");
        if (ci && std::string(ci) == "true") FAIL("CI expects private mounts: " << why);
        WARN("SKIPPED: " << why);
        return std::nullopt;
    }
    argv->insert(argv->end(), {"sh", "-c", script, "sh"});
    argv->insert(argv->end(), args.begin(), args.end());
    return test::run_ductor(*argv, test::runner_env(home.path()), *platform::find_executable("unshare"));
}

std::vector<std::string> runner_notes(const std::string& err) {
    std::vector<std::string> notes;
    for (const auto& line : split_lines(err))
        if (line.rfind("ductor run: ", 0) == 0) notes.push_back(line);
    return notes;
}

// The line line_burst writes as line `i` of `stream` (without '\n').
std::string burst_line(const std::string& stream, unsigned long i) {
    return stream + " " + std::to_string(i) + " " + std::string(i % 97, static_cast<char>('a' + i % 26));
}

// Counts the program's lines in `text`; each stream's must come in order.
unsigned long count_burst_lines(const std::string& text) {
    long last[2] = {-1, -1};
    unsigned long count = 0;
    for (const auto& line : split_lines(text)) {
        if (is_note(line)) continue;
        std::istringstream fields(line);
        std::string stream;
        long index = -1;
        fields >> stream >> index;
        auto& previous = last[stream == "out" ? 0 : 1];
        INFO("line: " << line);
        REQUIRE((stream == "out" || stream == "err"));
        REQUIRE(index > previous);
        REQUIRE(line == burst_line(stream, static_cast<unsigned long>(index)));
        previous = index;
        ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("ductor run on a full disk keeps whole lines, counts the dropped ones and says so") {
    test::TempDir home;
    auto dir = home.path() / "logs";
    std::filesystem::create_directories(dir);
    constexpr unsigned long k_per_stream = 10000;  // about 1 MB for a 256 KiB file system
    auto result =
        in_private_mounts(home,
                          "mount -t tmpfs -o size=256k tmpfs \"$1\" || exit 99\n"
                          "\"$2\" run --name full --log-dir \"$1\" --log-to file -- \"$3\" \"$4\"\n"
                          "code=$?\n"
                          "cat \"$1/full.log\"\n"
                          "exit $code\n",
                          {dir.string(), DUCTOR_TEST_EXE, DUCTOR_TEST_LINE_BURST, std::to_string(k_per_stream)});
    if (!result) return;
    INFO(result->err);
    REQUIRE(result->exit_code == 0);
    const auto& text = result->out;  // the log file, read inside the namespace
    REQUIRE_FALSE(text.empty());
    CHECK(text.back() == '\n');  // no torn line at the end
    auto kept = count_burst_lines(text);
    auto notes = runner_notes(result->err);
    REQUIRE(notes.size() >= 3);
    CHECK_THAT(result->err, Catch::Contains("No space left on device; dropping lines"));
    // The last note sums up; every line before it was kept or dropped.
    auto summary = notes.back();
    CHECK_THAT(summary,
               Catch::StartsWith("ductor run: in all, ") && Catch::EndsWith(" could not be written to the log"));
    auto dropped = std::stoul(summary.substr(std::string("ductor run: in all, ").size()));
    std::size_t notes_in_file = 0;  // before the summary, which may have been written too
    for (const auto& note : notes_in(text)) notes_in_file += note.find("ductor run: in all, ") == std::string::npos;
    CHECK(kept < 2 * k_per_stream);
    CHECK(dropped == 2 * k_per_stream - kept + (notes.size() - 1 - notes_in_file));
}

TEST_CASE("ductor run with one log file that cannot be removed keeps every line") {
    test::TempDir home;
    auto dir = home.path() / "logs";
    std::filesystem::create_directories(dir);
    constexpr unsigned long k_per_stream = 2000;
    // A file that is a mount point cannot be removed (EBUSY), for root too.
    auto result =
        in_private_mounts(home,
                          ": > \"$1/one.log\" && mount --bind \"$1/one.log\" \"$1/one.log\" || exit 99\n"
                          "\"$2\" run --name one --log-dir \"$1\" --log-to file --log-size 1K --log-files 1 "
                          "-- \"$3\" \"$4\"\n"
                          "code=$?\n"
                          "cat \"$1/one.log\"\n"
                          "exit $code\n",
                          {dir.string(), DUCTOR_TEST_EXE, DUCTOR_TEST_LINE_BURST, std::to_string(k_per_stream)});
    if (!result) return;
    INFO(result->err);
    REQUIRE(result->exit_code == 0);
    CHECK(count_burst_lines(result->out) == 2 * k_per_stream);
    auto notes = runner_notes(result->err);
    REQUIRE(notes.size() == 2);  // the rotation problem, once; the exit
    CHECK_THAT(notes[0], Catch::Contains("cannot rotate the log: cannot remove"));
}
