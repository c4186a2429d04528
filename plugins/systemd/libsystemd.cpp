#include "libsystemd.hpp"

#include <dlfcn.h>

namespace ductor::systemd {

LibSystemd::LibSystemd(const std::string& file) {
    m_handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (m_handle == nullptr) {
        const char* why = ::dlerror();
        m_loaded = sdk::unexpected("cannot load " + file + ": " + (why != nullptr ? why : "unknown error"));
        return;
    }
#define DUCTOR_LIBSYSTEMD_RESOLVE(name)                                \
    name = reinterpret_cast<decltype(name)>(::dlsym(m_handle, #name)); \
    if (name == nullptr && m_loaded) m_loaded = sdk::unexpected(file + " has no " #name " (libsystemd too old?)");
    DUCTOR_LIBSYSTEMD_FUNCTIONS(DUCTOR_LIBSYSTEMD_RESOLVE)
#undef DUCTOR_LIBSYSTEMD_RESOLVE
}

LibSystemd::~LibSystemd() {
    if (m_handle != nullptr) ::dlclose(m_handle);
}

}  // namespace ductor::systemd
