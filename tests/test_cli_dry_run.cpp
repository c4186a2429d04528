// `service install --dry-run` refuses exactly what `service install` refuses
// (exit 2), through the built executable; the one allowance is a preview for
// a backend that is not usable here.
#include "run_ductor.hpp"
#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/service/record.hpp>

#include <catch2/catch.hpp>

#include <filesystem>

using namespace ductor;
namespace fs = std::filesystem;

namespace {

using Env = std::vector<std::pair<std::string, std::string>>;

const std::string k_fixtures = DUCTOR_TEST_FIXTURE_DIR;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct Sandbox {
    test::TempDir dir;
    fs::path ductor_home() const { return dir.path() / "ductor-home"; }
    Env env() const {
        return {{"HOME", dir.path().string()},
                {"DUCTOR_HOME", ductor_home().string()},
                {"XDG_RUNTIME_DIR", (dir.path() / "no-runtime").string()}};
    }
    // `service install` with the fixture plugins (fx-high is chosen unless --backend says otherwise).
    sdk::ProcessResult install(const std::vector<std::string>& options, const std::vector<std::string>& program,
                               bool dry_run) const {
        std::vector<std::string> args{"service", "install", "--plugin-dir", k_fixtures};
        args.insert(args.end(), options.begin(), options.end());
        if (dry_run) args.push_back("--dry-run");
        args.push_back("--");
        args.insert(args.end(), program.begin(), program.end());
        return test::run_ductor(args, env());
    }
};

struct Case {
    std::string what;
    std::vector<std::string> options;
    std::vector<std::string> program;
    std::string message;  // a part of the error both runs print
};

}  // namespace

TEST_CASE("every input that install refuses with exit 2 is refused by --dry-run with exit 2") {
    Sandbox box;
    const auto file = box.dir.path() / "plain-file";
    REQUIRE(platform::write_file_atomic(file, "not a program\n", fs::perms(0644)));
    // Installed with another backend than the one asked for now.
    service::InstallRecord record;
    record.backend = "fx-available";
    record.spec.name = "owned";
    record.spec.argv = {"/bin/true"};
    REQUIRE(service::save_record(box.ductor_home(), record));

    const std::vector<Case> cases = {
        {"a program not on PATH", {}, {"ductor-no-such-program"}, "was not found on PATH"},
        {"a program path that does not exist", {}, {(box.dir.path() / "nope").string()}, "does not exist"},
        {"a program that is not executable", {}, {file.string()}, "not executable"},
        {"a folder as the program", {}, {box.dir.path().string()}, "not executable"},
        {"a missing --workdir",
         {"--workdir", (box.dir.path() / "missing").string()},
         {"/bin/true"},
         "is not an existing folder"},
        {"a file as --workdir", {"--workdir", file.string()}, {"/bin/true"}, "is not an existing folder"},
        {"a backend other than the recorded one",
         {"--name", "owned", "--backend", "fx-high"},
         {"/bin/true"},
         "is installed with the fx-available backend"},
        {"a bad --env", {"--env", "NOVALUE"}, {"/bin/true"}, "is not KEY=VALUE"},
        {"a bad --restart", {"--restart", "sometimes"}, {"/bin/true"}, "use never, on-failure or always"},
        {"a --restart-delay out of range", {"--restart-delay", "-1"}, {"/bin/true"}, "--restart-delay"},
        {"a bad name", {"--name", "a/b"}, {"/bin/true"}, "may contain only"},
        {"a line break in an argument", {}, {"/bin/true", "a\nb"}, "line break"},
        {"a value the backend cannot carry", {"--name", "unrenderable"}, {"/bin/true"}, "cannot carry this service"},
    };
    for (const auto& c : cases) {
        for (bool dry_run : {false, true}) {
            auto result = box.install(c.options, c.program, dry_run);
            INFO(c.what << (dry_run ? " with --dry-run" : " without --dry-run") << ": " << result.err);
            CHECK(result.exit_code == 2);
            CHECK(contains(result.err, c.message));
        }
    }
    // Nothing was installed by any of them.
    CHECK(platform::list_directory(box.ductor_home()).size() == 1);  // services/
}

TEST_CASE("a valid install and its dry run both succeed with a usable backend") {
    Sandbox box;
    auto dry = box.install({"--workdir", box.dir.path().string()}, {"/bin/true"}, true);
    CHECK(dry.exit_code == 0);
    CHECK(contains(dry.out, "# dry run with the fx-high backend"));
    CHECK_FALSE(fs::exists(box.ductor_home() / "fixture-ductor.installed"));
    auto real = box.install({"--workdir", box.dir.path().string()}, {"/bin/true"}, false);
    CHECK(real.exit_code == 0);
    CHECK(fs::exists(box.ductor_home() / "fixture-ductor.installed"));
}

TEST_CASE("a dry run for a backend not usable here previews another machine's paths with a warning") {
    Sandbox box;
    const std::vector<std::string> workdir{"--backend", "fx-unavailable", "--workdir", "/Users/me/bot"};
    auto preview = box.install(workdir, {"/Applications/Bot.app/Contents/MacOS/bot"}, true);
    CHECK(preview.exit_code == 0);
    CHECK(contains(preview.err, "does not exist or is not executable; shown as given"));
    CHECK(contains(preview.err, "--workdir '/Users/me/bot' is not a folder here; shown as given"));
    CHECK(contains(preview.out, "argv0=/Applications/Bot.app/Contents/MacOS/bot"));
    // The real install checks the paths before it looks for the backend.
    auto real = box.install(workdir, {"/Applications/Bot.app/Contents/MacOS/bot"}, false);
    CHECK(real.exit_code == 2);
    // Everything else is checked in the preview too.
    auto bad = box.install({"--backend", "fx-unavailable", "--env", "NOVALUE"}, {"/bin/true"}, true);
    CHECK(bad.exit_code == 2);
}
