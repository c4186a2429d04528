#include "win_spawn.hpp"

#include "win_text.hpp"

#include <ductor/sdk/windows_command_line.hpp>

#include <cwchar>
#include <string_view>

namespace ductor::platform::win {

std::wstring command_line(const std::vector<std::string>& argv) { return widen(sdk::join_windows_arguments(argv)); }

std::wstring environment_block(const std::vector<std::pair<std::string, std::string>>& extra) {
    std::vector<std::wstring> keys;
    for (const auto& entry : extra) keys.push_back(widen(entry.first));
    auto overridden = [&](std::wstring_view kv) {
        auto eq = kv.find(L'=', 1);  // "=C:=C:\dir" entries start with '='
        if (eq == std::wstring_view::npos) return false;
        std::wstring key(kv.substr(0, eq));
        for (const auto& k : keys) {
            if (_wcsicmp(key.c_str(), k.c_str()) == 0) return true;
        }
        return false;
    };
    std::wstring block;
    wchar_t* current = ::GetEnvironmentStringsW();
    for (const wchar_t* entry = current; entry != nullptr && *entry != L'\0'; entry += std::wcslen(entry) + 1) {
        std::wstring_view kv(entry);
        if (!overridden(kv)) block.append(kv).push_back(L'\0');
    }
    if (current != nullptr) ::FreeEnvironmentStringsW(current);
    for (const auto& [key, value] : extra) block.append(widen(key + "=" + value)).push_back(L'\0');
    block.push_back(L'\0');
    return block;
}

std::wstring runner_job_name(long long pid) { return L"Local\\ductor-runner-job-" + std::to_wstring(pid); }

std::wstring runner_stop_event_name(long long pid) { return L"Local\\ductor-runner-stop-" + std::to_wstring(pid); }

}  // namespace ductor::platform::win
