// Exports the runit backend (see <ductor/sdk/plugin.hpp>). Priority 50:
// below the native managers (100), above ductor's standalone fallback (10).
#include "runit.hpp"

#include <ductor/sdk/plugin.hpp>

DUCTOR_PLUGIN(ductor_runit::RunitBackend, "runit", "1.0.0", 50, "runit service under a per-user runsvdir (Linux)")
