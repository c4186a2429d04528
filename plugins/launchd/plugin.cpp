// Exports the launchd backend (see <ductor/sdk/plugin.hpp>).
#include <ductor/launchd/backend.hpp>

#include <ductor/sdk/plugin.hpp>

DUCTOR_PLUGIN(ductor::launchd::LaunchdBackend, "launchd", "0.1.0", 100, "launchd LaunchAgent (macOS)")
