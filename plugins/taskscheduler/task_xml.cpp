#include <ductor/taskscheduler/task_xml.hpp>

#include <ductor/sdk/text.hpp>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <utility>

namespace ductor::taskscheduler {
namespace {

// One escaped field, or the first error met while escaping.
class Escaper {
public:
    std::string field(std::string_view name, std::string_view text) {
        auto escaped = escape_xml(text);
        if (!escaped && m_error.empty()) m_error = "task " + std::string(name) + ": " + escaped.error();
        return std::move(escaped).value_or(std::string());
    }
    const std::string& error() const { return m_error; }

private:
    std::string m_error;
};

std::string element(std::string_view indent, std::string_view name, std::string_view escaped_text) {
    return std::string(indent) + "<" + std::string(name) + ">" + std::string(escaped_text) + "</" + std::string(name) +
           ">\n";
}

std::string lines(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (auto part : parts) out.append(part).push_back('\n');
    return out;
}

std::string triggers(const std::string& user) {
    // UserId limits the trigger to this user; without it the trigger covers
    // every user's logon and registering it needs administrator rights.
    return "  <Triggers>\n    <LogonTrigger>\n" + element("      ", "Enabled", "true") +
           element("      ", "UserId", user) + element("      ", "Delay", "PT10S") +
           "    </LogonTrigger>\n  </Triggers>\n";
}

std::string principals(const std::string& user) {
    return "  <Principals>\n    <Principal id=\"Author\">\n" + element("      ", "UserId", user) +
           element("      ", "LogonType", "InteractiveToken") + element("      ", "RunLevel", "LeastPrivilege") +
           "    </Principal>\n  </Principals>\n";
}

std::string settings() {
    // RestartOnFailure covers a task that fails to *start*: Microsoft's
    // Task Scheduler protocol specification ([MS-TSCH] 2.5.4.2
    // "RestartOnFailure", learn.microsoft.com/openspecs/windows_protocols/ms-tsch)
    // says the start is attempted again "if the task fails to run because one
    // of the start conditions is not met ... or because of a failure to start
    // an action".
    // A program that starts and later exits non-zero is not restarted by it,
    // so the runner (`ductor run --restart ...`) applies the spec's policy.
    return lines(
        {"  <Settings>", "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>",
         "    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>",
         "    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>",
         "    <AllowHardTerminate>true</AllowHardTerminate>", "    <StartWhenAvailable>true</StartWhenAvailable>",
         "    <RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>",
         "    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>", "    <AllowStartOnDemand>true</AllowStartOnDemand>",
         "    <Enabled>true</Enabled>", "    <Hidden>false</Hidden>", "    <RestartOnFailure>",
         "      <Interval>PT1M</Interval>", "      <Count>3</Count>", "    </RestartOnFailure>", "  </Settings>"});
}

std::string actions(Escaper& esc, const TaskDefinition& task) {
    std::string out = "  <Actions Context=\"Author\">\n    <Exec>\n";
    out += element("      ", "Command", esc.field("command", task.command));
    if (!task.arguments.empty()) out += element("      ", "Arguments", esc.field("arguments", task.arguments));
    if (!task.working_directory.empty()) {
        out += element("      ", "WorkingDirectory", esc.field("working directory", task.working_directory));
    }
    return out + "    </Exec>\n  </Actions>\n";
}

}  // namespace

sdk::Expected<std::string> render_task_xml(const TaskDefinition& task) {
    Escaper esc;
    const auto user = esc.field("user", task.user_id);
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n";
    xml += "<Task version=\"1.2\" xmlns=\"" + std::string(k_task_namespace) + "\">\n";
    xml += "  <RegistrationInfo>\n" + element("    ", "Description", esc.field("description", task.description)) +
           "  </RegistrationInfo>\n";
    xml += triggers(user) + principals(user) + settings() + actions(esc, task) + "</Task>\n";
    if (!esc.error().empty()) return sdk::unexpected(esc.error());
    return xml;
}

sdk::Expected<std::string> encode_task_xml(std::string_view xml) { return to_utf16le_with_bom(xml); }

namespace {

// The markup of schtasks' output: UTF-16 output of ASCII markup, read byte by byte.
std::string without_zero_bytes(std::string_view xml) {
    std::string text;
    text.reserve(xml.size());
    for (char c : xml)
        if (c != '\0') text += c;
    return text;
}

}  // namespace

bool has_task_definition(std::string_view output) {
    const auto text = without_zero_bytes(output);
    return text.find("<Task ") != std::string::npos || text.find("<Task>") != std::string::npos;
}

std::optional<std::string> exec_command_of(std::string_view xml) {
    const auto text = without_zero_bytes(xml);
    const auto exec = text.find("<Exec>");
    if (exec == std::string::npos) return std::nullopt;
    const auto open = text.find("<Command>", exec);
    const auto close = text.find("</Command>", exec);
    if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
    const auto raw = std::string_view(text).substr(open + 9, close - open - 9);
    return sdk::unescape_xml(raw);
}

bool is_runner_command(std::string_view command) {
    const auto slash = command.find_last_of("\\/");
    const auto file = sdk::ascii_lowercase(slash == std::string_view::npos ? command : command.substr(slash + 1));
    return file == "ductorw.exe" || file == "ductor.exe";
}

}  // namespace ductor::taskscheduler
