// The Manager of a build without libsystemd's headers (or without dlopen):
// the plugin still loads, and says why it cannot be used.
#include <ductor/systemd/bus_manager.hpp>

namespace ductor::systemd {
namespace {

constexpr const char* k_why =
    "this systemd plugin was built without libsystemd's headers (libsystemd-dev), so it cannot talk to the user "
    "manager";

class NoBusManager final : public Manager {
public:
    sdk::Expected<void> check_usable() override { return sdk::unexpected(k_why); }
    sdk::Expected<Properties> properties(const std::string&, const std::vector<std::string>&) override {
        return sdk::unexpected(k_why);
    }
    sdk::Expected<void> reload() override { return sdk::unexpected(k_why); }
    sdk::Expected<void> enable(const std::string&) override { return sdk::unexpected(k_why); }
    sdk::Expected<void> disable(const std::string&) override { return sdk::unexpected(k_why); }
    sdk::Expected<void> run_job(JobVerb, const std::string&) override { return sdk::unexpected(k_why); }
    sdk::Expected<void> reset_failed(const std::string&) override { return sdk::unexpected(k_why); }
    std::string journal_tail(const std::string&, unsigned) override { return {}; }
    sdk::Expected<void> write_journal(const std::string&, unsigned, bool, std::ostream&) override {
        return sdk::unexpected(k_why);
    }
};

}  // namespace

std::unique_ptr<Manager> make_bus_manager(const sdk::Host&, std::string) { return std::make_unique<NoBusManager>(); }

}  // namespace ductor::systemd
