#include "fake_host.hpp"

#include <ductor/sdk/paths.hpp>

#include <catch2/catch.hpp>

#include <filesystem>

using ductor::sdk::service_path;
using ductor::sdk::sort_versions_newest_first;

TEST_CASE("versions sort newest first by number, not by string") {
    auto sorted = sort_versions_newest_first({"v9.11.2", "v22.1.0", "v18.20.4", "v18.3.0", "v22.10.0"});
    CHECK(sorted == std::vector<std::string>{"v22.10.0", "v22.1.0", "v18.20.4", "v18.3.0", "v9.11.2"});
}

TEST_CASE("names that are not versions sort after versions, by name") {
    auto sorted = sort_versions_newest_first({"system", "v1.0.0", "alpha", "v1.x", "v2"});
    CHECK(sorted == std::vector<std::string>{"v2", "v1.0.0", "alpha", "system", "v1.x"});
}

TEST_CASE("service PATH puts ~/.local/bin and NVM bins first and drops duplicates") {
    ductor::test::FakeHost host;
    const auto nvm = host.home_directory() / ".nvm" / "versions" / "node";
    for (const char* v : {"v9.0.0", "v22.1.0", "v18.0.0"}) std::filesystem::create_directories(nvm / v / "bin");
    std::filesystem::create_directories(nvm / "v20.0.0");  // no bin folder: skipped
    auto path = service_path(host, {"/usr/local/bin", "/usr/bin", "/bin", "/usr/bin"});
    auto bin = [&](const char* version) { return (nvm / version / "bin").string(); };
    CHECK(path == (host.home_directory() / ".local" / "bin").string() + ":" + bin("v22.1.0") + ":" + bin("v18.0.0") +
                      ":" + bin("v9.0.0") + ":/usr/local/bin:/usr/bin:/bin");
}

TEST_CASE("service PATH honours NVM_DIR") {
    ductor::test::FakeHost host;
    auto nvm_dir = host.root() / "custom-nvm";
    std::filesystem::create_directories(nvm_dir / "versions" / "node" / "v20.1.0" / "bin");
    host.set_env("NVM_DIR", nvm_dir.string());
    auto path = service_path(host, {"/bin"});
    CHECK(path.find((nvm_dir / "versions" / "node" / "v20.1.0" / "bin").string()) != std::string::npos);
}

TEST_CASE("service PATH is separated by semicolons on Windows") {
    ductor::test::FakeHost host;
    host.set_os(ductor::sdk::OsFamily::windows);
    auto path = service_path(host, {"C:\\Windows"});
    CHECK(path.find(';') != std::string::npos);
    CHECK(path.find(':' + std::string("C")) == std::string::npos);
}

TEST_CASE("a path made from UTF-8 names the same file on every platform and reads back as the same UTF-8") {
    const std::string text = "C:/Users/J\xC3\xB6rg/bot \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80/%TEMP%";
    const auto path = ductor::sdk::path_from_utf8(text);
    CHECK(ductor::sdk::utf8(path) == text);
    // The platform's own characters: ö is U+00F6 and the emoji a surrogate pair on Windows, never code page bytes.
    const auto native = path.native();
#if defined(_WIN32)
    CHECK(native.find(L"J\u00F6rg") != std::wstring::npos);
    CHECK(native.find(L"\U0001F600") != std::wstring::npos);
#else
    CHECK(native == text);
#endif
}
