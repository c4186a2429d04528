#include <catch2/catch.hpp>

#include <ductor/systemd/status.hpp>

#include <string>

using namespace ductor;
using namespace ductor::systemd;

namespace {
std::string detail(const sdk::ServiceStatus& status, const std::string& key) {
    for (const auto& field : status.detail) {
        if (field.key == key) return field.value;
    }
    return "(none)";
}
}  // namespace

TEST_CASE("status reads a running unit with its main pid") {
    auto status = parse_status(
        "LoadState=loaded\nActiveState=active\nSubState=running\nResult=success\n"
        "UnitFileState=enabled\nMainPID=4242\nExecMainCode=0\nExecMainStatus=0\nNRestarts=2\n",
        UnitFile::present);
    CHECK(status.state == sdk::ServiceState::running);
    CHECK(status.pid == 4242);
    CHECK_FALSE(status.last_exit_code);
    CHECK(detail(status, "SubState") == "running");
    CHECK(detail(status, "NRestarts") == "2");
    CHECK(detail(status, "UnitFileState") == "enabled");
}

TEST_CASE("status reads a failed unit's exit code and a killed unit's signal") {
    auto failed = parse_status(
        "LoadState=loaded\nActiveState=failed\nSubState=failed\nMainPID=0\n"
        "ExecMainCode=1\nExecMainStatus=42\n",
        UnitFile::present);
    CHECK(failed.state == sdk::ServiceState::stopped);
    CHECK_FALSE(failed.pid);
    CHECK(failed.last_exit_code == 42);
    auto killed =
        parse_status("LoadState=loaded\nActiveState=inactive\nExecMainCode=2\nExecMainStatus=9\n", UnitFile::present);
    CHECK(killed.last_exit_code == 137);
}

TEST_CASE("status reports a unit waiting to restart as starting") {
    auto status = parse_status("LoadState=loaded\nActiveState=activating\nSubState=auto-restart\n", UnitFile::present);
    CHECK(status.state == sdk::ServiceState::starting);
}

TEST_CASE("status is not installed only when neither the file nor the manager knows the unit") {
    CHECK(parse_status("LoadState=not-found\nActiveState=inactive\n", UnitFile::absent).state ==
          sdk::ServiceState::not_installed);
    CHECK(parse_status("LoadState=not-found\nActiveState=inactive\n", UnitFile::present).state ==
          sdk::ServiceState::stopped);
    CHECK(parse_status("LoadState=loaded\nActiveState=active\n", UnitFile::absent).state == sdk::ServiceState::running);
}

TEST_CASE("status ignores values with equals signs and unknown keys") {
    auto status =
        parse_status("Weird=a=b\nLoadState=loaded\nActiveState=inactive\nMainPID=notanumber\n", UnitFile::present);
    CHECK(status.state == sdk::ServiceState::stopped);
    CHECK_FALSE(status.pid);
}
