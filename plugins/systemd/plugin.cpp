// Exports the systemd backend (see <ductor/sdk/plugin.hpp>).
#include <ductor/systemd/backend.hpp>

#include <ductor/sdk/plugin.hpp>

DUCTOR_PLUGIN(ductor::systemd::SystemdBackend, "systemd", "0.1.0", 100, "systemd --user unit (Linux)")
