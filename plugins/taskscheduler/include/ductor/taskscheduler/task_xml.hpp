#pragma once
// The Task Scheduler task definition (schema 1.2, namespace
// http://schemas.microsoft.com/windows/2004/02/mit/task) as small pure
// functions: a logon task for one user that runs one Exec action.

#include <ductor/taskscheduler/text.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ductor::taskscheduler {

// The task namespace every rendered document uses.
inline constexpr std::string_view k_task_namespace = "http://schemas.microsoft.com/windows/2004/02/mit/task";

// What varies between tasks; everything else is fixed by the design.
struct TaskDefinition {
    std::string description;        // RegistrationInfo/Description
    std::string user_id;            // "DOMAIN\user" or "user": the logon trigger and the principal
    std::string command;            // Exec/Command: absolute path of the program
    std::string arguments;          // Exec/Arguments: already quoted for CommandLineToArgvW
    std::string working_directory;  // Exec/WorkingDirectory; empty: left out
};

// Renders the task as UTF-8 XML text (with an encoding="UTF-16" declaration:
// the bytes written are to_utf16le_with_bom() of it). Fails when a field holds
// text XML cannot carry; the error names the field.
sdk::Expected<std::string> render_task_xml(const TaskDefinition& task);

// The bytes schtasks reads: render_task_xml() encoded as UTF-16LE with BOM.
sdk::Expected<std::string> encode_task_xml(std::string_view xml);

// The program an existing task starts: the text of its first Exec/Command in
// `xml` as `schtasks /Query /XML` prints it (UTF-8, or UTF-16 with its zero
// bytes), with its references decoded (sdk::unescape_xml); nullopt when there
// is none or its text is not well-formed.
std::optional<std::string> exec_command_of(std::string_view xml);

// True when `output` holds a task's definition at all (a <Task> element, in
// UTF-8 or UTF-16): Wine's schtasks prints none for /Query /XML.
bool has_task_definition(std::string_view output);

// True when `command` (a task's Exec/Command) is ductor's runner: its file
// name is ductorw.exe or ductor.exe, in any case.
bool is_runner_command(std::string_view command);

}  // namespace ductor::taskscheduler
