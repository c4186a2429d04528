#include "run_ductor.hpp"

#include <ductor/platform/process.hpp>

namespace ductor::test {

sdk::ProcessResult run_ductor(const std::vector<std::string>& args,
                              const std::vector<std::pair<std::string, std::string>>& env,
                              const std::filesystem::path& exe) {
    sdk::ProcessRequest request;
    request.argv.push_back(exe.string());
    request.argv.insert(request.argv.end(), args.begin(), args.end());
    // Keep the developer's own settings out of the tests unless a test sets them (later entries win).
    request.environment = {{"DUCTOR_PLUGIN_PATH", ""}, {"DUCTOR_BACKEND", ""}};
    request.environment.insert(request.environment.end(), env.begin(), env.end());
    request.timeout = std::chrono::seconds(60);
    return platform::run_captured(request);
}

}  // namespace ductor::test
