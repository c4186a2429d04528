#pragma once
// Every call into a plugin goes through guarded_call: an exception becomes a
// reported reason, never a crash. The exception's text is copied out at once,
// while the library that threw it is certainly still loaded.

#include <ductor/sdk/backend.hpp>
#include <ductor/sdk/installed_query.hpp>

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace ductor::plugin {

template <class T>
struct Guarded {
    std::optional<T> value;  // set when the call returned
    std::string error;       // set when it threw: "<operation> threw: <what>"
};

template <class F>
auto guarded_call(std::string_view operation, F&& fn) -> Guarded<std::invoke_result_t<F>> {
    Guarded<std::invoke_result_t<F>> out;
    try {
        out.value.emplace(std::forward<F>(fn)());
    } catch (const std::exception& e) {
        out.error = std::string(operation) + " threw: " + e.what();
    } catch (...) {
        out.error = std::string(operation) + " threw an exception that is not a std::exception";
    }
    return out;
}

// Whether `backend` has `spec` installed: through sdk::InstalledQuery where the
// backend offers it (an unknown answer is an error with its reason), else
// is_service_installed(). Guarded like every call into a plugin.
inline Guarded<bool> ask_installed(sdk::Backend& backend, const sdk::ServiceSpec& spec) {
    if (auto* query = dynamic_cast<sdk::InstalledQuery*>(&backend)) {
        auto asked = guarded_call("query_installed()", [&] { return query->query_installed(spec); });
        if (!asked.value) return {std::nullopt, asked.error};
        if (asked.value->answer == sdk::Installed::Answer::unknown)
            return {std::nullopt,
                    asked.value->reason.empty() ? "whether it is installed is unknown" : asked.value->reason};
        return {asked.value->answer == sdk::Installed::Answer::yes, {}};
    }
    return guarded_call("is_service_installed()", [&] { return backend.is_service_installed(spec); });
}

}  // namespace ductor::plugin
