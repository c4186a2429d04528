// Exports the standalone backend (see <ductor/sdk/plugin.hpp>).
#include <ductor/standalone/backend.hpp>

#include <ductor/sdk/plugin.hpp>

DUCTOR_PLUGIN(ductor::standalone::StandaloneBackend, "standalone", "0.1.0", 10,
              "ductor's own runner, detached (any POSIX system; no service manager needed)")
