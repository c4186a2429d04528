#pragma once
// Text checks and conversions shared by the Task Scheduler renderers: UTF-8
// decoding, XML escaping and the UTF-16LE encoding schtasks reads. Pure
// functions; nothing here throws.

#include <ductor/sdk/expected.hpp>

#include <string>
#include <string_view>

namespace ductor::taskscheduler {

// Escapes `text` for an XML 1.0 text node or attribute value: & < > " ' and
// CR/TAB become references. Fails (with the offending position) on bytes that
// are not valid UTF-8 and on characters XML 1.0 cannot carry at all (C0
// controls other than TAB/LF/CR, U+FFFE, U+FFFF).
sdk::Expected<std::string> escape_xml(std::string_view text);

// Encodes UTF-8 `text` as UTF-16LE preceded by the byte order mark FF FE.
// Fails on invalid UTF-8.
sdk::Expected<std::string> to_utf16le_with_bom(std::string_view text);

}  // namespace ductor::taskscheduler
