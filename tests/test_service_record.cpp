// The install record and the per-service lock (core/service/record.cpp).
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/service/record.hpp>

#include <future>
#include <random>

using namespace ductor;
using namespace std::chrono_literals;

namespace {

service::InstallRecord sample() {
    service::InstallRecord record;
    record.backend = "standalone";
    record.desired = service::Desired::stopped;
    record.installed_at = 1764658000;
    record.spec.name = "bot.1";
    record.spec.description = " spaced = description ";
    record.spec.argv = {"/usr/bin/python3", "-m", "bot", "a=b", "", "#not a comment", "  "};
    record.spec.working_directory = "/srv/bot dir";
    record.spec.environment = {{"TOKEN", "a=b=c"}, {"EMPTY", ""}};
    record.spec.restart = sdk::RestartPolicy::always;
    record.spec.restart_delay = std::chrono::seconds(7);
    record.spec.log_directory = "/var/tmp/logs";
    record.linger = service::Linger::enable;
    record.definitions = {"/home/u/.config/systemd/user/bot.1.service"};
    return record;
}

bool same(const service::InstallRecord& a, const service::InstallRecord& b) {
    return a.backend == b.backend && a.desired == b.desired && a.installed_at == b.installed_at &&
           a.spec.name == b.spec.name && a.spec.description == b.spec.description && a.spec.argv == b.spec.argv &&
           a.spec.working_directory == b.spec.working_directory && a.spec.environment == b.spec.environment &&
           a.spec.restart == b.spec.restart && a.spec.restart_delay == b.spec.restart_delay &&
           a.spec.log_directory == b.spec.log_directory && a.linger == b.linger && a.definitions == b.definitions;
}

}  // namespace

TEST_CASE("an install record round-trips every field of the spec") {
    auto record = sample();
    auto parsed = service::parse_record(service::format_record(record));
    REQUIRE(parsed);
    CHECK(same(*parsed, record));
}

TEST_CASE("an install record round-trips hostile argv and environment values") {
    std::mt19937 random(20261202);
    std::uniform_int_distribution<int> byte(1, 255);
    for (int round = 0; round < 200; ++round) {
        auto record = sample();
        for (auto& arg : record.spec.argv) {
            arg.clear();
            for (int i = 0; i < round % 17; ++i) {
                char c = static_cast<char>(byte(random));
                if (c != '\n' && c != '\r') arg += c;  // the spec's guarantee: no line breaks, no NUL
            }
        }
        record.spec.environment = {{"K", record.spec.argv.front() + "=" + record.spec.argv.back()}};
        auto parsed = service::parse_record(service::format_record(record));
        REQUIRE(parsed);
        CHECK(same(*parsed, record));
    }
}

TEST_CASE("a damaged or foreign install record is refused with a reason") {
    auto text = service::format_record(sample());
    const std::vector<std::string> damaged = {
        std::string(), text.substr(0, text.size() - 1), "format=2\n" + text,
        "garbage\n",   text + "desired=maybe\n",        text + "name=../../etc\n"};
    for (const auto& bad : damaged) {
        INFO(bad);
        auto parsed = service::parse_record(bad);
        REQUIRE_FALSE(parsed);
        CHECK_FALSE(parsed.error().empty());
    }
}

TEST_CASE("a record line with a value its key does not take is named as a bad line") {
    auto text = service::format_record(sample());
    for (const std::string line : {"installed_at=soon", "restart=sometimes", "restart_delay=-1", "restart_delay=5s"}) {
        INFO(line);
        auto parsed = service::parse_record(text + line + "\n");
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error() == "bad line '" + line + "'");
    }
}

TEST_CASE("install records are saved, listed, loaded and removed") {
    test::TempDir home;
    auto record = sample();
    REQUIRE(service::save_record(home.path(), record));
    CHECK(std::filesystem::status(service::record_path(home.path(), "bot.1")).permissions() ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    REQUIRE(
        platform::write_file_atomic(home.path() / "services" / "stray.txt", "x", std::filesystem::perms::owner_read));
    CHECK(service::recorded_names(home.path()) == std::vector<std::string>{"bot.1"});
    auto loaded = service::load_record(home.path(), "bot.1");
    REQUIRE(loaded);
    REQUIRE(*loaded);
    CHECK(same(**loaded, record));
    auto none = service::load_record(home.path(), "other");
    REQUIRE(none);
    CHECK_FALSE(*none);
    REQUIRE(service::remove_record(home.path(), "bot.1"));
    CHECK(service::recorded_names(home.path()).empty());
}

TEST_CASE("a record under another service's file name is not taken for that service") {
    test::TempDir home;
    auto record = sample();
    REQUIRE(platform::write_file_atomic(service::record_path(home.path(), "other"), service::format_record(record),
                                        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    auto loaded = service::load_record(home.path(), "other");
    REQUIRE_FALSE(loaded);
    CHECK_THAT(loaded.error(), Catch::Contains("names another service"));
}

TEST_CASE("the service lock serialises one name and leaves other names free") {
    test::TempDir home;
    auto first = service::ServiceLock::acquire(home.path(), "a", 1s);
    REQUIRE(first.has_value());
    auto other = service::ServiceLock::acquire(home.path(), "b", 1s);
    CHECK(other.has_value());
    // The second taker of "a" waits, and gets the lock once the first lets go.
    auto second = std::async(std::launch::async,
                             [&home] { return service::ServiceLock::acquire(home.path(), "a", 60s).has_value(); });
    CHECK(second.wait_for(100ms) == std::future_status::timeout);
    first.value().reset();
    CHECK(second.get());
}

TEST_CASE("the service lock gives up after its wait with a reason") {
    test::TempDir home;
    auto held = service::ServiceLock::acquire(home.path(), "a", 1s);
    REQUIRE(held.has_value());
    auto late = service::ServiceLock::acquire(home.path(), "a", 50ms);
    REQUIRE_FALSE(late.has_value());
    CHECK(late.error().held);
    CHECK_THAT(late.error().message, Catch::Contains("another ductor command"));
}
