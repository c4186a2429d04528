// Search order, shadowing, duplicates, priority, --backend, and loading only
// as far as a command needs.
#include "fake_host.hpp"
#include "plugin_files.hpp"
#include "run_ductor.hpp"
#include "temp_dir.hpp"

#include <ductor/plugin/registry.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include <dlfcn.h>

namespace fs = std::filesystem;
using namespace ductor;

namespace {

// Copies a fixture into `dir` (private), optionally under another file name.
void place(const fs::path& dir, const std::string& stem, const std::string& as = {}) {
    test::place_plugin(dir, test::fixture_plugin(stem), as);
}

plugin::SearchPath dirs(std::initializer_list<fs::path> folders) {
    plugin::SearchPath path;
    for (const auto& folder : folders) path.dirs.push_back({folder, plugin::Origin::command_line});
    return path;
}

// Whether this process has loaded `file` (RTLD_NOLOAD loads nothing).
bool loaded_here(const fs::path& file) {
    void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (handle != nullptr) ::dlclose(handle);
    return handle != nullptr;
}

// The backends a FakeHost saw created, in order (the fixture logs "fixture created NAME").
std::vector<std::string> created(const test::FakeHost& host) {
    std::vector<std::string> names;
    for (const auto& [level, text] : host.log_lines()) {
        if (text.rfind("fixture created ", 0) == 0) names.push_back(text.substr(16));
    }
    return names;
}

}  // namespace

TEST_CASE("search path order: --plugin-dir, DUCTOR_PLUGIN_PATH, beside the executable, system") {
    test::TempDir tmp;
    for (const char* d : {"a", "b", "one", "two"}) fs::create_directories(tmp.path() / d);
    plugin::SearchInputs in;
    in.plugin_dirs = {tmp.path() / "a", tmp.path() / "b"};
    in.env_path = (tmp.path() / "one").string() + ":" + (tmp.path() / "two").string();
    in.executable = "/usr/local/bin/ductor";
    in.system_dir = "/usr/lib/ductor/plugins";
    auto path = plugin::build_search_path(in);
    std::vector<std::string> got;
    for (const auto& d : path.dirs)
        got.push_back(d.path.lexically_relative(tmp.path()).string() + "|" + plugin::to_string(d.origin));
    CHECK(got == std::vector<std::string>{"a|--plugin-dir", "b|--plugin-dir", "one|DUCTOR_PLUGIN_PATH",
                                          "two|DUCTOR_PLUGIN_PATH",
                                          "../../usr/local/lib/ductor/plugins|beside the executable",
                                          "../../usr/lib/ductor/plugins|system"});
    CHECK(path.warnings.empty());
    CHECK(path.errors.empty());
}

TEST_CASE("the folder beside the executable follows the install's libdir, and equals the system folder there") {
    plugin::SearchInputs in;
    in.executable = "/usr/bin/ductor";
    in.beside_executable = "../lib/x86_64-linux-gnu/ductor/plugins";  // CMAKE_INSTALL_LIBDIR on Debian, prefix /usr
    in.system_dir = "/usr/lib/x86_64-linux-gnu/ductor/plugins";
    auto path = plugin::build_search_path(in);
    REQUIRE(path.dirs.size() == 1);  // one folder, searched once
    CHECK(path.dirs[0].path == fs::path("/usr/lib/x86_64-linux-gnu/ductor/plugins"));
    CHECK(path.dirs[0].origin == plugin::Origin::beside_executable);
    in.executable = "/opt/ductor/bin/ductor";  // the same tree, moved: found from the executable
    auto moved = plugin::build_search_path(in);
    REQUIRE(moved.dirs.size() == 2);
    CHECK(moved.dirs[0].path == fs::path("/opt/ductor/lib/x86_64-linux-gnu/ductor/plugins"));
}

TEST_CASE("an empty, missing or non-folder --plugin-dir is an error") {
    test::TempDir tmp;
    std::ofstream(tmp.path() / "file") << "x";
    plugin::SearchInputs in;
    in.plugin_dirs = {"", tmp.path() / "missing", tmp.path() / "file", tmp.path()};
    auto path = plugin::build_search_path(in);
    CHECK(path.errors ==
          std::vector<std::string>{"--plugin-dir: the folder name is empty",
                                   "--plugin-dir '" + (tmp.path() / "missing").string() + "': no such folder",
                                   "--plugin-dir '" + (tmp.path() / "file").string() + "': not a folder"});
    REQUIRE(path.dirs.size() == 1);
    CHECK(path.dirs[0].path == tmp.path());
}

TEST_CASE("empty, missing or non-folder DUCTOR_PLUGIN_PATH entries are skipped with a warning") {
    test::TempDir tmp;
    std::ofstream(tmp.path() / "file") << "x";
    plugin::SearchInputs in;
    in.env_path = tmp.path().string() + "::" + (tmp.path() / "missing").string() + ":" + (tmp.path() / "file").string();
    auto path = plugin::build_search_path(in);
    CHECK(path.errors.empty());
    CHECK(path.warnings ==
          std::vector<std::string>{
              "DUCTOR_PLUGIN_PATH: ignoring an empty entry (the current directory is never searched)",
              "DUCTOR_PLUGIN_PATH: ignoring '" + (tmp.path() / "missing").string() + "': no such folder",
              "DUCTOR_PLUGIN_PATH: ignoring '" + (tmp.path() / "file").string() + "': not a folder"});
    REQUIRE(path.dirs.size() == 1);
    in.env_path = "";  // set but empty: nothing to say
    CHECK(plugin::build_search_path(in).warnings.empty());
}

TEST_CASE("ductor refuses an unusable --plugin-dir with exit 2 and warns about DUCTOR_PLUGIN_PATH") {
    test::TempDir tmp;
    auto empty = test::run_ductor({"--plugin-dir", "", "plugins"});
    CHECK(empty.exit_code == 2);
    CHECK(empty.err == "ductor: error: --plugin-dir: the folder name is empty\nTry 'ductor --help'.\n");
    auto missing = test::run_ductor({"--plugin-dir", (tmp.path() / "missing").string(), "service", "status"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("--plugin-dir '" + (tmp.path() / "missing").string() + "': no such folder") !=
          std::string::npos);
    auto warned = test::run_ductor({"plugins"}, {{"DUCTOR_PLUGIN_PATH", (tmp.path() / "gone").string()}});
    CHECK(warned.exit_code == 0);
    CHECK(warned.err ==
          "ductor: warning: DUCTOR_PLUGIN_PATH: ignoring '" + (tmp.path() / "gone").string() + "': no such folder\n");
}

TEST_CASE("the current directory is never searched through DUCTOR_PLUGIN_PATH") {
    test::TempDir tmp;
    plugin::SearchInputs in;
    in.env_path = ".:plugins:" + tmp.path().string();
    auto path = plugin::build_search_path(in);
    REQUIRE(path.dirs.size() == 1);
    CHECK(path.dirs[0].path == tmp.path());
    CHECK(path.warnings ==
          std::vector<std::string>{
              "DUCTOR_PLUGIN_PATH: ignoring relative folder '.' (the current directory is never searched)",
              "DUCTOR_PLUGIN_PATH: ignoring relative folder 'plugins' (the current directory is never searched)"});
}

TEST_CASE("a folder named twice is searched once, at its first place") {
    test::TempDir tmp;
    plugin::SearchInputs in;
    in.plugin_dirs = {tmp.path().string() + "/"};
    in.system_dir = tmp.path();
    auto path = plugin::build_search_path(in);
    REQUIRE(path.dirs.size() == 1);
    CHECK(path.dirs[0].origin == plugin::Origin::command_line);
}

TEST_CASE("relative --plugin-dir is made absolute") {
    plugin::SearchInputs in;
    in.plugin_dirs = {"."};  // named on purpose: allowed, unlike an implicit current directory
    auto path = plugin::build_search_path(in);
    REQUIRE(path.dirs.size() == 1);
    CHECK(path.dirs[0].path.is_absolute());
}

TEST_CASE("discovery takes library files in name order and the first of a name wins") {
    test::TempDir tmp;
    place(tmp.path() / "first", "fx_unavailable", "zeta");
    place(tmp.path() / "first", "fx_available", "alpha");
    place(tmp.path() / "second", "fx_available_high", "alpha");
    fs::create_directories(tmp.path() / "first" / "folder.so");
    std::ofstream(tmp.path() / "first" / "notes.txt") << "not a plugin";
    auto found = plugin::discover(dirs({tmp.path() / "first", tmp.path() / "missing", tmp.path() / "second"}));
    REQUIRE(found.candidates.size() == 2);
    CHECK(found.candidates[0].stem == "alpha");
    CHECK(found.candidates[0].file.get().parent_path() == tmp.path() / "first");
    CHECK(found.candidates[1].stem == "zeta");
    REQUIRE(found.shadowed.size() == 1);
    CHECK(found.shadowed[0].file == tmp.path() / "second" / ("alpha" + plugin::library_suffix()));
}

TEST_CASE("discovery: each name's first file in search order wins, whatever the names' own order") {
    test::TempDir tmp;
    const auto one = tmp.path() / "one", two = tmp.path() / "two", three = tmp.path() / "three";
    for (const char* stem : {"d", "b"}) place(one, "fx_available", stem);
    for (const char* stem : {"c", "b", "a"}) place(two, "fx_available", stem);
    for (const char* stem : {"b", "a", "d"}) place(three, "fx_available", stem);
    auto found = plugin::discover(dirs({one, two, three}));
    const auto so = plugin::library_suffix();
    std::vector<fs::path> candidates;
    for (const auto& candidate : found.candidates) candidates.push_back(candidate.file);
    CHECK(candidates == std::vector<fs::path>{one / ("b" + so), one / ("d" + so), two / ("a" + so), two / ("c" + so)});
    std::vector<std::pair<fs::path, fs::path>> shadowed;
    for (const auto& s : found.shadowed) shadowed.emplace_back(s.file, s.winner);
    CHECK(shadowed == std::vector<std::pair<fs::path, fs::path>>{{two / ("b" + so), one / ("b" + so)},
                                                                 {three / ("a" + so), two / ("a" + so)},
                                                                 {three / ("b" + so), one / ("b" + so)},
                                                                 {three / ("d" + so), one / ("d" + so)}});
}

TEST_CASE("discovery: random folders of names that sort apart from their stems agree with a plain first-wins scan") {
    // "a-b.so" sorts before "a.so" although "a" sorts before "a-b": files are taken in the order of
    // their whole names, and a name is looked up in the earlier folders by that order.
    const std::vector<std::string> pool = {"a", "a-b", "a.b", "a_b", "ab", "a0", "a~", "b", "B", "-", ".", "\xc3\xa9"};
    const auto so = plugin::library_suffix();
    std::mt19937 random(20261203);
    for (int round = 0; round < 40; ++round) {
        test::TempDir tmp;
        std::vector<fs::path> folders;
        for (int k = 0; k < 4; ++k) {
            folders.push_back(tmp.path() / ("f" + std::to_string(k)));
            fs::create_directories(folders.back());
            for (const auto& stem : pool) {
                if (random() % 2 == 0) std::ofstream(folders.back() / (stem + so)) << "";
            }
        }
        plugin::SearchPath path;
        for (const auto& folder : folders) path.dirs.push_back({folder, plugin::Origin::command_line});
        // The plain scan: folder by folder, each one's files in the order of their names.
        std::vector<fs::path> want_candidates;
        std::vector<std::pair<fs::path, fs::path>> want_shadowed;
        std::map<std::string, fs::path> first;
        for (const auto& folder : folders) {
            std::vector<std::string> names;
            for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
            std::sort(names.begin(), names.end());
            for (const auto& name : names) {
                const auto stem = name.substr(0, name.size() - so.size());
                if (auto it = first.find(stem); it != first.end()) {
                    want_shadowed.emplace_back(folder / name, it->second);
                } else {
                    first.emplace(stem, folder / name);
                    want_candidates.push_back(folder / name);
                }
            }
        }
        auto found = plugin::discover(path);
        std::vector<fs::path> candidates;
        for (const auto& candidate : found.candidates) {
            candidates.push_back(candidate.file);
            CHECK(candidate.stem + so == fs::path(candidate.file).filename().string());
        }
        std::vector<std::pair<fs::path, fs::path>> shadowed;
        for (const auto& s : found.shadowed) shadowed.emplace_back(s.file, s.winner);
        INFO("round " << round);
        CHECK(candidates == want_candidates);
        CHECK(shadowed == want_shadowed);
    }
}

TEST_CASE("the highest priority available plugin is selected") {
    test::FakeHost host;
    test::TempDir tmp;
    for (const char* f : {"fx_available", "fx_available_high", "fx_unavailable", "fx_throw_available"})
        place(tmp.path(), f);
    plugin::Registry registry(dirs({tmp.path()}), host);
    auto selection = registry.select(std::nullopt, plugin::Need::available);
    REQUIRE(selection);
    CHECK((*selection)->info.name == "fx-high");  // 90 beats 50; the 500s are unavailable
}

TEST_CASE("equal priorities are decided by name") {
    test::FakeHost host;
    test::TempDir tmp;
    place(tmp.path() / "a", "fx_twin", "a_first_file");  // file order must not matter, names do
    place(tmp.path() / "a", "fx_available", "b_second_file");
    plugin::Registry one(dirs({tmp.path() / "a"}), host);
    REQUIRE(one.plugins().size() == 2);
    CHECK(one.select(std::nullopt, plugin::Need::available).value()->info.name == "fx-available");
    // Two copies declaring the same name: the second is reported, not loaded twice.
    place(tmp.path() / "b", "fx_available", "one");
    place(tmp.path() / "b", "fx_duplicate_name", "two");
    plugin::Registry registry(dirs({tmp.path() / "b"}), host);
    CHECK(registry.plugins().size() == 1);
    REQUIRE(registry.failures().size() == 1);
    CHECK(registry.failures()[0].reason.find("another plugin named 'fx-available'") != std::string::npos);
}

TEST_CASE("the --backend option forces a plugin, and says why when it cannot") {
    test::FakeHost host;
    test::TempDir tmp;
    for (const char* f : {"fx_available", "fx_available_high", "fx_unavailable", "fx_abi_major"}) place(tmp.path(), f);
    plugin::Registry registry(dirs({tmp.path()}), host);
    CHECK(registry.select("fx-available", plugin::Need::available).value()->info.name == "fx-available");

    auto unavailable = registry.select("fx-unavailable", plugin::Need::available);
    CHECK_FALSE(unavailable);
    CHECK(unavailable.error().find("fixture: never available") != std::string::npos);
    CHECK(registry.select("fx-unavailable", plugin::Need::loaded).has_value());  // --dry-run may preview it

    auto broken = registry.select("fx_abi_major", plugin::Need::loaded);
    CHECK_FALSE(broken);
    CHECK(broken.error().find("ABI 99.0") != std::string::npos);

    auto missing = registry.select("nope", plugin::Need::available);
    CHECK_FALSE(missing);
    CHECK(missing.error().find("no backend named 'nope'") != std::string::npos);
    CHECK(missing.error().find("fx-high") != std::string::npos);
}

TEST_CASE("with nothing available the error lists every plugin's reason") {
    test::FakeHost host;
    test::TempDir tmp;
    place(tmp.path(), "fx_unavailable");
    place(tmp.path(), "fx_not_plugin");
    plugin::Registry registry(dirs({tmp.path()}), host);
    auto selection = registry.select(std::nullopt, plugin::Need::available);
    CHECK_FALSE(selection);
    CHECK(selection.error().find("fixture: never available") != std::string::npos);
    CHECK(selection.error().find("not a ductor plugin") != std::string::npos);
}

TEST_CASE("the automatic choice creates backends in priority order and stops at the first available") {
    test::FakeHost host;
    test::TempDir tmp;
    for (const char* f : {"fx_available", "fx_available_high", "fx_unavailable", "fx_twin"})
        test::place_plugin(tmp.path() / "p", test::fixture_plugin(f));
    plugin::Registry registry(dirs({tmp.path() / "p"}), host);
    auto selection = registry.select(std::nullopt, plugin::Need::available);
    REQUIRE(selection);
    CHECK((*selection)->info.name == "fx-high");
    CHECK(created(host) == std::vector<std::string>{"fx-unavailable", "fx-high"});  // 500, then 90: stop
    CHECK_FALSE(loaded_here(tmp.path() / "p" / ("fx_available" + plugin::library_suffix())));
    CHECK_FALSE(loaded_here(tmp.path() / "p" / ("fx_twin" + plugin::library_suffix())));
    // Listing every backend asks the rest too, in priority order.
    CHECK(registry.plugins().size() == 4);
    CHECK(created(host) == std::vector<std::string>{"fx-unavailable", "fx-high", "fx-available", "fx-twin"});
}

TEST_CASE("forcing a backend loads only the plugin it names") {
    test::FakeHost host;
    test::TempDir tmp;
    for (const char* f : {"fx_available", "fx_available_high", "fx_unavailable"})
        test::place_plugin(tmp.path() / "p", test::fixture_plugin(f));
    for (const char* f : {"fx_segv_factory", "fx_hang_available", "fx_exit_on_load"})
        test::place_plugin(tmp.path() / "p", test::hostile_plugin(f));
    plugin::Registry registry(dirs({tmp.path() / "p"}), host);
    auto selection = registry.select("fx-available", plugin::Need::available);
    REQUIRE(selection);
    CHECK((*selection)->info.name == "fx-available");
    CHECK(created(host) == std::vector<std::string>{"fx-available"});
    for (const char* f : {"fx_available_high", "fx_unavailable", "fx_segv_factory", "fx_hang_available"}) {
        INFO(f);
        CHECK_FALSE(loaded_here(tmp.path() / "p" / (std::string(f) + plugin::library_suffix())));
    }
}

TEST_CASE("the automatic choice skips a plugin that ended the process while it was read") {
    test::FakeHost host;
    test::TempDir tmp;
    test::place_plugin(tmp.path() / "p", test::fixture_plugin("fx_available"));
    test::place_plugin(tmp.path() / "p", test::hostile_plugin("fx_exit_on_load"));
    plugin::Registry registry(dirs({tmp.path() / "p"}), host);
    auto selection = registry.select(std::nullopt, plugin::Need::available);
    REQUIRE(selection);
    CHECK((*selection)->info.name == "fx-available");
    REQUIRE(registry.failures().size() == 1);
    CHECK(registry.failures()[0].reason == "ended the process with exit code 0 during loading");
}

TEST_CASE("a file the trust rules refuse is never loaded and is reported with the reason") {
    test::FakeHost host;
    test::TempDir tmp;
    auto file = test::place_plugin(tmp.path() / "open", test::fixture_plugin("fx_available_high"));
    fs::permissions(file.parent_path(), fs::perms(0777));
    plugin::Registry registry(dirs({tmp.path() / "open"}), host);
    auto selection = registry.select("fx-high", plugin::Need::available);
    CHECK_FALSE(selection);
    CHECK(selection.error().find("not trusted: the folder " + file.parent_path().string() +
                                 " is writable by group and others (mode 0777)") != std::string::npos);
    CHECK_FALSE(loaded_here(file));
    CHECK(created(host).empty());
}
