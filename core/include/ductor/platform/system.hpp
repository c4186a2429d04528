#pragma once
// Facts about this machine and user. The only place in the core that knows
// which operating system it was built for.

#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/host.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ductor::platform {

sdk::OsFamily os_family();

// $HOME, else the password database's home folder.
std::filesystem::path home_directory();

// The login name ($USER, else the password database), "unknown" when neither says.
std::string user_name();

// Numeric user id on POSIX; nullopt on Windows.
std::optional<std::uint32_t> user_id();

// Absolute path of the running executable.
std::filesystem::path executable_path();

// Separator of folder lists such as PATH: ':' on POSIX, ';' on Windows.
char path_list_separator();

// The arguments after the program name, as UTF-8: argv itself on POSIX; on
// Windows the UTF-16 command line split by CommandLineToArgvW, because argv
// there is in the ANSI code page, which cannot hold every name.
std::vector<std::string> utf8_arguments(int argc, char** argv);

// The value of an environment variable, nullopt when unset.
std::optional<std::string> environment(const std::string& key);

// Sets the environment variable `key` to `value` (UTF-8) in this process, for
// environment() and for every child started afterwards; the reason when it cannot.
sdk::Expected<void> set_environment(const std::string& key, const std::string& value);

// How long ago the process `pid` started; nullopt when it is gone or this
// system cannot tell. Used for uptimes, so whole seconds are enough.
std::optional<std::chrono::seconds> process_age(long long pid);

// Why the platform's loader refuses `path` as a shared library (dlerror's
// text on POSIX); called after a load failed, to explain it.
std::string library_load_error(const std::filesystem::path& path);

}  // namespace ductor::platform
