#pragma once
// What the systemd backend asks of the user manager, as one small interface:
// the real one talks D-Bus to `systemd --user` (bus_manager.hpp), the unit
// tests hand in a scripted one.

#include <ductor/sdk/expected.hpp>

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace ductor::systemd {

// Unit properties by name, each value written the way `systemctl show` prints
// it ("yes"/"no", decimal numbers, strings as they are).
using Properties = std::map<std::string, std::string, std::less<>>;

// The jobs the backend queues for a unit.
enum class JobVerb { start, restart, stop };

// "start", "restart", "stop".
const char* verb_name(JobVerb verb);

class Manager {
public:
    virtual ~Manager() = default;

    // Whether the manager can be talked to from here; why not otherwise
    // (e.g. libsystemd is not installed). Connects to nothing.
    virtual sdk::Expected<void> check_usable() = 0;
    // The named properties of `unit` (a unit the manager does not know reads
    // LoadState=not-found), or why the manager could not be asked. Unknown
    // names are left out.
    virtual sdk::Expected<Properties> properties(const std::string& unit, const std::vector<std::string>& names) = 0;
    // Reloads the unit files (daemon-reload) and returns when the manager has.
    virtual sdk::Expected<void> reload() = 0;
    // Enables / disables the unit file (its [Install] symlinks); no reload.
    virtual sdk::Expected<void> enable(const std::string& unit) = 0;
    virtual sdk::Expected<void> disable(const std::string& unit) = 0;
    // Queues the job and waits until it is done; a job that ends in any
    // other way than "done" is a failure that names its result.
    virtual sdk::Expected<void> run_job(JobVerb verb, const std::string& unit) = 0;
    // Forgets the unit's failed state (reset-failed).
    virtual sdk::Expected<void> reset_failed(const std::string& unit) = 0;
    // Up to the last `lines` journal lines of the user unit, one per line,
    // as `journalctl --user -u UNIT -o short --no-hostname` shows them; empty
    // when there are none or the journal cannot be read.
    virtual std::string journal_tail(const std::string& unit, unsigned lines) = 0;
    // Writes the same lines to `out` ("-- No entries --" when there are none)
    // and, with `follow`, every new line as it comes until the process ends.
    virtual sdk::Expected<void> write_journal(const std::string& unit, unsigned lines, bool follow,
                                              std::ostream& out) = 0;
};

}  // namespace ductor::systemd
