#include "temp_dir.hpp"

#include <ductor/output/log_view.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace ductor;
using namespace std::chrono_literals;

namespace {

void write(const fs::path& path, const std::string& text, std::ios::openmode mode = std::ios::trunc) {
    std::ofstream(path, std::ios::binary | mode) << text;
}

std::string numbered(int from, int to) {
    std::string text;
    for (int i = from; i <= to; ++i) text += "line " + std::to_string(i) + "\n";
    return text;
}

// A stream that other threads can read while follow_file writes into it.
class SafeStream : public std::stringbuf {
public:
    std::string snapshot() {
        std::lock_guard<std::mutex> lock(m_mutex);
        return str();
    }

protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        std::lock_guard<std::mutex> lock(m_mutex);
        return std::stringbuf::xsputn(s, n);
    }

private:
    std::mutex m_mutex;
};

}  // namespace

TEST_CASE("last lines span rotated files, oldest first") {
    test::TempDir dir;
    write(dir.path() / "s.log.2", numbered(1, 10));
    write(dir.path() / "s.log.1", numbered(11, 12));
    write(dir.path() / "s.log", numbered(13, 15));
    std::vector<fs::path> files = {dir.path() / "s.log.2", dir.path() / "s.log.1", dir.path() / "missing",
                                   dir.path() / "s.log"};
    auto lines = output::last_lines(files, 6);
    REQUIRE(lines.size() == 6);
    CHECK(lines.front() == "line 10\n");
    CHECK(lines.back() == "line 15\n");
    CHECK(output::last_lines(files, 100).size() == 15);
    CHECK(output::last_lines(files, 0).empty());
}

TEST_CASE("last lines read large files from the end") {
    test::TempDir dir;
    write(dir.path() / "big.log", numbered(1, 200000));
    auto lines = output::last_lines({dir.path() / "big.log"}, 3);
    CHECK(lines == std::vector<std::string>{"line 199998\n", "line 199999\n", "line 200000\n"});
}

TEST_CASE("a last line without a newline is kept") {
    test::TempDir dir;
    write(dir.path() / "a.log", "one\ntwo");
    CHECK(output::last_lines({dir.path() / "a.log"}, 5) == std::vector<std::string>{"one\n", "two"});
}

TEST_CASE("following prints appended lines and survives a rotation") {
    test::TempDir dir;
    auto log = dir.path() / "s.log";
    write(log, "old line, already shown\n");
    SafeStream buffer;
    std::ostream out(&buffer);
    std::atomic<bool> running{true};
    std::thread follower([&] {
        output::follow_file(
            log, out, [&] { return running.load(); }, 10ms);
    });
    auto wait_for = [&](const std::string& text) {
        for (int i = 0; i < 300 && buffer.snapshot().find(text) == std::string::npos; ++i)
            std::this_thread::sleep_for(10ms);
        return buffer.snapshot().find(text) != std::string::npos;
    };
    std::this_thread::sleep_for(50ms);
    write(log, "appended 1\n", std::ios::app);
    CHECK(wait_for("appended 1\n"));
    write(log, "last before rotation\n", std::ios::app);
    fs::rename(log, dir.path() / "s.log.1");
    write(log, "first after rotation\n");
    CHECK(wait_for("first after rotation\n"));
    write(log, "second after rotation\n", std::ios::app);
    CHECK(wait_for("second after rotation\n"));
    running = false;
    follower.join();
    CHECK(buffer.snapshot() == "appended 1\nlast before rotation\nfirst after rotation\nsecond after rotation\n");
}
