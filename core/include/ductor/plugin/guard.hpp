#pragma once
// Every call into a plugin goes through guarded_call: an exception becomes a
// reported reason, never a crash. The exception's text is copied out at once,
// while the library that threw it is certainly still loaded.

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

}  // namespace ductor::plugin
