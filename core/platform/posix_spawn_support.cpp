#include "posix_spawn_support.hpp"

#include <map>
#include <string_view>

#include <sys/wait.h>

extern char** environ;

namespace ductor::platform::posix {

std::vector<std::string> merged_environment(const std::vector<std::pair<std::string, std::string>>& extra) {
    std::map<std::string, std::string> env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        std::string_view kv(*entry);
        auto eq = kv.find('=');
        if (eq != std::string_view::npos) env[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
    }
    for (const auto& [key, value] : extra) env[key] = value;
    std::vector<std::string> out;
    for (const auto& [key, value] : env) out.push_back(key + "=" + value);
    return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace ductor::platform::posix
