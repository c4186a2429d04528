#pragma once
// The error idiom inside ductor and its backends (SDK 2.2; header only, C++17):
// a function that can fail returns Expected<T>, the value or the reason it
// could not be made. sdk::Result stays the type of the plugin boundary (the
// Backend and Host methods); Expected is what the functions behind it return,
// in place of {text, error} structs, "an empty string means valid" and
// std::string& out-parameters.
//
//   sdk::Expected<std::string> render(const Spec& spec) {
//       if (spec.argv.empty()) return sdk::unexpected("the service has no program to run");
//       return text;
//   }
//   auto text = render(spec);
//   if (!text) return sdk::Result::failure(text.error());
//   use(*text);
//
// A Backend or Host method whose answer is just that of an Expected<void>
// returns sdk::to_result(...) (below).
//
// Like C++23's std::expected, reduced to what ductor uses. value(), operator*
// and operator-> require a value and error() requires an error; breaking that
// precondition throws std::bad_variant_access.

#include <ductor/sdk/result.hpp>

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace ductor::sdk {

// The error side of an Expected, made with sdk::unexpected(reason).
template <class E>
struct Unexpected {
    E error;
};

// The error side for `return sdk::unexpected("why");` (always call it
// qualified: it is no relative of the old std::unexpected()).
template <class E>
Unexpected<std::decay_t<E>> unexpected(E&& error) {
    return {std::forward<E>(error)};
}

template <class T, class E = std::string>
class Expected {
    template <class U>
    using enable_value =
        std::enable_if_t<std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, Expected> &&
                         !std::is_same_v<std::decay_t<U>, std::in_place_t>>;

public:
    // A value.
    template <class U = T, class = enable_value<U>>
    Expected(U&& value) : m_state(std::in_place_index<0>, std::forward<U>(value)) {}
    // An error; any Unexpected whose error converts to E.
    template <class G, class = std::enable_if_t<std::is_constructible_v<E, G&&>>>
    Expected(Unexpected<G> error) : m_state(std::in_place_index<1>, std::move(error.error)) {}

    bool has_value() const noexcept { return m_state.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const E& error() const& { return std::get<1>(m_state); }
    E&& error() && { return std::get<1>(std::move(m_state)); }

    // The value, or `fallback` when there is an error.
    template <class U>
    T value_or(U&& fallback) const& {
        return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
    }
    template <class U>
    T value_or(U&& fallback) && {
        return has_value() ? std::move(*this).value() : static_cast<T>(std::forward<U>(fallback));
    }

private:
    std::variant<T, E> m_state;
};

// Success without a value, or the reason for failing.
template <class E>
class Expected<void, E> {
public:
    Expected() = default;
    template <class G, class = std::enable_if_t<std::is_constructible_v<E, G&&>>>
    Expected(Unexpected<G> error) : m_state(std::in_place_index<1>, std::move(error.error)) {}

    bool has_value() const noexcept { return m_state.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    const E& error() const& { return std::get<1>(m_state); }
    E&& error() && { return std::get<1>(std::move(m_state)); }

private:
    std::variant<std::monostate, E> m_state;
};

// The plugin boundary's form of `outcome`: Result::success(), or
// Result::failure(the reason), without notes.
inline Result to_result(Expected<void> outcome) {
    if (outcome) return Result::success();
    return Result::failure(std::move(outcome).error());
}

}  // namespace ductor::sdk
