#pragma once
// The real Manager: talks D-Bus to the user's `systemd --user` through
// libsystemd's sd-bus, and reads the journal with sd-journal. libsystemd is
// opened at run time (see libsystemd.hpp), so a machine without it gets a
// Manager whose check_usable() says so instead of a plugin that fails to load.

#include <ductor/sdk/host.hpp>
#include <ductor/systemd/manager.hpp>

#include <memory>
#include <string>

namespace ductor::systemd {

// The library the plugin opens: libsystemd's runtime package (libsystemd0).
inline constexpr const char* k_libsystemd = "libsystemd.so.0";

// A Manager for the user manager of `host`'s user. It connects on first use,
// straight to the manager's private socket ($XDG_RUNTIME_DIR/systemd/private,
// as systemctl --user does) or, without that socket, through the user bus.
// `library` is the file dlopen() is asked for. Keeps `host` for its lifetime.
std::unique_ptr<Manager> make_bus_manager(const sdk::Host& host, std::string library = k_libsystemd);

}  // namespace ductor::systemd
