#include <ductor/taskscheduler/schtasks.hpp>

#include <ductor/taskscheduler/action.hpp>

#include <ductor/sdk/text.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace ductor::taskscheduler {
namespace {

// Fallback only: the English message and a few translations that survive the
// console code page (ASCII), compared without regard to case.
constexpr std::array<std::string_view, 6> k_denied_messages{"access is denied", "0x80070005",     "zugriff verweigert",
                                                            "acceso denegado",  "accesso negato", "acesso negado"};

std::string hex_code(int exit_code) {
    static constexpr const char* k_digits = "0123456789ABCDEF";
    auto value = static_cast<std::uint32_t>(exit_code);
    std::string hex(8, '0');
    for (auto it = hex.rbegin(); it != hex.rend(); ++it, value >>= 4U) *it = k_digits[value & 0xFU];
    return "0x" + hex;
}

std::string trimmed(std::string text) {
    const auto end = text.find_last_not_of(" \t\r\n");
    text.erase(end == std::string::npos ? 0 : end + 1);
    return text.substr(std::min(text.size(), text.find_first_not_of(" \t\r\n")));
}

std::vector<std::string> task_command(const std::filesystem::path& schtasks, std::string_view verb,
                                      std::string_view name) {
    return {utf8(schtasks), std::string(verb), "/TN", std::string(name)};
}

std::vector<std::string> with_hresult(std::vector<std::string> argv) {
    argv.emplace_back("/HRESULT");
    return argv;
}

}  // namespace

std::optional<std::filesystem::path> system_program(const sdk::Host& host, std::string_view program) {
    auto root = host.environment("SystemRoot");
    if (!root || root->empty()) return std::nullopt;
    if (root->back() == '\\') root->pop_back();
    return std::filesystem::path(*root + "\\System32\\" + std::string(program));
}

std::vector<std::string> create_command(const std::filesystem::path& schtasks, std::string_view name,
                                        const std::filesystem::path& xml_file) {
    auto argv = task_command(schtasks, "/Create", name);
    argv.insert(argv.end(), {"/XML", utf8(xml_file), "/F"});
    return with_hresult(std::move(argv));
}

std::vector<std::string> run_command(const std::filesystem::path& schtasks, std::string_view name) {
    return with_hresult(task_command(schtasks, "/Run", name));
}

std::vector<std::string> end_command(const std::filesystem::path& schtasks, std::string_view name) {
    return with_hresult(task_command(schtasks, "/End", name));
}

std::vector<std::string> delete_command(const std::filesystem::path& schtasks, std::string_view name) {
    auto argv = task_command(schtasks, "/Delete", name);
    argv.emplace_back("/F");
    return with_hresult(std::move(argv));
}

std::vector<std::string> query_command(const std::filesystem::path& schtasks, std::string_view name) {
    return with_hresult(task_command(schtasks, "/Query", name));
}

std::vector<std::string> query_xml_command(const std::filesystem::path& schtasks, std::string_view name) {
    auto argv = task_command(schtasks, "/Query", name);
    argv.insert(argv.end(), {"/XML", "ONE"});
    return with_hresult(std::move(argv));
}

bool hresult_not_understood(const sdk::ProcessResult& result) {
    if (!result.started || result.timed_out || result.exit_code != 1) return false;
    const auto text = sdk::ascii_lowercase(result.out + "\n" + result.err);
    return text.find("/hresult") != std::string::npos || trimmed(text).empty();
}

std::vector<std::string> without_hresult(std::vector<std::string> argv) {
    argv.erase(std::remove(argv.begin(), argv.end(), "/HRESULT"), argv.end());
    return argv;
}

bool succeeded(const sdk::ProcessResult& result) {
    if (!result.started || result.timed_out) return false;
    return result.exit_code == 0 || (static_cast<std::uint32_t>(result.exit_code) & 0xFFFFFF00U) == 0x00041300U;
}

bool is_access_denied(const sdk::ProcessResult& result) {
    if (!result.started || result.timed_out) return false;
    if (static_cast<std::uint32_t>(result.exit_code) == k_access_denied) return true;
    if (result.exit_code == 0) return false;
    const auto text = sdk::ascii_lowercase(result.out + "\n" + result.err);
    return std::any_of(k_denied_messages.begin(), k_denied_messages.end(),
                       [&](std::string_view message) { return text.find(message) != std::string::npos; });
}

std::string describe_failure(std::string_view what, const sdk::ProcessResult& result) {
    std::string reason(what);
    if (!result.started) return reason + ": schtasks could not be started: " + result.error;
    if (result.timed_out) return reason + ": schtasks did not finish in time";
    reason += " (schtasks exit code " + hex_code(result.exit_code) + ")";
    const auto message = trimmed(result.err.empty() ? result.out : result.err);
    if (!message.empty()) reason += ": " + message;
    if (is_access_denied(result)) {
        reason +=
            ". Access is denied: Task Scheduler refused the change. A task of this name may belong to an "
            "administrator or another user, or a policy may forbid creating tasks. Run the command again from "
            "an elevated terminal (right-click the terminal, \"Run as administrator\"), or choose another "
            "--name";
    }
    return reason;
}

}  // namespace ductor::taskscheduler
