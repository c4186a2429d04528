// The launchd backend through the real ductor executable: `install --dry-run
// --backend launchd` prints a plist that plistlib accepts and the launchctl
// commands, and writes nothing; a string XML cannot carry is a usage error.
#include "launchd/plistlib_check.hpp"
#include "run_ductor.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>

#include <catch2/catch.hpp>

using namespace ductor;

TEST_CASE("install --dry-run with the launchd backend prints the plist and commands and writes nothing") {
    test::TempDir home;
    const auto result = test::run_ductor({"--backend", "launchd", "service", "install", "--dry-run", "--name", "bot",
                                          "--env", "GREETING=a<b&c", "--", "/bin/echo", "]]> \"quoted\""},
                                         {{"HOME", home.path().string()}, {"DUCTOR_HOME", ""}, {"NVM_DIR", ""}});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const std::string plist = (home.path() / "Library/LaunchAgents/dev.ductor.bot.plist").string();
    CHECK(result.out.find("# file " + plist + " (mode 0644)\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") !=
          std::string::npos);
    CHECK(result.out.find("/bin/launchctl bootstrap gui/") != std::string::npos);
    CHECK(result.out.find("/bin/launchctl kickstart gui/") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(home.path() / "Library"));
    CHECK_FALSE(std::filesystem::exists(home.path() / ".ductor"));

    const auto begin = result.out.find("<?xml");
    const auto end = result.out.find("</plist>\n");
    REQUIRE(end != std::string::npos);
    test::TempDir dir;
    const auto file = dir.path() / "printed.plist";
    REQUIRE(platform::write_file_atomic(file, result.out.substr(begin, end + 9 - begin), std::filesystem::perms(0600)));
    const auto json = test::launchd::plistlib_json({file}).front();
    CHECK(json.find(R"("Label":"dev.ductor.bot")") != std::string::npos);
    CHECK(json.find(R"("GREETING":"a<b&c")") != std::string::npos);
    CHECK(json.find(R"("--","/bin/echo","]]> \"quoted\""])") != std::string::npos);
}

TEST_CASE("install --dry-run refuses a control character with a clear error") {
    test::TempDir home;
    const auto result =
        test::run_ductor({"--backend", "launchd", "service", "install", "--dry-run", "--", "/bin/echo", "bell\x07"},
                         {{"HOME", home.path().string()}});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("cannot write the LaunchAgent: ProgramArguments[8] has control character U+0007 at byte 4") !=
          std::string::npos);
}
