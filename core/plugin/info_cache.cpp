#include <ductor/plugin/info_cache.hpp>

#include <ductor/platform/files.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/plugin/trust.hpp>
#include <ductor/sdk/abi.hpp>

#include "lines.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <system_error>
#include <type_traits>

namespace ductor::plugin {
namespace {

using lines::line;
using lines::number;
using lines::unescape;

constexpr std::size_t k_entry_fields = 11;
// Entries of files that this command did not look at are kept up to this many in all.
constexpr std::size_t k_max_entries = 512;

std::string header() {
    return line({"ductor plugin info cache 1", DUCTOR_VERSION,
                 std::to_string(DUCTOR_ABI_MAJOR) + "." + std::to_string(DUCTOR_ABI_MINOR), core_cxx_abi()});
}

std::string entry_line(const std::string& path, const platform::Fingerprint& fingerprint, const ProbeReport& report) {
    const auto& info = *report.info;
    return line({path, fingerprint.text(), report.accepted ? "1" : "0", report.failure, std::to_string(info.abi_major),
                 std::to_string(info.abi_minor), info.cxx_abi, info.name, info.version, std::to_string(info.priority),
                 info.summary});
}

// A path as the cache writes it: on POSIX its own text, not copied.
decltype(auto) path_text(const SharedPath& path) {
    if constexpr (std::is_same_v<SharedPath::Text, std::string>)
        return path.native();
    else
        return path.string();
}

// A line's first field (its path, still escaped).
std::string_view first_field(std::string_view line) { return line.substr(0, line.find('\t')); }

using Fields = std::array<std::string_view, k_entry_fields>;

// The fields of a cache line, still escaped; nullopt unless it has exactly k_entry_fields.
std::optional<Fields> split(std::string_view text) {
    Fields f;
    std::size_t n = 0;
    for (std::size_t start = 0;; ++n) {
        const auto tab = text.find('\t', start);
        if (n == k_entry_fields) return std::nullopt;
        f[n] = text.substr(start, tab == std::string_view::npos ? tab : tab - start);
        if (tab == std::string_view::npos) break;
        start = tab + 1;
    }
    if (n + 1 != k_entry_fields) return std::nullopt;
    return f;
}

// The numbers, flags and fingerprint are never escaped, so they are read as they stand.
// Fills `report` but its candidate (the outcome, the info, no availability); false, with
// `report` untouched, when a field does not read.
bool parse_entry(const Fields& f, ProbeReport& report) {
    if (f[2] != "0" && f[2] != "1") return false;
    auto major = number<std::uint32_t>(f[4]);
    auto minor = number<std::uint32_t>(f[5]);
    auto priority = number<std::int32_t>(f[9]);
    if (!major || !minor || !priority) return false;
    report.accepted = f[2] == "1";
    report.availability.reset();  // never cached: a fact of here and now
    report.failure = unescape(f[3]);
    report.info =
        PluginInfo{unescape(f[7]), unescape(f[8]), unescape(f[10]), *priority, *major, *minor, unescape(f[6])};
    return true;
}

}  // namespace

InfoCache::InfoCache(std::filesystem::path file) : m_file(std::move(file)) {
    std::error_code ec;
    if (!std::filesystem::exists(m_file, ec) || !check_trusted(m_file)) return;
    auto text = platform::read_file(m_file);
    if (!text) return;
    m_text = std::move(*text);
    const std::string_view all(m_text);
    auto end = all.find('\n');
    if (end == std::string_view::npos || all.substr(0, end) != header()) return;
    for (auto at = end + 1; at < all.size(); at = end + 1) {
        end = all.find('\n', at);
        if (end == std::string_view::npos) break;  // a line without its end was cut short
        const auto one = all.substr(at, end - at);
        m_lines.push_back({first_field(one), one});
    }
    // The file is written sorted by path; an edited one is sorted here. Stable: of two lines with
    // one path, the first in the file is the one found.
    auto by_path = [](const Line& a, const Line& b) { return a.path < b.path; };
    if (!std::is_sorted(m_lines.begin(), m_lines.end(), by_path))
        std::stable_sort(m_lines.begin(), m_lines.end(), by_path);
    m_asked.assign(m_lines.size(), false);
}

std::optional<std::size_t> InfoCache::line_index(std::string_view path) const {
    std::string escaped;
    std::string_view key = path;
    if (lines::needs_escape(path)) key = escaped = lines::escape(path);
    // Commands ask in the order of their folders and of the names in each, which is mostly the
    // lines' own order: the line after the last one found is tried first. It is taken only when
    // it is the first line with its path, as the search below would find it.
    const auto next = m_last_found + 1;
    if (next < m_lines.size() && m_lines[next].path == key && m_lines[next - 1].path != key) return m_last_found = next;
    auto it = std::lower_bound(m_lines.begin(), m_lines.end(), key,
                               [](const Line& line, std::string_view k) { return line.path < k; });
    if (it == m_lines.end() || it->path != key) return std::nullopt;
    return m_last_found = static_cast<std::size_t>(it - m_lines.begin());
}

bool InfoCache::find(const Candidate& candidate, const platform::Fingerprint& fingerprint, ProbeReport& report) const {
    const auto& path = path_text(candidate.file);
    if (auto it = m_remembered.find(path); it != m_remembered.end()) {
        if (it->second.fingerprint != fingerprint) return false;
        report = it->second.report;
    } else {
        const auto at = line_index(path);
        if (!at) return false;
        // The fingerprint first: a changed file costs no parsing.
        const auto f = split(m_lines[*at].text);
        if (!f || platform::Fingerprint::from_text((*f)[1]) != fingerprint || !parse_entry(*f, report)) return false;
        m_asked[*at] = true;
    }
    report.candidate = candidate;
    return true;
}

void InfoCache::remember(const ProbeReport& report, const platform::Fingerprint& fingerprint) {
    if (!report.info) return;
    m_remembered[report.candidate.file.string()] = {fingerprint, report};
    m_changed = true;
}

void InfoCache::save() const {
    if (!m_changed || m_file.empty()) return;
    try {
        // What this command learned or asked for first, then the others while they fit.
        std::vector<std::string> kept;
        for (const auto& [path, entry] : m_remembered)
            kept.push_back(entry_line(path, entry.fingerprint, entry.report));
        auto keep = [&](bool asked) {
            for (std::size_t i = 0; i < m_lines.size(); ++i) {
                if (m_asked[i] != asked || (i > 0 && m_lines[i].path == m_lines[i - 1].path)) continue;
                if (!asked && kept.size() >= k_max_entries) break;
                const auto f = split(m_lines[i].text);
                ProbeReport scratch;
                if (!f || m_remembered.count(unescape(m_lines[i].path)) != 0 || !parse_entry(*f, scratch)) continue;
                kept.emplace_back(m_lines[i].text);
            }
        };
        keep(true);
        keep(false);
        // Sorted by path, as the next command looks them up: it then finds them in order and does
        // not sort them again. A path is on one line at most.
        std::sort(kept.begin(), kept.end(),
                  [](const std::string& a, const std::string& b) { return first_field(a) < first_field(b); });
        std::string content = header() + "\n";
        for (const auto& one : kept) content.append(one).push_back('\n');
        std::error_code ec;
        const auto dir = m_file.parent_path();
        if (std::filesystem::create_directory(dir, ec))
            std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
        // A name of this process's own: commands that run at the same time do not share a temp file.
        auto temp = dir / ("." + m_file.filename().string() + ".tmp-" + std::to_string(platform::current_pid()));
        {
            std::ofstream out(temp, std::ios::binary | std::ios::trunc);
            out << content;
            if (!out.flush()) {
                std::filesystem::remove(temp, ec);
                return;
            }
        }
        std::filesystem::permissions(temp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                     ec);
        std::filesystem::rename(temp, m_file, ec);
        if (ec) std::filesystem::remove(temp, ec);
    } catch (...) {
        // only a cache
    }
}

std::optional<std::filesystem::path> InfoCache::default_file() {
    auto runtime = platform::environment("XDG_RUNTIME_DIR");
    if (!runtime || runtime->empty()) return std::nullopt;
    std::filesystem::path dir(*runtime);
    std::error_code ec;
    if (!dir.is_absolute() || !std::filesystem::is_directory(dir, ec)) return std::nullopt;
    return dir / "ductor" / "plugin-info";
}

}  // namespace ductor::plugin
