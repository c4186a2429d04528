#include <ductor/output/diff.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace ductor::output {
namespace {

constexpr std::size_t k_max_table = 4'000'000;  // line pairs compared for a minimal diff

// The lines of `text`, each with its line break (the last one may have none).
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    for (std::size_t at = 0; at < text.size();) {
        auto end = text.find('\n', at);
        end = end == std::string_view::npos ? text.size() : end + 1;
        lines.push_back(text.substr(at, end - at));
        at = end;
    }
    return lines;
}

struct Op {
    char kind;           // ' ' kept, '-' removed, '+' added
    std::size_t old_at;  // old lines before this one
    std::size_t new_at;  // new lines before this one
    std::string_view line;
};

// A shortest edit script by longest common subsequence; removals before additions.
std::vector<Op> edit_script(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
    std::vector<Op> ops;
    const std::size_t n = a.size(), m = b.size();
    std::size_t i = 0, j = 0;
    if ((n + 1) * (m + 1) <= k_max_table) {
        // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
        std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
        auto at = [&](std::size_t x, std::size_t y) -> std::uint32_t& { return lcs[x * (m + 1) + y]; };
        for (std::size_t x = n; x-- > 0;) {
            for (std::size_t y = m; y-- > 0;)
                at(x, y) = a[x] == b[y] ? at(x + 1, y + 1) + 1 : std::max(at(x + 1, y), at(x, y + 1));
        }
        while (i < n && j < m) {
            if (a[i] == b[j]) {
                ops.push_back({' ', i, j, a[i]});
                ++i, ++j;
            } else if (at(i + 1, j) >= at(i, j + 1)) {
                ops.push_back({'-', i, j, a[i]});
                ++i;
            } else {
                ops.push_back({'+', i, j, b[j]});
                ++j;
            }
        }
    }
    for (; i < n; ++i) ops.push_back({'-', i, j, a[i]});
    for (; j < m; ++j) ops.push_back({'+', i, j, b[j]});
    return ops;
}

// "-3,2": where a hunk starts in one text and how many of its lines it covers.
std::string range(std::size_t before, std::size_t count) {
    // diff -u numbers lines from 1; an empty range names the line before it.
    return std::to_string(count == 0 ? before : before + 1) + (count == 1 ? "" : "," + std::to_string(count));
}

void write_hunk(std::string& out, const std::vector<Op>& ops, std::size_t first, std::size_t last) {
    std::size_t old_count = 0, new_count = 0;
    for (std::size_t k = first; k < last; ++k) {
        old_count += ops[k].kind != '+' ? 1U : 0U;
        new_count += ops[k].kind != '-' ? 1U : 0U;
    }
    out += "@@ -" + range(ops[first].old_at, old_count) + " +" + range(ops[first].new_at, new_count) + " @@\n";
    for (std::size_t k = first; k < last; ++k) {
        out += ops[k].kind;
        out += ops[k].line;
        if (ops[k].line.empty() || ops[k].line.back() != '\n') out += "\n\\ No newline at end of file\n";
    }
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after, std::string_view before_label,
                         std::string_view after_label, unsigned context) {
    if (before == after) return {};
    const auto ops = edit_script(split_lines(before), split_lines(after));
    std::vector<std::size_t> changes;
    for (std::size_t k = 0; k < ops.size(); ++k) {
        if (ops[k].kind != ' ') changes.push_back(k);
    }
    std::string out = "--- " + std::string(before_label) + "\n+++ " + std::string(after_label) + "\n";
    for (std::size_t c = 0; c < changes.size();) {
        // One hunk: changes whose kept lines in between are at most two contexts long.
        std::size_t last_change = changes[c];
        std::size_t next = c + 1;
        while (next < changes.size() && changes[next] - last_change - 1 <= 2 * std::size_t{context})
            last_change = changes[next++];
        const std::size_t first = changes[c] >= context ? changes[c] - context : 0;
        const std::size_t end = std::min(ops.size(), last_change + context + 1);
        write_hunk(out, ops, first, end);
        c = next;
    }
    return out;
}

}  // namespace ductor::output
