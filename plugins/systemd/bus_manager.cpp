// The user manager over D-Bus (sd-bus), the way systemctl --user talks to it.
#include <ductor/systemd/bus_manager.hpp>

#include <ductor/sdk/expected.hpp>
#include <ductor/systemd/commands.hpp>

#include "journal.hpp"
#include "libsystemd.hpp"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>

namespace ductor::systemd {
namespace {

constexpr const char* k_destination = "org.freedesktop.systemd1";
constexpr const char* k_object = "/org/freedesktop/systemd1";
constexpr const char* k_manager_interface = "org.freedesktop.systemd1.Manager";
constexpr std::chrono::seconds k_call_timeout{90};  // daemon-reload of many units can be slow
constexpr std::chrono::seconds k_job_timeout{90};

// The properties status reads from org.freedesktop.systemd1.Service; every other one is a Unit property.
const char* interface_of(std::string_view property) {
    for (std::string_view name : {"Result", "MainPID", "ExecMainCode", "ExecMainStatus", "NRestarts"}) {
        if (property == name) return "org.freedesktop.systemd1.Service";
    }
    return "org.freedesktop.systemd1.Unit";
}

// A D-Bus address for a socket path: bytes other than [A-Za-z0-9/._-] as %XX.
std::string unix_address(const std::string& path) {
    std::string address = "unix:path=";
    for (char raw : path) {
        const auto c = static_cast<unsigned char>(raw);
        if (std::isalnum(c) != 0 || c == '/' || c == '.' || c == '_' || c == '-') {
            address += static_cast<char>(c);
        } else {
            static const char* const k_hex = "0123456789abcdef";
            address += '%';
            address += k_hex[c >> 4];
            address += k_hex[c & 15];
        }
    }
    return address;
}

// Frees an sd_bus_error and unrefs a reply when the call is done with them.
struct CallState {
    const LibSystemd& lib;
    sd_bus_error error = SD_BUS_ERROR_NULL;
    sd_bus_message* reply = nullptr;

    explicit CallState(const LibSystemd& library) : lib(library) {}
    CallState(const CallState&) = delete;
    CallState& operator=(const CallState&) = delete;
    ~CallState() {
        lib.sd_bus_error_free(&error);
        if (reply != nullptr) lib.sd_bus_message_unref(reply);
    }
    // The manager's words for a failed call, or the errno text.
    std::string text(int r) const {
        if (error.message != nullptr && *error.message != '\0') return error.message;
        if (error.name != nullptr) return error.name;
        return std::strerror(-r);
    }
    bool is(const char* name) const { return error.name != nullptr && std::strcmp(error.name, name) == 0; }
};

struct PendingGet;

class BusManager final : public Manager {
public:
    BusManager(const sdk::Host& host, std::string library) : m_host(host), m_library_name(std::move(library)) {}
    ~BusManager() override {
        if (m_bus != nullptr) m_lib->sd_bus_flush_close_unref(m_bus);
    }
    BusManager(const BusManager&) = delete;
    BusManager& operator=(const BusManager&) = delete;

    sdk::Expected<void> check_usable() override {
        if (!m_lib) m_lib = std::make_unique<LibSystemd>(m_library_name);
        if (m_lib->loaded()) return {};
        return sdk::unexpected(m_lib->loaded().error() +
                               "; the systemd backend talks to the user manager through libsystemd (install "
                               "the libsystemd0 package)");
    }

    sdk::Expected<Properties> properties(const std::string& unit, const std::vector<std::string>& names) override;
    sdk::Expected<void> reload() override { return simple_call("Reload", "reload the unit files", ""); }
    sdk::Expected<void> enable(const std::string& unit) override;
    sdk::Expected<void> disable(const std::string& unit) override;
    sdk::Expected<void> run_job(JobVerb verb, const std::string& unit) override;
    sdk::Expected<void> reset_failed(const std::string& unit) override {
        return simple_call("ResetFailedUnit", "reset the failed state of " + unit, "s", unit.c_str());
    }
    std::string journal_tail(const std::string& unit, unsigned lines) override {
        if (!check_usable()) return {};
        return read_journal_tail(*m_lib, unit, m_host.user_id(), lines);
    }
    sdk::Expected<void> write_journal(const std::string& unit, unsigned lines, bool follow,
                                      std::ostream& out) override {
        if (auto usable = check_usable(); !usable) return usable;
        return systemd::write_journal(*m_lib, unit, m_host.user_id(), lines, follow, out);
    }

private:
    // The connection, made on first use; why there is none otherwise.
    sdk::Expected<sd_bus*> bus();
    template <typename... Args>
    sdk::Expected<void> simple_call(const char* method, const std::string& what, const char* types, Args... args);
    std::optional<std::string> read_value(sd_bus_message* reply);
    // Dispatches what the manager sends until `done()` holds, `limit` passes or
    // the connection fails; the last sd-bus result (negative: the error).
    template <typename Done>
    int process_until(sd_bus* connection, Done done, std::chrono::seconds limit);

public:
    // Records the answer to one Get of properties() (called from the reply callback).
    void take_property(sd_bus_message* reply, PendingGet& get);

private:
    const sdk::Host& m_host;
    std::string m_library_name;
    std::unique_ptr<LibSystemd> m_lib;  // declared before the bus: closed after it
    sd_bus* m_bus = nullptr;
    bool m_direct = false;  // connected to the manager's private socket, not through a bus daemon
};

sdk::Expected<sd_bus*> BusManager::bus() {
    if (m_bus != nullptr) return m_bus;
    if (auto usable = check_usable(); !usable) return sdk::unexpected(std::move(usable).error());
    const auto socket = runtime_dir(m_host) / "systemd/private";
    int r = 0;
    if (m_host.path_exists(socket)) {
        // Straight to the manager, as systemctl --user does: no bus daemon in between, and it
        // works where no user bus runs. The manager sends its signals to every such connection.
        r = m_lib->sd_bus_new(&m_bus);
        if (r >= 0) r = m_lib->sd_bus_set_address(m_bus, unix_address(socket.string()).c_str());
        if (r >= 0) r = m_lib->sd_bus_start(m_bus);
        m_direct = true;
    } else {
        r = m_lib->sd_bus_open_user(&m_bus);
        m_direct = false;
    }
    if (r >= 0)
        r = m_lib->sd_bus_set_method_call_timeout(
            m_bus, static_cast<std::uint64_t>(std::chrono::microseconds(k_call_timeout).count()));
    if (r >= 0 && !m_direct) {
        // Through a bus daemon the manager sends job signals only to subscribers.
        CallState call(*m_lib);
        r = m_lib->sd_bus_call_method(m_bus, k_destination, k_object, k_manager_interface, "Subscribe", &call.error,
                                      &call.reply, "");
    }
    if (r < 0) {
        auto why = "cannot connect to the systemd user manager (" +
                   (m_direct ? socket.string() : std::string("the user bus")) + "): " + std::strerror(-r);
        if (m_bus != nullptr) m_bus = m_lib->sd_bus_flush_close_unref(m_bus);
        return sdk::unexpected(std::move(why));
    }
    return m_bus;
}

template <typename... Args>
sdk::Expected<void> BusManager::simple_call(const char* method, const std::string& what, const char* types,
                                            Args... args) {
    auto connected = bus();
    if (!connected) return sdk::unexpected("cannot " + what + ": " + connected.error());
    auto* connection = *connected;
    CallState call(*m_lib);
    int r = m_lib->sd_bus_call_method(connection, k_destination, k_object, k_manager_interface, method, &call.error,
                                      &call.reply, types, args...);
    if (r < 0) return sdk::unexpected("systemd could not " + what + ": " + call.text(r));
    return {};
}

sdk::Expected<void> BusManager::enable(const std::string& unit) {
    return simple_call("EnableUnitFiles", "enable " + unit, "asbb", 1, unit.c_str(), 0, 0);
}

sdk::Expected<void> BusManager::disable(const std::string& unit) {
    return simple_call("DisableUnitFiles", "disable " + unit, "asb", 1, unit.c_str(), 0);
}

// A property value as systemctl show prints it; nullopt for a type status never asks for.
std::optional<std::string> BusManager::read_value(sd_bus_message* reply) {
    char type = 0;
    const char* contents = nullptr;
    if (m_lib->sd_bus_message_peek_type(reply, &type, &contents) <= 0 || type != 'v' || contents == nullptr)
        return std::nullopt;
    const std::string signature = contents;
    if (m_lib->sd_bus_message_enter_container(reply, 'v', contents) < 0) return std::nullopt;
    std::optional<std::string> value;
    if (signature == "s" || signature == "o") {
        const char* text = nullptr;
        if (m_lib->sd_bus_message_read(reply, signature.c_str(), &text) >= 0) value = text;
    } else if (signature == "b") {
        int flag = 0;
        if (m_lib->sd_bus_message_read(reply, "b", &flag) >= 0) value = flag != 0 ? "yes" : "no";
    } else if (signature == "u") {
        std::uint32_t number = 0;
        if (m_lib->sd_bus_message_read(reply, "u", &number) >= 0) value = std::to_string(number);
    } else if (signature == "i") {
        std::int32_t number = 0;
        if (m_lib->sd_bus_message_read(reply, "i", &number) >= 0) value = std::to_string(number);
    } else if (signature == "t") {
        std::uint64_t number = 0;
        if (m_lib->sd_bus_message_read(reply, "t", &number) >= 0) value = std::to_string(number);
    } else if (signature == "(ss)") {  // LoadError: name and message
        const char* name = nullptr;
        const char* message = nullptr;
        if (m_lib->sd_bus_message_read(reply, "(ss)", &name, &message) >= 0)
            value = name == nullptr || *name == '\0' ? std::string() : std::string(name) + " \"" + message + "\"";
    }
    m_lib->sd_bus_message_exit_container(reply);
    return value;
}

// One property Get in flight: its name, then the value or the error the manager answered.
struct PendingGet {
    BusManager* manager = nullptr;
    std::string name;
    sd_bus_slot* slot = nullptr;
    bool answered = false;
    std::optional<std::string> value;
    std::string error;
    bool unknown = false;  // the unit type has no such property
};

int on_property(sd_bus_message* reply, void* userdata, sd_bus_error* /*error*/) {
    auto& get = *static_cast<PendingGet*>(userdata);
    get.answered = true;
    get.manager->take_property(reply, get);
    return 0;
}

void BusManager::take_property(sd_bus_message* reply, PendingGet& get) {
    if (m_lib->sd_bus_message_is_method_error(reply, nullptr) > 0) {
        const auto* error = m_lib->sd_bus_message_get_error(reply);
        get.unknown = m_lib->sd_bus_message_is_method_error(reply, "org.freedesktop.DBus.Error.UnknownProperty") > 0;
        get.error = error != nullptr && error->message != nullptr ? error->message
                    : error != nullptr && error->name != nullptr  ? error->name
                                                                  : "error";
        return;
    }
    get.value = read_value(reply);
}

template <typename Done>
int BusManager::process_until(sd_bus* connection, Done done, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int r = 0;
    while (r >= 0 && !done()) {
        r = m_lib->sd_bus_process(connection, nullptr);
        if (r != 0) continue;
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) break;
        r = m_lib->sd_bus_wait(connection,
                               static_cast<std::uint64_t>(std::chrono::ceil<std::chrono::microseconds>(left).count()));
    }
    return r;
}

sdk::Expected<Properties> BusManager::properties(const std::string& unit, const std::vector<std::string>& names) {
    auto connected = bus();
    if (!connected) return sdk::unexpected(connected.error());
    auto* connection = *connected;
    char* path = nullptr;
    if (int r = m_lib->sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit.c_str(), &path); r < 0)
        return sdk::unexpected("cannot name " + unit + " on the bus: " + std::strerror(-r));
    const std::string object = path;
    std::free(path);
    // Every Get is sent before the first answer is read: one wait for the manager, not one per property.
    std::vector<PendingGet> gets(names.size());
    int r = 0;
    for (std::size_t i = 0; i < names.size() && r >= 0; ++i) {
        gets[i].manager = this;
        gets[i].name = names[i];
        r = m_lib->sd_bus_call_method_async(connection, &gets[i].slot, k_destination, object.c_str(),
                                            "org.freedesktop.DBus.Properties", "Get", on_property, &gets[i], "ss",
                                            interface_of(names[i]), names[i].c_str());
    }
    auto answered = [&] {
        return std::all_of(gets.begin(), gets.end(), [](const PendingGet& get) { return get.answered; });
    };
    if (r >= 0) r = process_until(connection, answered, k_call_timeout);
    for (auto& get : gets) m_lib->sd_bus_slot_unref(get.slot);  // cancels what was not answered
    if (r < 0) return sdk::unexpected("cannot ask the systemd user manager about " + unit + ": " + std::strerror(-r));
    // Every answer is looked at: the last one that failed is the reason.
    Properties properties;
    std::optional<std::string> failure;
    for (const auto& get : gets) {
        if (!get.answered) {
            failure = "the systemd user manager did not answer about " + unit + " in time";
        } else if (!get.error.empty() && !get.unknown) {
            failure = "systemd could not tell " + get.name + " of " + unit + ": " + get.error;
        } else if (get.value) {
            properties[get.name] = *get.value;
        }
    }
    if (failure) return sdk::unexpected(std::move(*failure));
    return properties;
}

// What the JobRemoved signals said while a job ran: the job's path and its result.
struct JobWatch {
    const LibSystemd* lib = nullptr;
    std::string job;
    std::optional<std::string> result;
};

int on_job_removed(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
    auto& watch = *static_cast<JobWatch*>(userdata);
    std::uint32_t id = 0;
    const char* path = nullptr;
    const char* unit = nullptr;
    const char* result = nullptr;
    if (watch.lib->sd_bus_message_read(message, "uoss", &id, &path, &unit, &result) < 0) return 0;
    if (!watch.job.empty() && path != nullptr && watch.job == path && result != nullptr) watch.result = result;
    return 0;
}

sdk::Expected<void> BusManager::run_job(JobVerb verb, const std::string& unit) {
    const std::string what = std::string(verb_name(verb)) + " " + unit;
    auto connected = bus();
    if (!connected) return sdk::unexpected("cannot " + what + ": " + connected.error());
    auto* connection = *connected;
    JobWatch watch;
    watch.lib = m_lib.get();
    sd_bus_slot* slot = nullptr;
    // Watching before the job is queued, so that its end cannot be missed.
    int r = m_lib->sd_bus_match_signal(connection, &slot, m_direct ? nullptr : k_destination, k_object,
                                       k_manager_interface, "JobRemoved", on_job_removed, &watch);
    if (r < 0) return sdk::unexpected("cannot " + what + ": cannot watch for its job: " + std::strerror(-r));
    const char* method = verb == JobVerb::start ? "StartUnit" : verb == JobVerb::restart ? "RestartUnit" : "StopUnit";
    {
        CallState call(*m_lib);
        r = m_lib->sd_bus_call_method(connection, k_destination, k_object, k_manager_interface, method, &call.error,
                                      &call.reply, "ss", unit.c_str(), "replace");
        const char* job = nullptr;
        if (r >= 0) r = m_lib->sd_bus_message_read(call.reply, "o", &job);
        if (r < 0) {
            m_lib->sd_bus_slot_unref(slot);
            return sdk::unexpected("systemd could not " + what + ": " + call.text(r));
        }
        watch.job = job;
    }
    if (r >= 0)
        r = process_until(
            connection, [&] { return watch.result.has_value(); }, k_job_timeout);
    m_lib->sd_bus_slot_unref(slot);
    if (r < 0)
        return sdk::unexpected("lost the systemd user manager while waiting to " + what + ": " + std::strerror(-r));
    if (!watch.result)
        return sdk::unexpected("systemd did not " + what + " within " + std::to_string(k_job_timeout.count()) +
                               " s (its job " + watch.job + " is still queued)");
    if (*watch.result != "done")
        return sdk::unexpected("systemd could not " + what + " (job result: " + *watch.result + ")");
    return {};
}

}  // namespace

std::unique_ptr<Manager> make_bus_manager(const sdk::Host& host, std::string library) {
    return std::make_unique<BusManager>(host, std::move(library));
}

}  // namespace ductor::systemd
