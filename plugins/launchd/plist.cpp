#include <ductor/launchd/plist.hpp>

#include <ductor/sdk/text.hpp>

#include <utility>

namespace ductor::launchd {
namespace {

void add_string(std::string& out, int depth, std::string_view tag, std::string_view value) {
    out.append(static_cast<std::size_t>(depth), '\t');
    out += '<';
    out += tag;
    out += '>';
    out += escape_xml(value);
    out += "</";
    out += tag;
    out += ">\n";
}

void add_line(std::string& out, int depth, std::string_view line) {
    out.append(static_cast<std::size_t>(depth), '\t');
    out += line;
    out += '\n';
}

// Every field XML can carry, or the first that it cannot, as "<field> has <problem>, ...".
sdk::Expected<void> check_fields(const AgentPlist& agent) {
    std::vector<std::pair<std::string, std::string_view>> fields{{"Label", agent.label}};
    for (std::size_t i = 0; i < agent.program_arguments.size(); ++i)
        fields.emplace_back("ProgramArguments[" + std::to_string(i) + "]", agent.program_arguments[i]);
    for (const auto& var : agent.environment) {
        fields.emplace_back("the name of environment variable '" + var.key + "'", var.key);
        fields.emplace_back("environment variable " + var.key, var.value);
    }
    if (agent.working_directory) fields.emplace_back("WorkingDirectory", *agent.working_directory);
    fields.emplace_back("StandardOutPath", agent.standard_out_path);
    fields.emplace_back("StandardErrorPath", agent.standard_error_path);
    if (agent.session_type) fields.emplace_back("LimitLoadToSessionType", *agent.session_type);
    for (const auto& [field, value] : fields) {
        if (auto carried = check_xml_text(value); !carried)
            return sdk::unexpected(field + " has " + carried.error() + ", which an XML property list cannot carry");
    }
    return {};
}

void add_keep_alive(std::string& out, KeepAlive keep_alive) {
    add_string(out, 1, "key", "KeepAlive");
    switch (keep_alive) {
        case KeepAlive::never: add_line(out, 1, "<false/>"); return;
        case KeepAlive::always: add_line(out, 1, "<true/>"); return;
        case KeepAlive::on_failure:
            add_line(out, 1, "<dict>");
            add_string(out, 2, "key", "SuccessfulExit");
            add_line(out, 2, "<false/>");
            add_line(out, 1, "</dict>");
            return;
    }
}

void add_environment(std::string& out, const std::vector<sdk::EnvVar>& environment) {
    add_string(out, 1, "key", "EnvironmentVariables");
    add_line(out, 1, "<dict>");
    for (const auto& var : environment) {
        add_string(out, 2, "key", var.key);
        add_string(out, 2, "string", var.value);
    }
    add_line(out, 1, "</dict>");
}

}  // namespace

sdk::Expected<void> check_xml_text(std::string_view text) {
    const auto fault = sdk::first_xml_text_fault(text);
    if (!fault) return {};
    const auto at = " at byte " + std::to_string(fault->byte);
    if (!fault->code_point) return sdk::unexpected("invalid UTF-8" + at);
    const auto c = *fault->code_point;
    const char* kind = c < 0x20 || c == 0x7F ? "control character " : "character ";
    return sdk::unexpected(kind + sdk::code_point_name(c) + at);
}

std::string escape_xml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '\r': out += "&#13;"; break;
            default: out += c;
        }
    }
    return out;
}

sdk::Expected<std::string> render_plist(const AgentPlist& agent) {
    if (auto checked = check_fields(agent); !checked) return sdk::unexpected(std::move(checked).error());
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n";
    out.append(k_plist_marker).append("\n<plist version=\"1.0\">\n<dict>\n");
    add_string(out, 1, "key", "Label");
    add_string(out, 1, "string", agent.label);
    add_string(out, 1, "key", "ProgramArguments");
    add_line(out, 1, "<array>");
    for (const auto& arg : agent.program_arguments) add_string(out, 2, "string", arg);
    add_line(out, 1, "</array>");
    add_string(out, 1, "key", "RunAtLoad");
    add_line(out, 1, "<true/>");
    add_keep_alive(out, agent.keep_alive);
    add_string(out, 1, "key", "ThrottleInterval");
    add_string(out, 1, "integer", std::to_string(agent.throttle_interval));
    add_string(out, 1, "key", "ProcessType");
    add_string(out, 1, "string", "Background");
    if (agent.session_type) {
        add_string(out, 1, "key", "LimitLoadToSessionType");
        add_string(out, 1, "string", *agent.session_type);
    }
    add_environment(out, agent.environment);
    if (agent.working_directory) {
        add_string(out, 1, "key", "WorkingDirectory");
        add_string(out, 1, "string", *agent.working_directory);
    }
    add_string(out, 1, "key", "StandardOutPath");
    add_string(out, 1, "string", agent.standard_out_path);
    add_string(out, 1, "key", "StandardErrorPath");
    add_string(out, 1, "string", agent.standard_error_path);
    out += "</dict>\n</plist>\n";
    return out;
}

namespace {

// Skips XML white space at the front of `text`.
void skip_space(std::string_view& text) {
    while (!text.empty() &&
           (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r'))
        text.remove_prefix(1);
}

// Removes `token` from the front of `text` (after white space); false when it is not there.
bool take(std::string_view& text, std::string_view token) {
    skip_space(text);
    if (text.substr(0, token.size()) != token) return false;
    text.remove_prefix(token.size());
    return true;
}

}  // namespace

std::optional<std::vector<std::string>> program_arguments_of(std::string_view text) {
    const auto key = text.find("<key>ProgramArguments</key>");
    if (key == std::string_view::npos) return std::nullopt;
    text.remove_prefix(key + std::string_view("<key>ProgramArguments</key>").size());
    if (!take(text, "<array>")) return std::nullopt;
    std::vector<std::string> arguments;
    while (!take(text, "</array>")) {
        if (take(text, "<string/>")) {
            arguments.emplace_back();
            continue;
        }
        if (!take(text, "<string>")) return std::nullopt;
        const auto close = text.find("</string>");
        if (close == std::string_view::npos) return std::nullopt;
        auto value = sdk::unescape_xml(text.substr(0, close));
        if (!value) return std::nullopt;
        arguments.push_back(std::move(*value));
        text.remove_prefix(close + std::string_view("</string>").size());
    }
    return arguments;
}

}  // namespace ductor::launchd
