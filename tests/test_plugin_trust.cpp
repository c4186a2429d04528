// The trust rules, checked before a plugin file is loaded (plugin/trust.hpp).
#include "plugin_files.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/platform/ownership.hpp>
#include <ductor/plugin/trust.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace ductor;

namespace {

std::uint32_t me() { return *platform::effective_user_id(); }

// A plugin in <tmp>/plugins, everything private: trusted unless a test changes something.
fs::path good_plugin(const test::TempDir& tmp) {
    test::private_folder(tmp.path());
    return test::place_plugin(tmp.path() / "plugins", test::fixture_plugin("fx_available"));
}

std::string reason(const fs::path& file, std::optional<std::uint32_t> user = me()) {
    auto trusted = plugin::check_trusted(file, user);
    return trusted ? "trusted" : trusted.error();
}

}  // namespace

TEST_CASE("a plugin file in private folders is trusted, also below the sticky temp folder") {
    test::TempDir tmp;  // below /tmp: world-writable, but sticky and not the folder that holds the plugin
    CHECK(reason(good_plugin(tmp)) == "trusted");
}

TEST_CASE("a world-writable plugin folder is not trusted") {
    test::TempDir tmp;
    auto file = good_plugin(tmp);
    fs::permissions(file.parent_path(), fs::perms(0777));
    CHECK(reason(file) ==
          "not trusted: the folder " + file.parent_path().string() + " is writable by group and others (mode 0777)");
}

TEST_CASE("a sticky world-writable folder never holds plugins") {
    test::TempDir tmp;
    auto file = good_plugin(tmp);
    fs::permissions(file.parent_path(), fs::perms(01777));
    CHECK(reason(file) == "not trusted: the folder " + file.parent_path().string() +
                              " is writable by group and others (mode 1777); the sticky bit does not make a "
                              "plugin folder safe: anyone may add a file to it");
}

TEST_CASE("a folder above the plugin folder that others may write is not trusted unless sticky") {
    test::TempDir tmp;
    auto file = good_plugin(tmp);
    fs::permissions(tmp.path(), fs::perms(0757));
    CHECK(reason(file) == "not trusted: the folder " + tmp.path().string() + " is writable by others (mode 0757)");
    fs::permissions(tmp.path(), fs::perms(01777));
    CHECK(reason(file) == "trusted");
}

TEST_CASE("a world-writable or group-writable plugin file is not trusted") {
    test::TempDir tmp;
    auto file = good_plugin(tmp);
    fs::permissions(file, fs::perms(0757));
    CHECK(reason(file) == "not trusted: the file " + file.string() + " is writable by others (mode 0757)");
    fs::permissions(file, fs::perms(0775));
    CHECK(reason(file) == "not trusted: the file " + file.string() + " is writable by its group (mode 0775)");
}

TEST_CASE("a file owned by another user is not trusted, and root trusts only root's files") {
    test::TempDir tmp;
    auto file = good_plugin(tmp);
    const auto owner = me();
    // The rules for a user who owns none of these files ...
    const auto other = test::unused_uid();
    auto as_other = reason(file, other);
    if (owner == 0) {
        CHECK(as_other == "trusted");  // root's files are trusted by everyone
    } else {
        CHECK(as_other.rfind("not trusted: the folder ", 0) == 0);
        CHECK(as_other.find("is owned by " + platform::describe_user(owner) + ", not by root or " +
                            platform::describe_user(other)) != std::string::npos);
    }
    // ... and for root, when these files are a user's (root with a user's --plugin-dir).
    if (owner != 0) {
        CHECK(reason(file, 0u).find(", not by root (ductor runs as root)") != std::string::npos);
    } else {
        REQUIRE(::chown(file.parent_path().c_str(), static_cast<uid_t>(other), static_cast<gid_t>(-1)) == 0);
        CHECK(reason(file, 0u) == "not trusted: the folder " + file.parent_path().string() + " is owned by " +
                                      platform::describe_user(other) + ", not by root (ductor runs as root)");
        REQUIRE(::chown(file.parent_path().c_str(), 0, static_cast<gid_t>(-1)) == 0);
        REQUIRE(::chown(file.c_str(), static_cast<uid_t>(other), static_cast<gid_t>(-1)) == 0);
        CHECK(reason(file, 0u) == "not trusted: the file " + file.string() + " is owned by " +
                                      platform::describe_user(other) + ", not by root (ductor runs as root)");
        CHECK(reason(file, other) == "trusted");  // that user may load their own plugin
    }
}

TEST_CASE("a FIFO, a folder or a missing file named like a plugin is not trusted") {
    test::TempDir tmp;
    auto dir = test::private_folder(tmp.path() / "plugins");
    auto fifo = dir / ("fifo" + plugin::library_suffix());
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    CHECK(reason(fifo) == "not trusted: " + fifo.string() + " is a FIFO, not a regular file");  // and it did not block
    auto folder = test::private_folder(dir / ("folder" + plugin::library_suffix()));
    CHECK(reason(folder) == "not trusted: " + folder.string() + " is a folder, not a regular file");
    CHECK(reason(dir / "missing.so") == "not trusted: " + (dir / "missing.so").string() + " does not exist");
}

TEST_CASE("a symlink is judged by its target and by the folders on the way") {
    test::TempDir tmp;
    auto file = good_plugin(tmp);
    auto links = test::private_folder(tmp.path() / "links");
    fs::create_symlink(file, links / "good.so");
    CHECK(reason(links / "good.so") == "trusted");
    fs::create_symlink("../plugins/" + file.filename().string(), links / "relative.so");
    CHECK(reason(links / "relative.so") == "trusted");

    auto open_dir = test::private_folder(tmp.path() / "open");
    auto exposed = test::place_plugin(open_dir, test::fixture_plugin("fx_available"));
    fs::permissions(open_dir, fs::perms(0777));
    fs::create_symlink(exposed, links / "exposed.so");
    CHECK(reason(links / "exposed.so") ==
          "not trusted: the folder " + open_dir.string() + " is writable by group and others (mode 0777)");

    fs::create_symlink(links / "loop-b.so", links / "loop-a.so");
    fs::create_symlink(links / "loop-a.so", links / "loop-b.so");
    CHECK(reason(links / "loop-a.so") ==
          "not trusted: too many symbolic links on the way to " + (links / "loop-a.so").string());
    fs::create_symlink(tmp.path() / "nowhere.so", links / "dangling.so");
    CHECK(reason(links / "dangling.so") == "not trusted: " + (tmp.path() / "nowhere.so").string() + " does not exist");
}

TEST_CASE("a symlink that another user owns is not followed") {
    if (!test::can_chown()) {
        if (std::getenv("CI") && std::string(std::getenv("CI")) == "true") FAIL("CI runs as root and can chown");
        WARN("SKIPPED: only root can give a symlink to another user");
        return;
    }
    test::TempDir tmp;
    auto file = good_plugin(tmp);
    auto links = test::private_folder(tmp.path() / "links");
    fs::create_symlink(file, links / "theirs.so");
    const auto other = test::unused_uid();
    REQUIRE(::lchown((links / "theirs.so").c_str(), static_cast<uid_t>(other), static_cast<gid_t>(-1)) == 0);
    CHECK(reason(links / "theirs.so") == "not trusted: the symlink " + (links / "theirs.so").string() +
                                             " is owned by " + platform::describe_user(other) +
                                             ", not by root (ductor runs as root)");
}

TEST_CASE("judging many files at once gives each file the verdict and fingerprint it gets alone, in any order") {
    // The shared walk starts a file in a folder it walked before from that folder's verdict; the
    // paths below go through symlinks, "..", "//", refused folders and odd entries in shared folders.
    test::TempDir tmp;
    auto file = good_plugin(tmp);
    const auto plugins = file.parent_path();
    test::place_plugin(plugins, test::fixture_plugin("fx_available_high"));
    auto links = test::private_folder(tmp.path() / "links");
    fs::create_symlink(file, links / "absolute.so");
    fs::create_symlink("../plugins/" + file.filename().string(), links / "relative.so");
    fs::create_symlink(plugins, links / "folder");
    fs::create_symlink(tmp.path() / "nowhere.so", links / "dangling.so");
    auto open_dir = test::private_folder(tmp.path() / "open");
    test::place_plugin(open_dir, test::fixture_plugin("fx_available"));
    fs::permissions(open_dir, fs::perms(0777));
    fs::create_symlink(open_dir / file.filename(), links / "exposed.so");
    auto writable =
        test::place_plugin(test::private_folder(tmp.path() / "loose"), test::fixture_plugin("fx_available"));
    fs::permissions(writable, fs::perms(0666));
    REQUIRE(::mkfifo((plugins / "fifo.so").c_str(), 0644) == 0);
    test::private_folder(plugins / "sub.so");

    const std::string name = file.filename().string();
    const std::vector<fs::path> paths = {
        file,
        plugins / ("fx_available_high" + plugin::library_suffix()),
        plugins / "missing.so",
        plugins / "fifo.so",
        plugins / "sub.so",
        plugins / "sub.so" / ".." / name,
        fs::path(plugins.string() + "//" + name),
        plugins / "." / name,
        links / "absolute.so",
        links / "relative.so",
        links / "folder" / name,
        links / "folder" / ".." / "plugins" / name,
        links / "dangling.so",
        links / "exposed.so",
        open_dir / name,
        open_dir / "missing.so",
        writable,
        fs::path(plugins.string() + "/"),
    };
    std::vector<std::string> alone;
    for (const auto& path : paths) alone.push_back(reason(path));
    CHECK(alone[0] == "trusted");
    CHECK(alone[13] != "trusted");

    std::vector<std::size_t> order(paths.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::minstd_rand random(20261203);
    for (int round = 0; round < 50; ++round) {
        std::shuffle(order.begin(), order.end(), random);
        std::vector<const fs::path::string_type*> files;
        for (auto i : order) files.push_back(&paths[i].native());
        const auto verdicts = plugin::check_all_trusted(files);
        REQUIRE(verdicts.size() == files.size());
        for (std::size_t k = 0; k < files.size(); ++k) {
            const fs::path path = *files[k];
            INFO(path.string() << " in round " << round);
            CHECK((verdicts[k] ? "trusted" : verdicts[k].error()) == alone[order[k]]);
            if (verdicts[k]) CHECK(verdicts[k]->fingerprint == platform::file_fingerprint(path));
        }
    }
}
