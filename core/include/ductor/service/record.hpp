#pragma once
// The install record: what ductor was asked to do for one service and which
// backend owns it. One file per service, <ductor home>/services/<name>.record,
// written atomically (0600) after a successful install and changed only by
// explicit commands (start, stop, restart, uninstall). The service manager
// stays the truth about what runs; the record is the truth about what was
// asked. The format is line-based `key=value` (the spec's strings never hold
// NUL, CR or LF), repeated keys in order for lists:
//
//   format=1
//   backend=standalone
//   desired=enabled            (enabled | stopped)
//   installed_at=1764658000    (seconds since 1970, UTC)
//   name=bot
//   description=...
//   arg=/usr/bin/python3       (argv, one line each, in order)
//   workdir=/home/me/bot       (optional)
//   env=TOKEN=abc              (the user's --env, in order)
//   restart=on-failure
//   restart_delay=5            (optional)
//   log_dir=/home/me/logs      (optional)
//   linger=report
//   definition=/home/me/.config/systemd/user/bot.service   (files install wrote)

#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/spec.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::platform {
class PidLock;
}

namespace ductor::service {

// What the user last asked for: keep it running, or leave it stopped until `start`.
enum class Desired { enabled, stopped };

// What install does when the backend's manager would end the service at
// logout (sdk::LingerControl): explain it, or enable linger (--enable-linger).
enum class Linger { report, enable };

struct InstallRecord {
    std::string backend;
    sdk::ServiceSpec spec;
    Desired desired = Desired::enabled;
    std::int64_t installed_at = 0;                   // seconds since 1970, UTC
    std::vector<std::filesystem::path> definitions;  // the files install wrote
    Linger linger = Linger::report;
};

const char* to_string(Desired desired);

// The record as text (see the format above). Pure.
std::string format_record(const InstallRecord& record);
// The record in `text`, or why it is not one. Pure.
sdk::Expected<InstallRecord> parse_record(std::string_view text);

// <ductor home>/services and <ductor home>/services/<name>.record.
std::filesystem::path records_directory(const std::filesystem::path& ductor_home);
std::filesystem::path record_path(const std::filesystem::path& ductor_home, std::string_view name);

// The record of `name` read from disk: nullopt when there is no record file,
// the record, or why the file that exists cannot be used (unreadable, damaged,
// or the record of another service).
sdk::Expected<std::optional<InstallRecord>> load_record(const std::filesystem::path& ductor_home,
                                                        std::string_view name);
// Writes the record atomically (0600). Never throws.
sdk::Expected<void> save_record(const std::filesystem::path& ductor_home, const InstallRecord& record);
// Removes the record; a missing one is success. Never throws.
sdk::Expected<void> remove_record(const std::filesystem::path& ductor_home, std::string_view name);
// The names of every record, sorted.
std::vector<std::string> recorded_names(const std::filesystem::path& ductor_home);

// Why ServiceLock::acquire() returned no lock.
struct LockError {
    bool held = false;    // another ductor command held the lock for the whole wait (else: the lock file failed)
    std::string message;  // for the user: which command holds it, or what went wrong
};

// The per-service lock that every mutating command holds while it works, so
// that commands on one name serialise (other names stay parallel). A locked
// file <ductor home>/services/<name>.lock; the lock ends with the process,
// also when it is killed, except that a runner the command was starting
// (standalone) holds it on until it is up, so the next command finds that
// runner running instead of racing its start.
class ServiceLock {
public:
    // Takes the lock, waiting up to `limit` while another command holds it.
    // The value is never null; the error says whether another command held
    // the lock all that time (and which one) or what else went wrong.
    static sdk::Expected<std::unique_ptr<ServiceLock>, LockError> acquire(const std::filesystem::path& ductor_home,
                                                                          std::string_view name,
                                                                          std::chrono::milliseconds limit);
    ~ServiceLock();
    ServiceLock(const ServiceLock&) = delete;
    ServiceLock& operator=(const ServiceLock&) = delete;

private:
    explicit ServiceLock(std::unique_ptr<platform::PidLock> lock);
    std::unique_ptr<platform::PidLock> m_lock;
};

}  // namespace ductor::service
