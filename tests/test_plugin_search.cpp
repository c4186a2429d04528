// Search order, shadowing, duplicates, priority and --backend.
#include "fake_host.hpp"
#include "temp_dir.hpp"

#include <ductor/plugin/registry.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace ductor;

namespace {

fs::path fixture_file(const std::string& stem) {
    return fs::path(DUCTOR_TEST_FIXTURE_DIR) / (stem + plugin::library_suffix());
}

// Copies fixtures into `dir`, optionally under another file name.
void place(const fs::path& dir, const std::string& stem, const std::string& as = {}) {
    fs::create_directories(dir);
    fs::copy_file(fixture_file(stem), dir / ((as.empty() ? stem : as) + plugin::library_suffix()),
                  fs::copy_options::overwrite_existing);
}

plugin::SearchPath dirs(std::initializer_list<fs::path> folders) {
    plugin::SearchPath path;
    for (const auto& folder : folders) path.dirs.push_back({folder, plugin::Origin::command_line});
    return path;
}

}  // namespace

TEST_CASE("search path order: --plugin-dir, DUCTOR_PLUGIN_PATH, beside the executable, system") {
    plugin::SearchInputs in;
    in.plugin_dirs = {"/opt/a", "/opt/b"};
    in.env_path = "/env/one::/env/two";
    in.executable = "/usr/local/bin/ductor";
    in.system_dir = "/usr/lib/ductor/plugins";
    auto path = plugin::build_search_path(in);
    std::vector<std::string> got;
    for (const auto& d : path.dirs) got.push_back(d.path.string() + "|" + plugin::to_string(d.origin));
    CHECK(got == std::vector<std::string>{"/opt/a|--plugin-dir", "/opt/b|--plugin-dir", "/env/one|DUCTOR_PLUGIN_PATH",
                                          "/env/two|DUCTOR_PLUGIN_PATH",
                                          "/usr/local/lib/ductor/plugins|beside the executable",
                                          "/usr/lib/ductor/plugins|system"});
    CHECK(path.warnings.empty());
}

TEST_CASE("the current directory is never searched through DUCTOR_PLUGIN_PATH") {
    plugin::SearchInputs in;
    in.env_path = ".:plugins:/abs";
    auto path = plugin::build_search_path(in);
    REQUIRE(path.dirs.size() == 1);
    CHECK(path.dirs[0].path == "/abs");
    CHECK(path.warnings.size() == 2);
}

TEST_CASE("a folder named twice is searched once, at its first place") {
    plugin::SearchInputs in;
    in.plugin_dirs = {"/usr/lib/ductor/plugins/"};
    in.system_dir = "/usr/lib/ductor/plugins";
    auto path = plugin::build_search_path(in);
    REQUIRE(path.dirs.size() == 1);
    CHECK(path.dirs[0].origin == plugin::Origin::command_line);
}

TEST_CASE("relative --plugin-dir is made absolute") {
    plugin::SearchInputs in;
    in.plugin_dirs = {"rel"};
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
    CHECK(found.candidates[0].file.parent_path() == tmp.path() / "first");
    CHECK(found.candidates[1].stem == "zeta");
    REQUIRE(found.shadowed.size() == 1);
    CHECK(found.shadowed[0].file == tmp.path() / "second" / ("alpha" + plugin::library_suffix()));
}

TEST_CASE("the highest priority available plugin is selected") {
    test::FakeHost host;
    test::TempDir tmp;
    for (const char* f : {"fx_available", "fx_available_high", "fx_unavailable", "fx_throw_available"})
        place(tmp.path(), f);
    plugin::Registry registry(dirs({tmp.path()}), host);
    auto selection = registry.select(std::nullopt, plugin::Need::available);
    REQUIRE(selection.plugin != nullptr);
    CHECK(selection.plugin->info.name == "fx-high");  // 90 beats 50; the 500s are unavailable
}

TEST_CASE("equal priorities are decided by name") {
    test::FakeHost host;
    test::TempDir tmp;
    place(tmp.path() / "a", "fx_twin", "a_first_file");  // file order must not matter, names do
    place(tmp.path() / "a", "fx_available", "b_second_file");
    plugin::Registry one(dirs({tmp.path() / "a"}), host);
    REQUIRE(one.plugins().size() == 2);
    CHECK(one.select(std::nullopt, plugin::Need::available).plugin->info.name == "fx-available");
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
    CHECK(registry.select("fx-available", plugin::Need::available).plugin->info.name == "fx-available");

    auto unavailable = registry.select("fx-unavailable", plugin::Need::available);
    CHECK(unavailable.plugin == nullptr);
    CHECK(unavailable.error.find("fixture: never available") != std::string::npos);
    CHECK(registry.select("fx-unavailable", plugin::Need::loaded).plugin != nullptr);  // --dry-run may preview it

    auto broken = registry.select("fx_abi_major", plugin::Need::loaded);
    CHECK(broken.plugin == nullptr);
    CHECK(broken.error.find("ABI 99.0") != std::string::npos);

    auto missing = registry.select("nope", plugin::Need::available);
    CHECK(missing.plugin == nullptr);
    CHECK(missing.error.find("no backend named 'nope'") != std::string::npos);
    CHECK(missing.error.find("fx-high") != std::string::npos);
}

TEST_CASE("with nothing available the error lists every plugin's reason") {
    test::FakeHost host;
    test::TempDir tmp;
    place(tmp.path(), "fx_unavailable");
    place(tmp.path(), "fx_not_plugin");
    plugin::Registry registry(dirs({tmp.path()}), host);
    auto selection = registry.select(std::nullopt, plugin::Need::available);
    CHECK(selection.plugin == nullptr);
    CHECK(selection.error.find("fixture: never available") != std::string::npos);
    CHECK(selection.error.find("not a ductor plugin") != std::string::npos);
}
