#include <ductor/launchd/launchctl.hpp>

#include <ductor/sdk/text.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace ductor::launchd {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

template <typename Number>
std::optional<Number> leading_number(std::string_view text) {
    Number value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end == text.data()) return std::nullopt;
    return value;
}

// Calls `field(key, value)` for every "key = value" line at nesting depth 1
// (inside the outermost block), in order; `separator` is " = ".
template <typename Field>
void for_each_top_level(std::string_view text, Field field) {
    int depth = 0;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const auto line = trim(text.substr(0, end));
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (line.empty()) continue;
        const bool opens = line.back() == '{' || line.back() == '[' || line.back() == '(';
        // "0 = \t]" closes an array in print output; "domain = gui/501 [100020]" does not.
        const bool closes = !opens && (line.front() == '}' || line.front() == ']' || line.front() == ')' ||
                                       (line.back() == ']' && line.find('[') == std::string_view::npos));
        if (closes) {
            --depth;
            continue;
        }
        const auto eq = line.find(" = ");
        if (depth == 1 && !opens && eq != std::string_view::npos) field(line.substr(0, eq), trim(line.substr(eq + 3)));
        if (opens) ++depth;
    }
}

// The lines of the service's "arguments = {" block (one tab deep; each
// argument on its own line, two tabs deep), without their indentation;
// nullopt when there is no such block or it is not closed.
std::optional<std::vector<std::string>> arguments_block(std::string_view text) {
    std::optional<std::vector<std::string>> arguments;
    while (!text.empty()) {
        const auto end = text.find('\n');
        auto line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!arguments) {
            if (line == "\targuments = {") arguments.emplace();
        } else if (line == "\t}") {
            return arguments;
        } else if (line.substr(0, 2) == "\t\t") {
            arguments->emplace_back(line.substr(2));
        } else {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

// "78: EX_CONFIG" -> 78; "(never exited)" -> nullopt.
std::optional<int> exit_code_from(std::string_view value) { return leading_number<int>(value); }

// "Terminated: 15" -> 15.
std::optional<int> signal_from(std::string_view value) {
    const auto colon = value.rfind(':');
    return leading_number<int>(trim(colon == std::string_view::npos ? value : value.substr(colon + 1)));
}

// Decodes a wait status as `launchctl list` prints it.
int exit_from_wait_status(long long status) {
    if (status < 0) return 128 + static_cast<int>(-status);
    if ((status & 0x7F) != 0) return 128 + static_cast<int>(status & 0x7F);
    return static_cast<int>(status >> 8);
}

// The error number launchctl printed ("Bootstrap failed: 5: Input/output
// error" -> 5), else the exit code.
int error_number(const sdk::ProcessResult& result) {
    const std::string text = result.err + "\n" + result.out;
    if (const auto at = text.find("failed: "); at != std::string::npos) {
        if (auto number = leading_number<int>(std::string_view(text).substr(at + 8))) return *number;
    }
    return result.exit_code;
}

std::string first_line(const sdk::ProcessResult& result) {
    for (const auto* text : {&result.err, &result.out}) {
        std::string_view rest = *text;
        while (!rest.empty()) {
            const auto end = rest.find('\n');
            const auto line = trim(rest.substr(0, end));
            if (!line.empty() && line != "Bad request.") return std::string(line);
            rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        }
    }
    return {};
}

std::string hint_for(int number, const Argv& argv) {
    const bool loading = argv.size() > 1 && (argv[1] == "bootstrap" || argv[1] == "load");
    switch (number) {
        case 5:
            return loading ? "launchd refused to load the agent. Usual causes: the same label is still loaded or is "
                             "still being removed (wait a few seconds and install again), the service is disabled "
                             "(ductor enables it; check 'launchctl print-disabled gui/<uid>'), the plist is invalid or "
                             "writable by others, or the GUI domain is not available in this session"
                           : "launchd reported an input/output error; the service may not be loaded in this domain";
        case 1: return "not permitted: run ductor as the user who owns the service, without sudo";
        case 3:
        case 113: return "launchd has no such service loaded in this domain";
        case 37: return "the service is already loaded; ductor unloads it before it loads it again";
        case 119: return "the service is disabled; 'ductor service start' enables it";
        case 122:
            return "the plist or a folder above it has bad ownership or permissions (it must belong to you and not be "
                   "writable by others)";
        case 125:
            return "this launchd domain does not support the action; the GUI domain exists only while you are logged "
                   "in at the Mac's screen";
        default: return {};
    }
}

}  // namespace

std::string Domain::target() const {
    switch (kind) {
        case DomainKind::gui: return "gui/" + std::to_string(uid);
        case DomainKind::user: return "user/" + std::to_string(uid);
        case DomainKind::legacy: return {};
    }
    return {};
}

std::string Domain::service(std::string_view label) const {
    if (kind == DomainKind::legacy) return std::string(label);
    return target() + "/" + std::string(label);
}

Argv print_domain_command(DomainKind kind, std::uint32_t uid) {
    return {k_launchctl, "print", Domain{kind, uid}.target()};
}
Argv print_command(const Domain& domain, std::string_view label) {
    return {k_launchctl, "print", domain.service(label)};
}
Argv bootstrap_command(const Domain& domain, const std::filesystem::path& plist) {
    return {k_launchctl, "bootstrap", domain.target(), plist.string()};
}
Argv bootout_command(const Domain& domain, std::string_view label) {
    return {k_launchctl, "bootout", domain.service(label)};
}
Argv enable_command(const Domain& domain, std::string_view label) {
    return {k_launchctl, "enable", domain.service(label)};
}
Argv disable_command(const Domain& domain, std::string_view label) {
    return {k_launchctl, "disable", domain.service(label)};
}
Argv kickstart_command(const Domain& domain, std::string_view label, Kick kick) {
    if (kick == Kick::restart) return {k_launchctl, "kickstart", "-k", domain.service(label)};
    return {k_launchctl, "kickstart", domain.service(label)};
}
Argv load_command(const std::filesystem::path& plist, Persist persist) {
    if (persist == Persist::write) return {k_launchctl, "load", "-w", plist.string()};
    return {k_launchctl, "load", plist.string()};
}
Argv unload_command(const std::filesystem::path& plist, Persist persist) {
    if (persist == Persist::write) return {k_launchctl, "unload", "-w", plist.string()};
    return {k_launchctl, "unload", plist.string()};
}
Argv list_command(std::string_view label) { return {k_launchctl, "list", std::string(label)}; }

PrintedService parse_print(std::string_view text) {
    PrintedService service;
    service.arguments = arguments_block(text);
    for_each_top_level(text, [&service](std::string_view key, std::string_view value) {
        if (key == "state") service.state = value;
        if (key == "path") service.path = value;
        if (key == "job state") service.job_state = value;
        if (key == "pid") service.pid = leading_number<long long>(value);
        if (key == "runs") service.runs = leading_number<long long>(value);
        if (key == "last exit code") {
            service.last_exit_text = value;
            service.last_exit_code = exit_code_from(value);
        }
        if (key == "last terminating signal") {
            service.last_exit_text = value;
            if (auto signal = signal_from(value)) service.last_exit_code = 128 + *signal;
        }
    });
    return service;
}

PrintedService parse_list(std::string_view text) {
    PrintedService service;
    for_each_top_level(text, [&service](std::string_view key, std::string_view value) {
        if (!value.empty() && value.back() == ';') value.remove_suffix(1);
        if (key == "\"PID\"") service.pid = leading_number<long long>(value);
        if (key == "\"LastExitStatus\"") {
            service.last_exit_text = value;
            if (auto status = leading_number<long long>(value)) service.last_exit_code = exit_from_wait_status(*status);
        }
    });
    service.state = service.pid ? "running" : "not running";
    return service;
}

bool is_not_loaded(const sdk::ProcessResult& result) {
    if (!result.started || result.timed_out || result.exit_code == 0) return false;
    if (result.exit_code == 113 || result.exit_code == 3) return true;
    const auto text = sdk::ascii_lowercase(result.err + result.out);
    return text.find("could not find service") != std::string::npos ||
           text.find("no such process") != std::string::npos;
}

bool lacks_domain_verbs(const sdk::ProcessResult& result) {
    if (!result.started || result.exit_code == 0) return false;
    const auto text = sdk::ascii_lowercase(result.err + result.out);
    return text.find("unrecognized subcommand") != std::string::npos ||
           text.find("unknown subcommand") != std::string::npos;
}

std::string explain_failure(const Argv& argv, const sdk::ProcessResult& result) {
    std::string command;
    for (const auto& arg : argv) command += (command.empty() ? "" : " ") + arg;
    if (!result.started) return "cannot run " + command + ": " + result.error;
    if (result.timed_out) return command + " did not finish in time and was stopped";
    std::string text = command + " failed (exit " + std::to_string(result.exit_code) + ")";
    if (auto said = first_line(result); !said.empty()) text += ": " + said;
    if (auto hint = hint_for(error_number(result), argv); !hint.empty()) text += " -- " + hint;
    return text;
}

}  // namespace ductor::launchd
