#pragma once
// Fixture plugin files placed where a test wants them, with the modes and
// owners the trust rules look at.

#include <ductor/plugin/discovery.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace ductor::test {

// A built fixture: tests/fixtures/plugins/<stem><suffix>.
std::filesystem::path fixture_plugin(const std::string& stem);
// A built hostile fixture: tests/fixtures/hostile/<stem><suffix>.
std::filesystem::path hostile_plugin(const std::string& stem);

// Creates `dir` (and parents) with mode 0755, whatever the umask.
std::filesystem::path private_folder(const std::filesystem::path& dir);

// Copies `file` into `dir` (made private) as <as or its own stem><suffix>, mode 0755; the copy's path.
std::filesystem::path place_plugin(const std::filesystem::path& dir, const std::filesystem::path& file,
                                   const std::string& as = {});

// A user id that no account has (for "owned by another user").
std::uint32_t unused_uid();

// Whether this process may give files away (chown to another user): root.
bool can_chown();

// A candidate for the loader, as discovery would make it.
plugin::Candidate candidate_for(const std::filesystem::path& file);

}  // namespace ductor::test
