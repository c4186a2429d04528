#pragma once
// UTF-8 <-> UTF-16 and error texts for the Windows platform files (private).

#include <filesystem>
#include <string>
#include <string_view>

namespace ductor::platform::win {

std::wstring widen(std::string_view utf8);
std::string narrow(std::wstring_view utf16);
// A path from UTF-8 text, and its UTF-8 text.
std::filesystem::path to_path(std::string_view utf8);
std::string from_path(const std::filesystem::path& path);
// FormatMessage's text for a Win32 error code, without the trailing newline.
std::string last_error_text(unsigned long code);
// One argument quoted so that CommandLineToArgvW and the C runtime give it back unchanged.
std::wstring quote_argument(const std::wstring& argument);

}  // namespace ductor::platform::win
