#include <ductor/taskscheduler/runner_state.hpp>

#include <ductor/taskscheduler/action.hpp>

#include <ductor/sdk/runner.hpp>


namespace ductor::taskscheduler {
std::optional<long long> runner_pid(const sdk::Host& host, std::string_view name) {
    auto text = host.read_file(sdk::runner::pid_file(host.ductor_home(), name));
    if (!text) return std::nullopt;
    auto record = sdk::runner::parse_pid_record(*text);
    if (!record) return std::nullopt;
    return record->runner.pid;
}

std::vector<std::string> taskkill_command(const std::filesystem::path& taskkill, long long pid,
                                          std::string_view image) {
    return {utf8(taskkill),
            "/F",
            "/T",
            "/FI",
            "PID eq " + std::to_string(pid),
            "/FI",
            "IMAGENAME eq " + std::string(image)};
}

}  // namespace ductor::taskscheduler
