#include <ductor/service/record.hpp>

#include <ductor/platform/files.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/sdk/paths.hpp>
#include <ductor/service/spec_builder.hpp>

#include <charconv>
#include <thread>

namespace ductor::service {
namespace {

constexpr std::string_view k_format = "1";
constexpr std::string_view k_suffix = ".record";

using sdk::path_from_utf8;
using sdk::utf8;

std::optional<std::int64_t> parse_number(std::string_view text) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

void line(std::string& out, std::string_view key, std::string_view value) {
    out.append(key).append("=").append(value).append("\n");
}

// Why the line `key=value` is not one of a record.
sdk::Unexpected<std::string> bad_line(std::string_view key, std::string_view value) {
    return sdk::unexpected("bad line '" + std::string(key) + "=" + std::string(value) + "'");
}

// Applies one `key=value` line to the record, or says why it is not valid.
sdk::Expected<void> apply(InstallRecord& record, std::string_view key, std::string_view value) {
    auto& spec = record.spec;
    if (key == "format") {
        if (value == k_format) return {};
        return sdk::unexpected("format " + std::string(value) + " is not known");
    }
    if (key == "backend")
        record.backend = value;
    else if (key == "desired" && (value == "enabled" || value == "stopped"))
        record.desired = value == "enabled" ? Desired::enabled : Desired::stopped;
    else if (key == "installed_at") {
        auto seconds = parse_number(value);
        if (!seconds) return bad_line(key, value);
        record.installed_at = *seconds;
    } else if (key == "name")
        spec.name = value;
    else if (key == "description")
        spec.description = value;
    else if (key == "arg")
        spec.argv.emplace_back(value);
    else if (key == "workdir")
        spec.working_directory = path_from_utf8(value);
    else if (key == "env" && value.find('=') != std::string_view::npos) {
        auto eq = value.find('=');
        spec.environment.push_back({std::string(value.substr(0, eq)), std::string(value.substr(eq + 1))});
    } else if (key == "restart") {
        auto restart = parse_restart(value);
        if (!restart) return bad_line(key, value);
        spec.restart = *restart;
    } else if (key == "restart_delay") {
        auto seconds = parse_number(value);
        if (!seconds || *seconds < 0) return bad_line(key, value);
        spec.restart_delay = std::chrono::seconds(*seconds);
    } else if (key == "log_dir")
        spec.log_directory = path_from_utf8(value);
    else if (key == "linger" && (value == "report" || value == "enable"))
        record.linger = value == "enable" ? Linger::enable : Linger::report;
    else if (key == "definition")
        record.definitions.push_back(path_from_utf8(value));
    else
        return bad_line(key, value);
    return {};
}

}  // namespace

const char* to_string(Desired desired) { return desired == Desired::enabled ? "enabled" : "stopped"; }

std::string format_record(const InstallRecord& record) {
    const auto& spec = record.spec;
    std::string out;
    line(out, "format", k_format);
    line(out, "backend", record.backend);
    line(out, "desired", to_string(record.desired));
    line(out, "installed_at", std::to_string(record.installed_at));
    line(out, "name", spec.name);
    line(out, "description", spec.description);
    for (const auto& arg : spec.argv) line(out, "arg", arg);
    if (spec.working_directory) line(out, "workdir", utf8(*spec.working_directory));
    for (const auto& var : spec.environment) line(out, "env", var.key + "=" + var.value);
    line(out, "restart", sdk::to_string(spec.restart));
    if (spec.restart_delay) line(out, "restart_delay", std::to_string(spec.restart_delay->count()));
    if (spec.log_directory) line(out, "log_dir", utf8(*spec.log_directory));
    line(out, "linger", record.linger == Linger::enable ? "enable" : "report");
    for (const auto& path : record.definitions) line(out, "definition", utf8(path));
    return out;
}

sdk::Expected<InstallRecord> parse_record(std::string_view text) {
    InstallRecord record;
    bool has_format = false;
    while (!text.empty()) {
        auto end = text.find('\n');
        if (end == std::string_view::npos) return sdk::unexpected("the last line is cut short");
        auto entry = text.substr(0, end);
        text.remove_prefix(end + 1);
        auto eq = entry.find('=');
        if (eq == std::string_view::npos) return sdk::unexpected("bad line '" + std::string(entry) + "'");
        has_format = has_format || entry.substr(0, eq) == "format";
        if (auto applied = apply(record, entry.substr(0, eq), entry.substr(eq + 1)); !applied)
            return sdk::unexpected(std::move(applied).error());
    }
    if (!has_format || record.backend.empty() || record.spec.argv.empty())
        return sdk::unexpected("the format, backend or program is missing");
    if (auto named = check_name(record.spec.name); !named) return sdk::unexpected(std::move(named).error());
    return record;
}

std::filesystem::path records_directory(const std::filesystem::path& ductor_home) { return ductor_home / "services"; }

std::filesystem::path record_path(const std::filesystem::path& ductor_home, std::string_view name) {
    return records_directory(ductor_home) / (std::string(name) + std::string(k_suffix));
}

sdk::Expected<std::optional<InstallRecord>> load_record(const std::filesystem::path& ductor_home,
                                                        std::string_view name) {
    const auto path = record_path(ductor_home, name);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::optional<InstallRecord>();  // no record
    auto text = platform::read_file(path);
    if (!text) return sdk::unexpected("cannot read the install record " + path.string());
    auto parsed = parse_record(*text);
    if (!parsed) return sdk::unexpected("the install record " + path.string() + " is damaged: " + parsed.error());
    if (parsed->spec.name != name)
        return sdk::unexpected("the install record " + path.string() + " names another service");
    return std::optional<InstallRecord>(std::move(parsed).value());
}

sdk::Expected<void> save_record(const std::filesystem::path& ductor_home, const InstallRecord& record) {
    using std::filesystem::perms;
    return platform::write_file_atomic(record_path(ductor_home, record.spec.name), format_record(record),
                                       perms::owner_read | perms::owner_write);
}

sdk::Expected<void> remove_record(const std::filesystem::path& ductor_home, std::string_view name) {
    return platform::remove_file(record_path(ductor_home, name));
}

std::vector<std::string> recorded_names(const std::filesystem::path& ductor_home) {
    std::vector<std::string> names;
    for (const auto& entry : platform::list_directory(records_directory(ductor_home))) {
        auto file = entry.filename().string();
        if (file.size() <= k_suffix.size() ||
            file.compare(file.size() - k_suffix.size(), k_suffix.size(), k_suffix) != 0)
            continue;
        auto name = file.substr(0, file.size() - k_suffix.size());
        if (check_name(name)) names.push_back(name);
    }
    return names;
}

ServiceLock::ServiceLock(std::unique_ptr<platform::PidLock> lock) : m_lock(std::move(lock)) {}
ServiceLock::~ServiceLock() = default;

sdk::Expected<std::unique_ptr<ServiceLock>, LockError> ServiceLock::acquire(const std::filesystem::path& ductor_home,
                                                                            std::string_view name,
                                                                            std::chrono::milliseconds limit) {
    const auto path = records_directory(ductor_home) / (std::string(name) + ".lock");
    if (auto made = platform::create_directories(path.parent_path()); !made)
        return sdk::unexpected(LockError{false, made.error()});
    const auto until = std::chrono::steady_clock::now() + limit;
    while (true) {
        auto lock = platform::PidLock::acquire(path);
        if (lock) {
            (*lock)->write(std::to_string(platform::current_pid()) + "\n");
            (*lock)->hand_to_children();  // a runner this command starts holds it until it is up
            return std::unique_ptr<ServiceLock>(new ServiceLock(std::move(*lock)));
        }
        const auto& busy = lock.error().busy;
        if (!busy) return sdk::unexpected(LockError{false, lock.error().error});
        if (std::chrono::steady_clock::now() >= until) {
            return sdk::unexpected(
                LockError{true, "another ductor command (PID " + busy->content.substr(0, busy->content.find('\n')) +
                                    ") is working on '" + std::string(name) + "'; try again when it has finished"});
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace ductor::service
