#pragma once
// What each plugin file declared about itself (its C info), remembered by
// the file's fingerprint (platform::file_fingerprint: device, inode, size,
// modification and change times), so that a command does not load every
// unchanged plugin in a child again only to learn its name and priority.
//
// The cache lives in $XDG_RUNTIME_DIR/ductor/plugin-info: one per user, in
// the runtime folder only that user may enter, gone at logout or reboot;
// without a runtime folder nothing is cached. It is read only when the trust
// rules accept it as they would a plugin (plugin/trust.hpp) and only when a
// ductor of the same version, plugin ABI and C++ ABI wrote it. It keeps only
// what depends on the file alone: a plugin whose info was read (accepted, or
// refused for its ABI or its name). A file that could not be loaded, crashed,
// exited or hung is asked again by the next command. A cached plugin is still
// loaded and its info read and checked again in ductor's own process before
// any of its C++ symbols is used; the cache only decides the order.

#include <ductor/plugin/probe.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ductor::plugin {

class InfoCache {
public:
    // Reads `file` when it exists, is trusted and matches this ductor. Never throws.
    explicit InfoCache(std::filesystem::path file);
    InfoCache(const InfoCache&) = delete;  // it holds views into its own text
    InfoCache& operator=(const InfoCache&) = delete;

    // Replaces `report` with what is remembered for `candidate` when its file
    // still has `fingerprint` (no availability: that is never remembered);
    // false, with `report` untouched, otherwise.
    bool find(const Candidate& candidate, const platform::Fingerprint& fingerprint, ProbeReport& report) const;
    // Remembers `report` for the file with `fingerprint` (taken before the file
    // was read) when the outcome depends on the file alone.
    void remember(const ProbeReport& report, const platform::Fingerprint& fingerprint);
    // Writes the cache (temp file and rename) when something new was
    // remembered. Failures are ignored: it is only a cache. Never throws.
    void save() const;

    // $XDG_RUNTIME_DIR/ductor/plugin-info when the runtime folder exists.
    static std::optional<std::filesystem::path> default_file();

private:
    struct Remembered {
        platform::Fingerprint fingerprint;
        ProbeReport report;
    };
    // A line of the file, parsed only when a command asks for its plugin: a
    // command reads few of the entries that all commands together wrote.
    struct Line {
        std::string_view path;  // the first field, still escaped
        std::string_view text;  // the whole line, without its newline
    };
    std::optional<std::size_t> line_index(std::string_view path) const;

    std::filesystem::path m_file;
    std::string m_text;                              // the file as read
    std::vector<Line> m_lines;                       // views into m_text, sorted by path
    mutable std::vector<bool> m_asked;               // by line: it answered this command, so it is kept first
    mutable std::size_t m_last_found = 0;            // the line line_index() found last
    std::map<std::string, Remembered> m_remembered;  // new answers, by plugin path
    bool m_changed = false;
};

}  // namespace ductor::plugin
