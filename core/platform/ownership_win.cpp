// Windows implementation of <ductor/platform/ownership.hpp>: the type of an
// entry only; owners and modes (ACLs) are not modelled.
#include <ductor/platform/ownership.hpp>

#include <system_error>

namespace ductor::platform {

sdk::Expected<EntryFacts> examine_entry(const std::filesystem::path& path) {
    std::error_code ec;
    auto status = std::filesystem::symlink_status(path, ec);
    if (ec && status.type() != std::filesystem::file_type::not_found) return sdk::unexpected(ec.message());
    EntryFacts facts;
    facts.type = status.type();
    return facts;
}

sdk::Expected<EntryFacts> examine_entry(const std::filesystem::path::string_type& path) {
    return examine_entry(std::filesystem::path(path));
}

std::optional<std::uint32_t> effective_user_id() { return std::nullopt; }

std::string describe_user(std::uint32_t uid) { return "uid " + std::to_string(uid); }

}  // namespace ductor::platform
