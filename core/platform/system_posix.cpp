// POSIX implementation of <ductor/platform/system.hpp>.
#include <ductor/platform/system.hpp>

#include <boost/dll/runtime_symbol_info.hpp>

#include <cstdlib>

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
