// Shared part of <ductor/platform/fatal_guard.hpp>.
#include <ductor/platform/fatal_guard.hpp>

namespace ductor::platform {

std::string describe_timeout(std::chrono::milliseconds timeout) {
    auto ms = timeout.count();
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    return std::to_string(ms) + " ms";
}

}  // namespace ductor::platform
