#pragma once
// UTF-8 <-> UTF-16 and error texts for the Windows platform files (private).

#include <filesystem>
#include <string>
#include <string_view>

namespace ductor::platform::win {

std::wstring widen(std::string_view utf8);
std::string narrow(std::wstring_view utf16);
// FormatMessage's text for a Win32 error code, without the trailing newline.
std::string last_error_text(unsigned long code);

}  // namespace ductor::platform::win
