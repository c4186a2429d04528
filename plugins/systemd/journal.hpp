#pragma once
// Reading a user unit's journal lines in-process with sd-journal. Private to
// the systemd plugin.

#include "libsystemd.hpp"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace ductor::systemd {

// The last `lines` entries of user unit `unit` of user `uid`, one line each,
// in journalctl's short format without the host name ("Mon DD HH:MM:SS
// ident[pid]: message"): the entries journalctl --user --unit=UNIT shows (for
// root, --user-unit=UNIT over every journal). Empty when there are none or the
// journal cannot be opened.
std::string read_journal_tail(const LibSystemd& lib, const std::string& unit, std::optional<std::uint32_t> uid,
                              unsigned lines);

// Writes the same lines to `out` ("-- No entries --" when there are none) and,
// with `follow`, every new entry as it comes, until the process ends. An
// error when the journal cannot be opened.
sdk::Expected<void> write_journal(const LibSystemd& lib, const std::string& unit, std::optional<std::uint32_t> uid,
                                  unsigned lines, bool follow, std::ostream& out);

}  // namespace ductor::systemd
