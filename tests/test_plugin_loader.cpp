// Every loader outcome, with the fixture plugins of tests/fixtures.
#include "fake_host.hpp"

#include <ductor/plugin/loader.hpp>
#include <ductor/sdk/abi.hpp>

#include <catch2/catch.hpp>

#include <filesystem>

using namespace ductor;

namespace {

plugin::Candidate fixture(const std::string& stem) {
    std::filesystem::path file = std::filesystem::path(DUCTOR_TEST_FIXTURE_DIR) / (stem + plugin::library_suffix());
    return {file, stem, plugin::Origin::command_line};
}

std::string failure_reason(const plugin::LoadOutcome& outcome) {
    REQUIRE_FALSE(outcome);
    return outcome.error().reason;
}

}  // namespace

TEST_CASE("loader loads an available plugin and reads its metadata") {
    test::FakeHost host;
    auto outcome = plugin::load_plugin(fixture("fx_available"), host);
    REQUIRE(outcome);
    auto* loaded = &*outcome;
    CHECK((*loaded)->info.name == "fx-available");
    CHECK((*loaded)->info.version == "9.9.9");
    CHECK((*loaded)->info.priority == 50);
    CHECK((*loaded)->info.abi_major == DUCTOR_ABI_MAJOR);
    CHECK((*loaded)->availability.available);
    CHECK((*loaded)->availability.reason == "fixture: always available");
}

TEST_CASE("loader keeps an unavailable plugin with its reason") {
    test::FakeHost host;
    auto outcome = plugin::load_plugin(fixture("fx_unavailable"), host);
    auto& loaded = outcome.value();
    CHECK_FALSE(loaded->availability.available);
    CHECK(loaded->availability.reason == "fixture: never available");
}

TEST_CASE("loader reports an is_service_available() that throws as unavailable") {
    test::FakeHost host;
    auto outcome = plugin::load_plugin(fixture("fx_throw_available"), host);
    auto& loaded = outcome.value();
    CHECK_FALSE(loaded->availability.available);
    CHECK(loaded->availability.reason == "is_service_available() threw: fixture availability failure");
}

TEST_CASE("loader reports a factory that throws") {
    test::FakeHost host;
    CHECK(failure_reason(plugin::load_plugin(fixture("fx_throw_factory"), host)) ==
          "the plugin factory threw: fixture factory failure");
}

TEST_CASE("loader skips a plugin built for another ABI major without calling it") {
    test::FakeHost host;  // the fixture's factory aborts the process if it is ever called
    auto reason = failure_reason(plugin::load_plugin(fixture("fx_abi_major"), host));
    CHECK(reason.find("ABI 99.0") != std::string::npos);
}

TEST_CASE("loader skips a plugin built for a newer ABI minor") {
    test::FakeHost host;
    auto reason = failure_reason(plugin::load_plugin(fixture("fx_abi_minor"), host));
    CHECK(reason.find("newer than this ductor") != std::string::npos);
}

TEST_CASE("loader reports a plugin without a factory") {
    test::FakeHost host;
    CHECK(failure_reason(plugin::load_plugin(fixture("fx_no_factory"), host)) ==
          "the factory ductor_create_backend is missing");
}

TEST_CASE("loader reports a shared library that is not a ductor plugin") {
    test::FakeHost host;
    CHECK(failure_reason(plugin::load_plugin(fixture("fx_not_plugin"), host)) ==
          "not a ductor plugin (no ductor_plugin_info symbol)");
}

TEST_CASE("loader reports a text file named like a plugin with the loader's reason") {
    test::FakeHost host;
    auto reason = failure_reason(plugin::load_plugin(fixture("fx_text_file"), host));
    CHECK(reason.rfind("cannot be loaded as a shared library: ", 0) == 0);
    CHECK(reason.size() > std::string("cannot be loaded as a shared library: ").size());
}

TEST_CASE("loader reports a file that does not exist") {
    test::FakeHost host;
    auto candidate = fixture("fx_does_not_exist");
    CHECK(failure_reason(plugin::load_plugin(candidate, host)) ==
          "not trusted: " + candidate.file.string() + " does not exist");
}

TEST_CASE("a backend keeps working through the host while its plugin is loaded") {
    test::FakeHost host;
    auto outcome = plugin::load_plugin(fixture("fx_available"), host);
    auto& loaded = outcome.value();
    sdk::ServiceSpec spec;
    spec.argv = {"/bin/true"};
    CHECK(loaded->backend->install_service(spec).ok);
    REQUIRE_FALSE(host.log_lines().empty());
    CHECK(host.log_lines().back().second == "fixture installed ductor");
    auto rendering = loaded->backend->render(spec);
    REQUIRE(rendering.files.size() == 1);
    CHECK(rendering.files[0].content == "argv0=/bin/true\n");
    loaded.reset();                       // the backend goes first, then the library: this must not crash
    CHECK(host.log_lines().size() == 2);  // created, installed: the plugin logged nothing on the way out
}

TEST_CASE("loading runs in three steps: open reads the info only, then create, then ask") {
    test::FakeHost host;
    auto opened = plugin::open_plugin(fixture("fx_available"));
    auto& plugin = opened.value();
    CHECK(plugin->info.name == "fx-available");
    CHECK(plugin->backend == nullptr);
    CHECK(host.log_lines().empty());
    REQUIRE(plugin::create_backend(*plugin, host));
    CHECK(host.log_lines().size() == 1);  // "fixture created fx-available"
    CHECK(plugin->availability.reason.empty());
    plugin::ask_availability(*plugin);
    CHECK(plugin->availability.available);
}

TEST_CASE("this ductor states the C++ standard library and ABI it was built with") {
    CHECK(std::string(plugin::core_cxx_abi()) == DUCTOR_CXX_ABI);
#if defined(__GLIBCXX__) && _GLIBCXX_USE_CXX11_ABI && !defined(_GLIBCXX_DEBUG)
#if defined(__MINGW32__)
    CHECK(std::string(plugin::core_cxx_abi()).rfind("libstdc++, C++11 ABI, mingw-w64 on ", 0) == 0);
#else
    CHECK(std::string(plugin::core_cxx_abi()) == "libstdc++, C++11 ABI");
#endif
#endif
    test::FakeHost host;
    auto outcome = plugin::load_plugin(fixture("fx_available"), host);
    CHECK(outcome.value()->info.cxx_abi == plugin::core_cxx_abi());
}

#if defined(__GLIBCXX__) && _GLIBCXX_USE_CXX11_ABI
TEST_CASE("loader refuses a plugin built with the other libstdc++ string ABI before calling it") {
    test::FakeHost host;
    auto file = std::filesystem::path(DUCTOR_TEST_HOSTILE_DIR) / ("fx_old_abi" + plugin::library_suffix());
    auto outcome = plugin::load_plugin({file, "fx_old_abi", plugin::Origin::command_line}, host);
    REQUIRE_FALSE(outcome);
    const auto* failure = &outcome.error();
    const std::string theirs = "libstdc++, old string ABI (_GLIBCXX_USE_CXX11_ABI=0)";  // then mingw's runtime, if any
    REQUIRE(failure->info);
    CHECK(failure->info->cxx_abi.rfind(theirs, 0) == 0);
    CHECK(failure->reason == "built with " + failure->info->cxx_abi + "; this ductor uses " + plugin::core_cxx_abi() +
                                 " (rebuild the plugin with the same standard library and ABI settings)");
    CHECK(failure->info->name == "fx-old-abi");
    CHECK(host.log_lines().empty());  // its factory never ran
}
#endif
