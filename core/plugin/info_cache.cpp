#include <ductor/plugin/info_cache.hpp>

#include <ductor/platform/files.hpp>
#include <ductor/platform/runner.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/plugin/trust.hpp>
#include <ductor/sdk/abi.hpp>

#include "lines.hpp"

#include <algorithm>
#include <fstream>
#include <system_error>

namespace ductor::plugin {
namespace {

using lines::fields;
using lines::line;
using lines::number;

constexpr std::size_t k_entry_fields = 11;
// Entries of files that this command did not look at are kept up to this many in all.
constexpr std::size_t k_max_entries = 512;

std::string header() {
    return line({"ductor plugin info cache 1", DUCTOR_VERSION,
                 std::to_string(DUCTOR_ABI_MAJOR) + "." + std::to_string(DUCTOR_ABI_MINOR), core_cxx_abi()});
}

std::string entry_line(const std::string& path, const std::string& fingerprint, const ProbeReport& report) {
    const auto& info = *report.info;
    return line({path, fingerprint, report.accepted ? "1" : "0", report.failure, std::to_string(info.abi_major),
                 std::to_string(info.abi_minor), info.cxx_abi, info.name, info.version, std::to_string(info.priority),
                 info.summary});
}

std::optional<ProbeReport> parse_entry(const std::vector<std::string>& f) {
    if (f.size() != k_entry_fields || (f[2] != "0" && f[2] != "1")) return std::nullopt;
    auto major = number<std::uint32_t>(f[4]);
    auto minor = number<std::uint32_t>(f[5]);
    auto priority = number<std::int32_t>(f[9]);
    if (!major || !minor || !priority) return std::nullopt;
    ProbeReport report;
    report.accepted = f[2] == "1";
    report.failure = f[3];
    report.info = PluginInfo{f[7], f[8], f[10], *priority, *major, *minor, f[6]};
    return report;
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
        m_lines.push_back({one.substr(0, one.find('\t')), one});
    }
    std::stable_sort(m_lines.begin(), m_lines.end(), [](const Line& a, const Line& b) { return a.path < b.path; });
}

const InfoCache::Line* InfoCache::line_of(const std::string& path) const {
    const auto key = lines::escape(path);
    auto it = std::lower_bound(m_lines.begin(), m_lines.end(), key,
                               [](const Line& line, const std::string& k) { return line.path < k; });
    return it != m_lines.end() && it->path == key ? &*it : nullptr;
}

std::optional<ProbeReport> InfoCache::find(const Candidate& candidate, const std::string& fingerprint) const {
    const auto path = candidate.file.string();
    auto it = m_entries.find(path);
    if (it == m_entries.end()) {
        const auto* line = line_of(path);
        if (line == nullptr) return std::nullopt;
        auto f = fields(line->text);
        auto report = parse_entry(f);
        if (!report) return std::nullopt;
        it = m_entries.emplace(path, Entry{f[1], std::move(*report), false}).first;
    }
    if (it->second.fingerprint != fingerprint) return std::nullopt;
    it->second.touched = true;
    auto report = it->second.report;
    report.candidate = candidate;
    return report;
}

void InfoCache::remember(const ProbeReport& report, const std::string& fingerprint) {
    if (!report.info) return;
    auto& entry = m_entries[report.candidate.file.string()];
    entry = {fingerprint, report, true};
    m_changed = true;
}

void InfoCache::save() const {
    if (!m_changed || m_file.empty()) return;
    try {
        std::string content = header() + "\n";
        std::size_t kept = 0;
        for (const auto& [path, entry] : m_entries) {
            if (!entry.touched) continue;
            content += entry_line(path, entry.fingerprint, entry.report) + "\n";
            ++kept;
        }
        for (const auto& [path, entry] : m_entries) {
            if (entry.touched || kept++ >= k_max_entries) continue;
            content += entry_line(path, entry.fingerprint, entry.report) + "\n";
        }
        // The entries nobody asked for, as they were, when they still hold an entry.
        for (const auto& line : m_lines) {
            if (kept >= k_max_entries) break;
            const auto f = fields(line.text);
            if (m_entries.count(f[0]) != 0 || !parse_entry(f)) continue;
            content += std::string(line.text) + "\n";
            ++kept;
        }
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
