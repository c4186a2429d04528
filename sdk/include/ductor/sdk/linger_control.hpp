#pragma once
// An optional interface a Backend may implement besides sdk::Backend, for a
// manager that ends a user's services with the user's last login session
// unless the user "lingers" (systemd-logind's word; the CLI's
// `install --enable-linger`). The core asks for it with dynamic_cast on the
// backend; a backend without it has nothing of the kind to report or enable.
//
// What the core does with it on `service install` (--dry-run shows the same):
//   - when lingers() is false and --enable-linger was given: it shows
//     enable_linger_command() first among the install's commands, and calls
//     enable_linger() before install_service(); a failure fails the install,
//     nothing written;
//   - when lingers() is false and --enable-linger was not given: it adds
//     linger_explanation() to the install's notes;
//   - `ductor doctor` reports lingers() for the backend, with
//     enable_linger_command() as the fix.
// The backend's own install_service() and render() leave linger alone.

#include <ductor/sdk/result.hpp>

#include <string>
#include <vector>

namespace ductor::sdk {

class LingerControl {
public:
    virtual ~LingerControl() = default;

    // Whether this user's services keep running without a login session
    // (and start at boot). No side effects.
    virtual bool lingers() = 0;
    // What not lingering means for a service of this user, with the command
    // that changes it. No side effects.
    virtual std::string linger_explanation() = 0;
    // The command enable_linger() runs, for --dry-run and doctor's advice.
    virtual std::vector<std::string> enable_linger_command() = 0;
    // Make this user's services linger. May throw; the core reports it.
    virtual Result enable_linger() = 0;
};

}  // namespace ductor::sdk
