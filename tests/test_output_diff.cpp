// output::unified_diff: exact text for small cases, and random texts whose
// diff GNU patch applies back to the new text.
#include "temp_dir.hpp"

#include <ductor/output/diff.hpp>
#include <ductor/platform/files.hpp>
#include <ductor/platform/process.hpp>

#include <catch2/catch.hpp>

#include <random>

using namespace ductor;

TEST_CASE("diff of equal texts is empty") {
    CHECK(output::unified_diff("", "", "a", "b").empty());
    CHECK(output::unified_diff("x\ny\n", "x\ny\n", "a", "b").empty());
}

TEST_CASE("diff of one changed line shows it with its context") {
    CHECK(output::unified_diff("a\nb\nc\n", "a\nB\nc\n", "old", "new") ==
          "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
}

TEST_CASE("diff of a new file adds every line from an empty range") {
    CHECK(output::unified_diff("", "one\ntwo\n", "/dev/null", "f") ==
          "--- /dev/null\n+++ f\n@@ -0,0 +1,2 @@\n+one\n+two\n");
    CHECK(output::unified_diff("gone\n", "", "f", "f") == "--- f\n+++ f\n@@ -1 +0,0 @@\n-gone\n");
}

TEST_CASE("diff marks a last line without a line break") {
    CHECK(output::unified_diff("a\n", "a", "x", "y") ==
          "--- x\n+++ y\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n");
}

TEST_CASE("diff keeps changes far apart in separate hunks and near ones in one") {
    std::string before, far, near;
    for (int i = 1; i <= 20; ++i) before += std::to_string(i) + "\n";
    far = before;
    far.replace(far.find("2\n"), 2, "two\n");
    far.replace(far.find("19\n"), 3, "nineteen\n");
    auto two_hunks = output::unified_diff(before, far, "a", "b");
    CHECK(two_hunks ==
          "--- a\n+++ b\n@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n@@ -16,5 +16,5 @@\n 16\n 17\n 18\n"
          "-19\n+nineteen\n 20\n");
    near = before;
    near.replace(near.find("2\n"), 2, "two\n");
    near.replace(near.find("\n9\n") + 1, 2, "nine\n");
    auto one_hunk = output::unified_diff(before, near, "a", "b");
    CHECK(one_hunk.find("@@ -1,12 +1,12 @@") != std::string::npos);
    CHECK(one_hunk.find("@@", one_hunk.find("@@ -1,12") + 3) == one_hunk.find("@@ -1,12") + 15);
}

TEST_CASE("GNU patch turns the old text into the new one with every diff made of random texts") {
    test::TempDir dir;
    std::mt19937 random(20240518);
    auto text = [&random] {
        const char* words[] = {"a", "b", "c", "--env", "PATH=/usr/bin", "", "x y"};
        std::string out;
        auto lines = random() % 12;
        for (unsigned i = 0; i < lines; ++i) out += std::string(words[random() % 7]) + "\n";
        if (!out.empty() && random() % 4 == 0) out.pop_back();  // sometimes no last line break
        return out;
    };
    int applied = 0;
    for (int round = 0; round < 150; ++round) {
        const auto before = text(), after = text();
        const auto diff = output::unified_diff(before, after, "old", "new");
        if (before == after) {
            CHECK(diff.empty());
            continue;
        }
        REQUIRE(platform::write_file_atomic(dir.path() / "old", before, std::filesystem::perms(0644)));
        REQUIRE(platform::write_file_atomic(dir.path() / "d.diff", diff, std::filesystem::perms(0644)));
        sdk::ProcessRequest request;
        request.argv = {"patch",
                        "--quiet",
                        "--force",
                        "-o",
                        (dir.path() / "out").string(),
                        (dir.path() / "old").string(),
                        (dir.path() / "d.diff").string()};
        request.timeout = std::chrono::seconds(20);
        auto result = platform::run_captured(request);
        INFO("before:\n" << before << "\nafter:\n" << after << "\ndiff:\n" << diff << result.out << result.err);
        REQUIRE(result.exit_code == 0);
        CHECK(platform::read_file(dir.path() / "out").value_or("?") == after);
        ++applied;
    }
    CHECK(applied > 100);
}
