#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <chrono>
#include <filesystem>
#include <future>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#endif

namespace fs = std::filesystem;
using namespace ductor;

namespace {
std::size_t entries_in(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}
}  // namespace

TEST_CASE("atomic write creates parents, sets the mode and leaves no temp file") {
    test::TempDir dir;
    auto target = dir.path() / "a" / "b" / "unit.service";
    auto result = platform::write_file_atomic(target, "hello\n", fs::perms(0640));
    REQUIRE(result);
    CHECK(platform::read_file(target) == "hello\n");
    CHECK((fs::status(target).permissions() & fs::perms::mask) == fs::perms(0640));
    CHECK(entries_in(target.parent_path()) == 1);
}

TEST_CASE("atomic write replaces an existing file in place") {
    test::TempDir dir;
    auto target = dir.path() / "f";
    REQUIRE(platform::write_file_atomic(target, "old", fs::perms(0644)));
    REQUIRE(platform::write_file_atomic(target, "new content", fs::perms(0600)));
    CHECK(platform::read_file(target) == "new content");
    CHECK((fs::status(target).permissions() & fs::perms::mask) == fs::perms(0600));
    CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("a failed atomic write reports why and leaves nothing behind") {
    test::TempDir dir;
    auto blocker = dir.path() / "not-a-folder";
    REQUIRE(platform::write_file_atomic(blocker, "x", fs::perms(0644)));
    auto result = platform::write_file_atomic(blocker / "child", "y", fs::perms(0644));
    CHECK_FALSE(result);
    CHECK(result.error().find("not-a-folder") != std::string::npos);
    CHECK(entries_in(dir.path()) == 1);
    // A folder where the file should be: rename fails, the temp file is removed.
    fs::create_directories(dir.path() / "is-a-folder" / "inner");
    auto over_dir = platform::write_file_atomic(dir.path() / "is-a-folder", "z", fs::perms(0644));
    CHECK_FALSE(over_dir);
    CHECK(entries_in(dir.path()) == 2);
}

TEST_CASE("removing a missing file succeeds; removing a folder fails with a reason") {
    test::TempDir dir;
    CHECK(platform::remove_file(dir.path() / "missing"));
    fs::create_directories(dir.path() / "sub" / "x");
    auto result = platform::remove_file(dir.path() / "sub");
    CHECK_FALSE(result);
    CHECK_FALSE(result.error().empty());
}

TEST_CASE("directory listing is sorted by name and empty for a missing folder") {
    test::TempDir dir;
    for (const char* name : {"b.so", "a.so", "c.txt"})
        REQUIRE(platform::write_file_atomic(dir.path() / name, "", fs::perms(0644)));
    auto entries = platform::list_directory(dir.path());
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].filename() == "a.so");
    CHECK(entries[2].filename() == "c.txt");
    CHECK(platform::list_directory(dir.path() / "missing").empty());
}

TEST_CASE("files with a suffix: sorted, with their stems, without folders or the bare suffix") {
    test::TempDir dir;
    for (const char* name : {"b.so", "a.b.so", "..so", ".so", "c.txt", "x.so.1", "so"})
        REQUIRE(platform::write_file_atomic(dir.path() / name, "", fs::perms(0644)));
    fs::create_directory(dir.path() / "folder.so");
    fs::create_directory_symlink(dir.path() / "folder.so", dir.path() / "to-folder.so");
    fs::create_symlink(dir.path() / "b.so", dir.path() / "to-file.so");
    fs::create_symlink(dir.path() / "missing", dir.path() / "dangling.so");
    std::vector<std::string> names, stems;
    for (const auto& file : platform::files_with_suffix(dir.path(), ".so")) {
        CHECK(fs::path(file.path).parent_path() == dir.path());
        names.push_back(fs::path(file.path).filename().string());
        CHECK(fs::path(file.path).filename().native() == file.name());
        stems.push_back(file.stem);
    }
    CHECK(names == std::vector<std::string>{"..so", "a.b.so", "b.so", "dangling.so", "to-file.so"});
    CHECK(stems == std::vector<std::string>{".", "a.b", "b", "dangling", "to-file"});
    CHECK(platform::files_with_suffix(dir.path() / "missing", ".so").empty());
    CHECK(platform::files_with_suffix(dir.path() / "b.so", ".so").empty());
}

TEST_CASE("file identity changes when a path is replaced by another file") {
    test::TempDir dir;
    auto path = dir.path() / "log";
    REQUIRE(platform::write_file_atomic(path, "1", fs::perms(0644)));
    auto before = platform::file_id(path);
    REQUIRE(before);
    fs::rename(path, dir.path() / "log.1");
    REQUIRE(platform::write_file_atomic(path, "2", fs::perms(0644)));
    CHECK_FALSE(*platform::file_id(path) == *before);
    CHECK(*platform::file_id(dir.path() / "log.1") == *before);
    CHECK_FALSE(platform::file_id(dir.path() / "nope"));
}

TEST_CASE("an atomic write removes the temp files a killed writer of the same file left") {
    test::TempDir dir;
    const auto target = dir.path() / "bot.service";
    for (const char* left : {".bot.service.tmp-AbC123", ".bot.service.tmp-zzzzzz"})
        REQUIRE(platform::write_file_atomic(dir.path() / left, "half", std::filesystem::perms(0600)));
    REQUIRE(platform::write_file_atomic(dir.path() / ".other.tmp-AbC123", "x", std::filesystem::perms(0600)));
    REQUIRE(platform::write_file_atomic(target, "whole\n", std::filesystem::perms(0644)));
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{".other.tmp-AbC123", "bot.service"});
}

TEST_CASE("a fingerprint's text reads back as the same fingerprint, and no other text reads as one") {
    std::minstd_rand random(20261203);
    auto any = [&random]() {
        const std::uint64_t high = random(), low = random();
        return (high << 32) ^ low ^ (static_cast<std::uint64_t>(random() % 4) << 62);
    };
    for (int round = 0; round < 2000; ++round) {
        platform::Fingerprint print{any(),
                                    any(),
                                    static_cast<std::int64_t>(any()),
                                    static_cast<std::int64_t>(any()),
                                    static_cast<std::int64_t>(any() % 1000000000),
                                    round % 2 == 0 ? -static_cast<std::int64_t>(any() % 100) : 0,
                                    static_cast<std::int64_t>(any() % 3)};
        if (round == 0) print = platform::Fingerprint{};
        if (round == 1) print = {UINT64_MAX, UINT64_MAX, INT64_MIN, INT64_MAX, INT64_MIN, INT64_MAX, INT64_MIN};
        const auto text = print.text();
        INFO(text);
        CHECK(platform::Fingerprint::from_text(text) == print);
    }
    CHECK(platform::Fingerprint{1, 2, 3, 4, 5, 6, 7}.text() == "1:2:3:4.5:6.7");
    CHECK(platform::Fingerprint::from_text("18446744073709551615:0:-9223372036854775808:0.0:-1.9223372036854775807") ==
          platform::Fingerprint{UINT64_MAX, 0, INT64_MIN, 0, 0, -1, INT64_MAX});
    // Any text that reads is the text of what it read: mutations of good texts either do not read
    // or read as exactly themselves.
    const std::string alphabet = "0123456789-+:. x";
    for (int round = 0; round < 20000; ++round) {
        auto text =
            platform::Fingerprint{
                any(), any() % 1000, static_cast<std::int64_t>(any() % 100000), static_cast<std::int64_t>(any()),
                5,     -3,           static_cast<std::int64_t>(any())}
                .text();
        for (auto edits = random() % 3 + 1; edits > 0; --edits) {
            const auto at = random() % (text.size() + 1);
            const char c = alphabet[random() % alphabet.size()];
            switch (random() % 3) {
                case 0: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c); break;
                case 1:
                    if (at < text.size()) text.erase(at, 1);
                    break;
                default:
                    if (at < text.size()) text[at] = c;
            }
        }
        const auto read = platform::Fingerprint::from_text(text);
        INFO(text);
        CHECK((!read || read->text() == text));
    }
    for (const char* other : {"",
                              "1:2:3:4.5:6",
                              "1:2:3:4.5:6.7:",
                              "1:2:3:4.5:6.7 ",
                              " 1:2:3:4.5:6.7",
                              "01:2:3:4.5:6.7",
                              "1:2:3:4.5:6.00",
                              "1:2:-0:4.5:6.7",
                              "+1:2:3:4.5:6.7",
                              "-1:2:3:4.5:6.7",
                              "1:2:3:4:5:6.7",
                              "1:2:3:4.5.6.7",
                              "1::3:4.5:6.7",
                              "18446744073709551616:2:3:4.5:6.7",
                              "1:2:9223372036854775808:4.5:6.7",
                              "1:2:3:4.5:6.7x",
                              "1:2:3:4.5:6.-",
                              "a:2:3:4.5:6.7",
                              "1:2:3:-9223372036854775809.5:6.7",
                              "1:2:3:4.5:6.-0",
                              "1:2:3:4.5:6.99999999999999999999",
                              "1:2:3:4.5:6.7-",
                              "1:2:3:4.5:6..7",
                              "1:2:3:4.05:6.7",
                              "1:2:3:4.5:6.0x7"}) {
        INFO(other);
        CHECK_FALSE(platform::Fingerprint::from_text(other));
    }
}

TEST_CASE("a file's fingerprint changes when it is rewritten or replaced, not when it is only read") {
    test::TempDir dir;
    const auto file = dir.path() / "plugin.so";
    REQUIRE(platform::write_file_atomic(file, "one\n", fs::perms(0644)));
    const auto first = platform::file_fingerprint(file);
    REQUIRE(first);
    CHECK(platform::read_file(file) == "one\n");
    CHECK(platform::file_fingerprint(file) == first);
    REQUIRE(platform::write_file_atomic(file, "two\n", fs::perms(0644)));  // a new file in its place
    const auto second = platform::file_fingerprint(file);
    REQUIRE(second);
    CHECK(second != first);
    CHECK_FALSE(platform::file_fingerprint(dir.path() / "missing.so"));
}

TEST_CASE("read_file reads a whole file of any size, and nothing from a folder or a missing file") {
    test::TempDir dir;
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{4095}, std::size_t{4096}, std::size_t{4097},
                             std::size_t{3} * 1024 * 1024 + 17}) {
        std::string text(size, 'x');
        for (std::size_t i = 0; i < size; i += 97) text[i] = static_cast<char>('a' + i % 26);
        const auto file = dir.path() / ("f" + std::to_string(size));
        REQUIRE(platform::write_file_atomic(file, text, fs::perms::owner_read | fs::perms::owner_write));
        INFO(size);
        CHECK(platform::read_file(file) == text);
    }
    CHECK_FALSE(platform::read_file(dir.path()));
    CHECK_FALSE(platform::read_file(dir.path() / "missing"));
#ifdef __linux__
    // A file whose size the system does not know beforehand is read to its end.
    const auto status = platform::read_file("/proc/self/status");
    REQUIRE(status);
    CHECK(status->find("\nPid:") != std::string::npos);
    CHECK(status->back() == '\n');
    // A pipe is read to its writer's end (as `--definition <(...)` hands one over).
    int ends[2];
    REQUIRE(::pipe(ends) == 0);
    REQUIRE(::write(ends[1], "abc\n", 4) == 4);
    ::close(ends[1]);
    CHECK(platform::read_file("/proc/self/fd/" + std::to_string(ends[0])) == "abc\n");
    ::close(ends[0]);
    // ... also while the writer is still writing: a megabyte, more than the pipe holds.
    REQUIRE(::pipe(ends) == 0);
    const std::string big(1024 * 1024, 'y');
    std::thread writer([&] {
        for (std::string_view left(big); !left.empty();) {
            const auto n = ::write(ends[1], left.data(), left.size());
            if (n <= 0) break;
            left.remove_prefix(static_cast<std::size_t>(n));
        }
        ::close(ends[1]);
    });
    const auto piped = platform::read_file("/proc/self/fd/" + std::to_string(ends[0]));
    char rest[65536];
    while (::read(ends[0], rest, sizeof rest) > 0) {
    }  // what a failed read left, so that the writer ends
    writer.join();
    ::close(ends[0]);
    CHECK(piped == big);

    // A terminal is read up to its end of file (Ctrl-D), as `--definition /dev/stdin` is.
    const int terminal = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(terminal >= 0);
    REQUIRE(::grantpt(terminal) == 0);
    REQUIRE(::unlockpt(terminal) == 0);
    const std::string follower = ::ptsname(terminal);
    REQUIRE(::write(terminal, "typed\n", 6) == 6);
    auto typed = std::async(std::launch::async, [&] { return platform::read_file(follower); });
    // Without the end of file the read waits (a reader that took "typed\n" for all of it would
    // have returned by now), then Ctrl-D ends it.
    CHECK(typed.wait_for(std::chrono::milliseconds(500)) == std::future_status::timeout);
    REQUIRE(::write(terminal, "\x04", 1) == 1);
    if (typed.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
        ::close(terminal);  // the read ends with an error, and the check below fails
        FAIL_CHECK("read_file did not return at the terminal's end of file");
    }
    CHECK(typed.get() == "typed\n");
    ::close(terminal);
#endif
#ifndef _WIN32
    // A named pipe nobody writes to reads as empty: the command goes on instead of hanging.
    const auto fifo = dir.path() / "fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto empty = std::async(std::launch::async, [&] { return platform::read_file(fifo); });
    if (empty.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
        const int unblock = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);  // lets a waiting open return
        FAIL_CHECK("read_file waited for a writer of a named pipe");
        if (unblock >= 0) ::close(unblock);
    }
    CHECK(empty.get() == "");
#endif
}
