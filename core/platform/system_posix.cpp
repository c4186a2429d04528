// POSIX implementation of <ductor/platform/system.hpp>.
#include <ductor/platform/system.hpp>

#include <ductor/platform/runner.hpp>

#include <boost/dll/runtime_symbol_info.hpp>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <system_error>

#include <dlfcn.h>
#include <pwd.h>
#include <unistd.h>

namespace ductor::platform {

sdk::OsFamily os_family() {
#if defined(__APPLE__)
    return sdk::OsFamily::macos;
#elif defined(__linux__)
    return sdk::OsFamily::linux_os;
#else
    return sdk::OsFamily::other;
#endif
}

char path_list_separator() { return ':'; }

std::vector<std::string> utf8_arguments(int argc, char** argv) {
    return argc > 1 ? std::vector<std::string>(argv + 1, argv + argc) : std::vector<std::string>{};
}

std::optional<std::string> environment(const std::string& key) {
    const char* value = std::getenv(key.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

sdk::Expected<void> set_environment(const std::string& key, const std::string& value) {
    if (::setenv(key.c_str(), value.c_str(), 1) != 0)
        return sdk::unexpected("cannot set " + key + ": " + std::generic_category().message(errno));
    return {};
}

std::filesystem::path home_directory() {
    if (auto home = environment("HOME"); home && !home->empty()) return *home;
    if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_dir != nullptr) return pw->pw_dir;
    return "/";
}

std::string user_name() {
    if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_name != nullptr) return pw->pw_name;
    if (auto user = environment("USER"); user && !user->empty()) return *user;
    return "unknown";
}

std::optional<std::uint32_t> user_id() { return static_cast<std::uint32_t>(::getuid()); }

std::filesystem::path executable_path() {
    std::error_code ec;
    auto path = boost::dll::program_location(ec);
    return ec ? std::filesystem::path() : std::filesystem::path(path);
}

std::optional<std::chrono::seconds> process_age(long long pid) {
    const auto started = process_start_time(pid);
    if (!started) return std::nullopt;
#if defined(__linux__)
    // The start time is in clock ticks since boot, the clock CLOCK_BOOTTIME counts.
    const long ticks = ::sysconf(_SC_CLK_TCK);
    timespec now{};
    if (ticks <= 0 || ::clock_gettime(CLOCK_BOOTTIME, &now) != 0) return std::nullopt;
    const auto since_boot = static_cast<std::uint64_t>(now.tv_sec);
    const auto started_at = *started / static_cast<std::uint64_t>(ticks);
    return std::chrono::seconds(since_boot > started_at ? since_boot - started_at : 0);
#elif defined(__APPLE__)
    // The start time is in microseconds since the epoch.
    const auto now =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    const auto micros = static_cast<std::uint64_t>(now);
    return std::chrono::seconds(micros > *started ? (micros - *started) / 1000000U : 0);
#else
    return std::nullopt;
#endif
}

std::string library_load_error(const std::filesystem::path& path) {
    ::dlerror();
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle != nullptr) {
        ::dlclose(handle);
        return "unknown loader error";
    }
    const char* text = ::dlerror();
    return text != nullptr ? text : "unknown loader error";
}

}  // namespace ductor::platform
