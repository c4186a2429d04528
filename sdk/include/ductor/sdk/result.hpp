#pragma once
// Errors are values at the plugin boundary: every operation returns a Result
// (or a type that embeds one) instead of throwing. The core still catches
// anything a plugin throws and reports it as a failed operation.

#include <string>
#include <utility>
#include <vector>

namespace ductor::sdk {

// Outcome of one operation. `ok == false` carries a reason the core prints
// as-is, so say what failed and, where it helps, what to do about it.
struct Result {
    bool ok = true;
    std::string error;               // why it failed (empty when ok)
    std::vector<std::string> notes;  // hints for the user, printed on success too

    static Result success() { return {}; }
    static Result failure(std::string reason) { return Result{false, std::move(reason), {}}; }

    // Adds a hint and returns *this, so `return r.note("...")` reads well.
    Result& note(std::string text) {
        notes.push_back(std::move(text));
        return *this;
    }
};

}  // namespace ductor::sdk
