// Whether a service command changes anything: the comparison of what install
// would write with what is there, and of the state for the other actions (pure).
#include <ductor/cli/service_change.hpp>

#include <catch2/catch.hpp>

using namespace ductor;

namespace {

sdk::ServiceStatus state(sdk::ServiceState value, std::vector<sdk::StatusField> detail = {}) {
    sdk::ServiceStatus status;
    status.state = value;
    status.detail = std::move(detail);
    return status;
}

service::InstallRecord record_of(std::vector<std::string> argv, service::Desired desired = service::Desired::enabled) {
    service::InstallRecord record;
    record.backend = "standalone";
    record.spec.name = "bot";
    record.spec.argv = std::move(argv);
    record.desired = desired;
    record.installed_at = 1700000000;
    record.definitions = {"/h/.ductor/standalone/bot.args"};
    return record;
}

sdk::Rendering rendering_of(const std::string& content) {
    sdk::Rendering rendering;
    rendering.files.push_back({"/h/.ductor/standalone/bot.args", content, {}});
    return rendering;
}

using Reasons = std::vector<std::string>;

}  // namespace

TEST_CASE("install changes nothing when the files, the record and the running state match") {
    auto wanted = record_of({"/bin/bot"});
    wanted.installed_at = 1800000000;  // when it ran does not count
    auto change = cli::install_change(rendering_of("def\n"), {std::string("def\n")}, wanted, record_of({"/bin/bot"}),
                                      state(sdk::ServiceState::running));
    CHECK_FALSE(change.changed);
    CHECK(change.reasons.empty());
    REQUIRE(change.files.size() == 1);
    CHECK(change.files[0].change == cli::FileChange::unchanged);
    // A service in its backoff wait is being brought back: it counts as running.
    CHECK_FALSE(cli::install_change(rendering_of("def\n"), {std::string("def\n")}, wanted, record_of({"/bin/bot"}),
                                    state(sdk::ServiceState::starting))
                    .changed);
}

TEST_CASE("install names every difference: definition, record, problem, not running, stopped") {
    const auto wanted = record_of({"/bin/bot", "--new"});
    auto changed_file = cli::install_change(rendering_of("new\n"), {std::string("old\n")}, wanted,
                                            record_of({"/bin/bot"}), state(sdk::ServiceState::running));
    CHECK(changed_file.reasons == Reasons{"definition", "record"});
    CHECK(changed_file.files[0].change == cli::FileChange::updated);
    CHECK(changed_file.files[0].before == "old\n");
    CHECK(changed_file.files[0].after == "new\n");

    auto first = cli::install_change(rendering_of("new\n"), {std::nullopt}, wanted, std::nullopt,
                                     state(sdk::ServiceState::not_installed));
    CHECK(first.reasons == Reasons{"definition", "record", "not-running"});
    CHECK(first.files[0].change == cli::FileChange::created);
    CHECK_FALSE(first.files[0].before);

    auto stopped = cli::install_change(rendering_of("new\n"), {std::string("new\n")}, wanted,
                                       record_of({"/bin/bot", "--new"}, service::Desired::stopped),
                                       state(sdk::ServiceState::stopped));
    CHECK(stopped.reasons == Reasons{"not-running", "stopped"});

    auto problem =
        cli::install_change(rendering_of("new\n"), {std::string("new\n")}, wanted, record_of({"/bin/bot", "--new"}),
                            state(sdk::ServiceState::running, {{sdk::k_problem_detail, "not reloaded"}}));
    CHECK(problem.reasons == Reasons{"problem"});
}

TEST_CASE("install compares the environment, options and backend of the record, not only the argv") {
    const auto recorded = record_of({"/bin/bot"});
    auto with_env = recorded;
    with_env.spec.environment = {{"TOKEN", "abc"}};
    auto other_backend = recorded;
    other_backend.backend = "systemd";
    auto delayed = recorded;
    delayed.spec.restart_delay = std::chrono::seconds(9);
    for (const auto& wanted : {with_env, other_backend, delayed}) {
        auto change = cli::install_change(rendering_of("def\n"), {std::string("def\n")}, wanted, recorded,
                                          state(sdk::ServiceState::running));
        CHECK(change.reasons == Reasons{"record"});
    }
}

TEST_CASE("a definition the backend does not keep on disk counts as installed when the record lists it") {
    // Task Scheduler removes its task XML once schtasks has read it.
    const auto recorded = record_of({"/bin/bot"});
    auto kept =
        cli::install_change(rendering_of("xml"), {std::nullopt}, recorded, recorded, state(sdk::ServiceState::running));
    CHECK_FALSE(kept.changed);
    auto other_spec = cli::install_change(rendering_of("xml"), {std::nullopt}, record_of({"/bin/other"}), recorded,
                                          state(sdk::ServiceState::running));
    CHECK(other_spec.reasons == Reasons{"definition", "record"});
    auto gone = cli::install_change(rendering_of("xml"), {std::nullopt}, recorded, recorded,
                                    state(sdk::ServiceState::not_installed));
    CHECK(gone.reasons == Reasons{"definition", "not-running"});
}

TEST_CASE("start, stop, restart and uninstall change only what differs") {
    using cli::ServiceAction;
    const auto enabled = std::optional(record_of({"/bin/bot"}));
    const auto stopped = std::optional(record_of({"/bin/bot"}, service::Desired::stopped));
    const auto running = state(sdk::ServiceState::running);
    const auto down = state(sdk::ServiceState::stopped);
    CHECK(cli::control_change(ServiceAction::start, enabled, running).reasons.empty());
    CHECK(cli::control_change(ServiceAction::start, stopped, down).reasons == Reasons{"not-running", "stopped"});
    CHECK(cli::control_change(ServiceAction::stop, stopped, down).reasons.empty());
    CHECK(cli::control_change(ServiceAction::stop, enabled, running).reasons == Reasons{"running", "enabled"});
    CHECK(cli::control_change(ServiceAction::stop, std::nullopt, down).reasons.empty());
    CHECK(cli::control_change(ServiceAction::restart, enabled, running).reasons == Reasons{"restart"});
    CHECK(cli::control_change(ServiceAction::uninstall, std::nullopt, state(sdk::ServiceState::not_installed))
              .reasons.empty());
    CHECK(cli::control_change(ServiceAction::uninstall, enabled, down).reasons == Reasons{"installed", "recorded"});
}

TEST_CASE("the change report lists the diff of a changed file and nulls for an unchanged one") {
    cli::Change change;
    change.changed = true;
    change.reasons = {"definition"};
    change.files = {{"/a", cli::FileChange::updated, std::string("x\n"), "y\n"},
                    {"/b", cli::FileChange::unchanged, std::string("z\n"), "z\n"}};
    cli::ChangeReport report{"bot", "standalone", cli::ServiceAction::install, false, change, {}, {}, std::nullopt};
    const auto text = cli::change_json(report).dump(false);
    CHECK(text.find(R"("changed":true,"reasons":["definition"])") != std::string::npos);
    CHECK(
        text.find(
            R"({"path":"/a","change":"updated","before":"x\n","after":"y\n","diff":"--- /a\n+++ /a\n@@ -1 +1 @@\n-x\n+y\n"})") !=
        std::string::npos);
    CHECK(text.find(R"({"path":"/b","change":"unchanged","before":null,"after":null,"diff":null})") !=
          std::string::npos);
    CHECK(text.find(R"("status":null)") != std::string::npos);
    report.change.reset();  // a preview for another machine
    CHECK(cli::change_json(report).dump(false).find(R"("changed":null)") != std::string::npos);
}
