// Windows implementation of <ductor/platform/system.hpp>.
#include <ductor/platform/system.hpp>

#include "win_text.hpp"

#include <ductor/sdk/paths.hpp>

#include <boost/dll/runtime_symbol_info.hpp>

#include <windows.h>

#include <shellapi.h>

namespace ductor::platform {

sdk::OsFamily os_family() { return sdk::OsFamily::windows; }

char path_list_separator() { return ';'; }

std::vector<std::string> utf8_arguments(int argc, char** argv) {
    int count = 0;
    wchar_t** wide = ::CommandLineToArgvW(::GetCommandLineW(), &count);
    if (wide == nullptr) {
        return argc > 1 ? std::vector<std::string>(argv + 1, argv + argc) : std::vector<std::string>{};
    }
    std::vector<std::string> args;
    for (int i = 1; i < count; ++i) args.push_back(win::narrow(wide[i]));
    ::LocalFree(wide);
    return args;
}

std::optional<std::string> environment(const std::string& key) {
    auto wide_key = win::widen(key);
    DWORD size = ::GetEnvironmentVariableW(wide_key.c_str(), nullptr, 0);
    if (size == 0) return std::nullopt;
    std::wstring value(size, L'\0');
    DWORD written = ::GetEnvironmentVariableW(wide_key.c_str(), value.data(), size);
    value.resize(written);
    return win::narrow(value);
}

sdk::Expected<void> set_environment(const std::string& key, const std::string& value) {
    if (::SetEnvironmentVariableW(win::widen(key).c_str(), win::widen(value).c_str()) == 0)
        return sdk::unexpected("cannot set " + key + ": " + win::last_error_text(::GetLastError()));
    return {};
}

std::filesystem::path home_directory() {
    if (auto home = environment("USERPROFILE"); home && !home->empty()) return sdk::path_from_utf8(*home);
    if (auto home = environment("HOME"); home && !home->empty()) return sdk::path_from_utf8(*home);
    return "C:\\";
}

std::string user_name() {
    wchar_t buffer[257];
    DWORD size = 257;
    if (::GetUserNameW(buffer, &size) && size > 0) return win::narrow(std::wstring(buffer, size - 1));
    if (auto user = environment("USERNAME"); user && !user->empty()) return *user;
    return "unknown";
}

std::optional<std::uint32_t> user_id() { return std::nullopt; }

std::filesystem::path executable_path() {
    std::error_code ec;
    auto path = boost::dll::program_location(ec);
    return ec ? std::filesystem::path() : std::filesystem::path(path);
}

std::optional<std::chrono::seconds> process_age(long long pid) {
    HANDLE process = ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
    if (process == nullptr) return std::nullopt;
    FILETIME created{}, exited{}, kernel{}, user{};
    const bool known = ::GetProcessTimes(process, &created, &exited, &kernel, &user) != 0;
    DWORD code = 0;
    const bool alive = ::GetExitCodeProcess(process, &code) != 0 && code == STILL_ACTIVE;
    ::CloseHandle(process);
    if (!known || !alive) return std::nullopt;
    FILETIME now{};
    ::GetSystemTimeAsFileTime(&now);
    const auto ticks = [](const FILETIME& time) {  // 100 ns units
        return (static_cast<std::uint64_t>(time.dwHighDateTime) << 32U) | time.dwLowDateTime;
    };
    const auto started = ticks(created), current = ticks(now);
    return std::chrono::seconds(current > started ? (current - started) / 10000000U : 0);
}

std::string library_load_error(const std::filesystem::path& path) {
    HMODULE module = ::LoadLibraryExW(path.wstring().c_str(), nullptr, 0);
    if (module != nullptr) {
        ::FreeLibrary(module);
        return "unknown loader error";
    }
    return win::last_error_text(::GetLastError());
}

}  // namespace ductor::platform
