#pragma once
// Test helpers for the launchd plist: a JSON encoder that writes exactly what
// Python's json.dumps(sort_keys=True, ensure_ascii=True, separators=(",", ":"))
// writes, and a runner for tests/launchd/plist_to_json.py (python3 plistlib).

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::test::launchd {

// A JSON string literal for UTF-8 `text`, escaped as Python's ensure_ascii does.
std::string json_string(std::string_view text);
// A JSON array of already encoded values.
std::string json_array(const std::vector<std::string>& encoded);
// A JSON array of strings.
std::string json_strings(const std::vector<std::string>& values);
// A JSON object of already encoded values, keys sorted by code point.
std::string json_object(const std::map<std::string, std::string>& encoded);

// Loads each file with python3's plistlib and returns one canonical JSON line
// per file, in order. Fails the running test (REQUIRE) when python3 cannot be
// run or any file is not a valid plist; the message carries python's reason.
std::vector<std::string> plistlib_json(const std::vector<std::filesystem::path>& files);

}  // namespace ductor::test::launchd
