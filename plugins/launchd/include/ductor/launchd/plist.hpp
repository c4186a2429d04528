#pragma once
// The LaunchAgent property list: a small model of the keys ductor writes and
// pure functions that check, escape and render it as an XML plist
// (declaration, Apple DOCTYPE, <plist version="1.0">). No I/O here.

#include <ductor/sdk/expected.hpp>
#include <ductor/sdk/spec.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::launchd {

// When launchd starts the program again after it ended (the KeepAlive key).
enum class KeepAlive {
    never,       // <false/>: leave it stopped
    on_failure,  // {SuccessfulExit = false}: after a non-zero exit or a signal
    always,      // <true/>: after any exit
};

// Everything the plist says. RunAtLoad (true) and ProcessType (Background)
// are fixed and not part of the model.
struct AgentPlist {
    std::string label;
    std::vector<std::string> program_arguments;  // one <string> each, never a shell string
    KeepAlive keep_alive = KeepAlive::on_failure;
    long long throttle_interval = 10;      // seconds between restarts
    std::vector<sdk::EnvVar> environment;  // EnvironmentVariables, in this order
    std::optional<std::string> working_directory;
    std::string standard_out_path;
    std::string standard_error_path;
    // LimitLoadToSessionType; "Background" when the agent goes to the user/<uid>
    // domain (no GUI login), where the default session type (Aqua) cannot load.
    std::optional<std::string> session_type;
};

// Whether XML 1.0 can carry `text`; what it cannot carry otherwise ("control
// character U+0007 at byte 3", "invalid UTF-8 at byte 0"). XML 1.0 allows TAB,
// LF, CR, U+0020..U+D7FF, U+E000..U+FFFD and U+10000..U+10FFFF, in valid UTF-8.
sdk::Expected<void> check_xml_text(std::string_view text);

// Escapes text for XML element content: & < > and CR (as &#13;, which a
// parser would otherwise turn into LF). Precondition: check_xml_text(text)
// succeeds; other bytes are copied unchanged.
std::string escape_xml(std::string_view text);

// The comment every plist ductor writes carries: how install recognises its own.
inline constexpr std::string_view k_plist_marker =
    "<!-- Written by ductor; remove it with: ductor service uninstall -->";

// Checks every string of `agent`, then renders the plist document; the error
// names the first field XML cannot carry.
sdk::Expected<std::string> render_plist(const AgentPlist& agent);

// The ProgramArguments array of the plist document `text` (as ductor writes
// it, or edited by hand: <string/> elements, character references), decoded;
// nullopt when the key is missing or its value is not an array of strings.
std::optional<std::vector<std::string>> program_arguments_of(std::string_view text);

}  // namespace ductor::launchd
