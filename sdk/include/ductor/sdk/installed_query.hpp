#pragma once
// An optional interface a Backend may implement besides sdk::Backend, for a
// manager that can fail to answer: "is it installed?" gets yes, no, or unknown
// with the reason, so that "access denied" or "the manager did not answer"
// never reads as "not installed". The core asks for it with dynamic_cast on the
// backend and otherwise calls is_service_installed(); an older core never asks,
// so it needs no new ABI version. Keep is_service_installed() answering too:
// it is what an older core calls.

#include <ductor/sdk/spec.hpp>

#include <string>

namespace ductor::sdk {

// The answer to "is it installed?".
struct Installed {
    enum class Answer { yes, no, unknown };
    Answer answer = Answer::unknown;
    std::string reason;  // why the answer is unknown (empty otherwise)
};

class InstalledQuery {
public:
    virtual ~InstalledQuery() = default;

    // Whether `spec`'s service definition exists, or why that cannot be told
    // now. No side effects. May throw; the core reports it.
    virtual Installed query_installed(const ServiceSpec& spec) = 0;
};

}  // namespace ductor::sdk
