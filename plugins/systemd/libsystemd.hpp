#pragma once
// libsystemd, opened at run time: the plugin does not link it, so that it
// loads (and says why it is unusable) on a machine without the library. The
// headers are only needed to build. Private to the systemd plugin.

#include <ductor/sdk/expected.hpp>

#include <systemd/sd-bus.h>
#include <systemd/sd-journal.h>

#include <string>

namespace ductor::systemd {

// Every libsystemd function the plugin calls.
// clang-format off
#define DUCTOR_LIBSYSTEMD_FUNCTIONS(X) \
    X(sd_bus_new) \
    X(sd_bus_set_address) \
    X(sd_bus_start) \
    X(sd_bus_open_user) \
    X(sd_bus_flush_close_unref) \
    X(sd_bus_set_method_call_timeout) \
    X(sd_bus_call_method) \
    X(sd_bus_call_method_async) \
    X(sd_bus_message_is_method_error) \
    X(sd_bus_message_get_error) \
    X(sd_bus_message_read) \
    X(sd_bus_message_enter_container) \
    X(sd_bus_message_exit_container) \
    X(sd_bus_message_peek_type) \
    X(sd_bus_message_unref) \
    X(sd_bus_error_free) \
    X(sd_bus_match_signal) \
    X(sd_bus_process) \
    X(sd_bus_wait) \
    X(sd_bus_slot_unref) \
    X(sd_bus_path_encode) \
    X(sd_journal_open) \
    X(sd_journal_close) \
    X(sd_journal_add_match) \
    X(sd_journal_add_disjunction) \
    X(sd_journal_seek_tail) \
    X(sd_journal_previous_skip) \
    X(sd_journal_next) \
    X(sd_journal_get_data) \
    X(sd_journal_get_realtime_usec) \
    X(sd_journal_wait)
// clang-format on

// The opened library and its functions. Not copyable; closes the library
// when destroyed, so everything made with it must be released first.
class LibSystemd {
public:
    // Opens `file` (a name dlopen() looks up, or a path) and resolves every function.
    explicit LibSystemd(const std::string& file);
    ~LibSystemd();
    LibSystemd(const LibSystemd&) = delete;
    LibSystemd& operator=(const LibSystemd&) = delete;

    // Whether the library and all its functions are there; why not otherwise.
    const sdk::Expected<void>& loaded() const { return m_loaded; }

#define DUCTOR_LIBSYSTEMD_POINTER(name) decltype(&::name) name = nullptr;
    DUCTOR_LIBSYSTEMD_FUNCTIONS(DUCTOR_LIBSYSTEMD_POINTER)
#undef DUCTOR_LIBSYSTEMD_POINTER

private:
    void* m_handle = nullptr;
    sdk::Expected<void> m_loaded;
};

}  // namespace ductor::systemd
