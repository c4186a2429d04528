// Windows implementation of <ductor/platform/fatal_guard.hpp>: nothing is
// guarded (docs/plugins.md says so).
#include <ductor/platform/fatal_guard.hpp>

namespace ductor::platform {

FatalCallGuard::FatalCallGuard(std::string_view, std::string_view, std::chrono::milliseconds, std::string_view, int) {}

FatalCallGuard::~FatalCallGuard() = default;

}  // namespace ductor::platform
