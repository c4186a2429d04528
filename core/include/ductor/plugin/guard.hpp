#pragma once
// Every call into a plugin goes through guarded_call: an exception becomes a
// reported reason, never a crash. The exception's text is copied out at once,
// while the library that threw it is certainly still loaded. The result is the
// call's value, or "<operation> threw: <what>". A failed sdk::Result without a
// reason gets one ("<operation> failed and gave no reason"): some callers read a
// failure from a non-empty error, and every message needs a reason to print.

#include <ductor/sdk/backend.hpp>
#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/installed_query.hpp>
#include <ductor/sdk/result.hpp>

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace ductor::plugin {

template <class F>
auto guarded_call(std::string_view operation, F&& fn) -> sdk::Expected<std::invoke_result_t<F>> {
    try {
        if constexpr (std::is_same_v<std::invoke_result_t<F>, sdk::Result>) {
            sdk::Result result = std::forward<F>(fn)();
            if (!result.ok && result.error.empty())
                result.error = std::string(operation) + " failed and gave no reason";
            return result;
        } else {
            return std::forward<F>(fn)();
        }
    } catch (const std::exception& e) {
        return sdk::unexpected(std::string(operation) + " threw: " + e.what());
    } catch (...) {
        return sdk::unexpected(std::string(operation) + " threw an exception that is not a std::exception");
    }
}

// Whether `backend` has `spec` installed: through sdk::InstalledQuery where the
// backend offers it (an unknown answer is an error with its reason), else
// is_service_installed(). Guarded like every call into a plugin.
inline sdk::Expected<bool> ask_installed(sdk::Backend& backend, const sdk::ServiceSpec& spec) {
    if (auto* query = dynamic_cast<sdk::InstalledQuery*>(&backend)) {
        auto asked = guarded_call("query_installed()", [&] { return query->query_installed(spec); });
        if (!asked) return sdk::unexpected(asked.error());
        if (asked->answer == sdk::Installed::Answer::unknown)
            return sdk::unexpected(asked->reason.empty() ? std::string("whether it is installed is unknown")
                                                         : asked->reason);
        return asked->answer == sdk::Installed::Answer::yes;
    }
    return guarded_call("is_service_installed()", [&] { return backend.is_service_installed(spec); });
}

}  // namespace ductor::plugin
