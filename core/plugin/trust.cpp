#include <ductor/plugin/trust.hpp>

#include <ductor/platform/ownership.hpp>
#include <ductor/plugin/discovery.hpp>

#include <cstdio>
#include <deque>
#include <map>
#include <string_view>
#include <system_error>

namespace ductor::plugin {
namespace {

namespace fs = std::filesystem;

constexpr int k_max_symlinks = 40;

using Native = fs::path::string_type;

std::string octal(std::uint32_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

std::string kind_text(fs::file_type type) {
    switch (type) {
        case fs::file_type::directory: return "a folder";
        case fs::file_type::fifo: return "a FIFO";
        case fs::file_type::socket: return "a socket";
        case fs::file_type::block: return "a block device";
        case fs::file_type::character: return "a character device";
        default: return "of an unknown type";
    }
}

// Resolves a path one name at a time, judging every folder, symlink and the
// final file on the way.
class Walk {
public:
    explicit Walk(std::uint32_t user) : m_user(user) {}

    // Whether the file named by `text` (a path's native text) passes the rules; why not
    // otherwise. `fingerprint`, when given, gets the fingerprint of the regular file the
    // path led to. No path is made for a plain name in a folder walked before.
    sdk::Expected<void> judge(const Native& text, std::optional<platform::Fingerprint>* fingerprint) {
        if (auto judged = in_walked_folder(text, fingerprint)) return std::move(*judged);
        return judge(fs::path(text), fingerprint);
    }

    // The same for a path, walked name by name.
    sdk::Expected<void> judge(const fs::path& file, std::optional<platform::Fingerprint>* fingerprint = nullptr) {
        std::error_code ec;
        fs::path made;
        if (!file.is_absolute()) {
            made = fs::absolute(file, ec);
            if (ec) return sdk::unexpected("cannot make " + file.string() + " absolute: " + ec.message());
        }
        const fs::path& absolute = file.is_absolute() ? file : made;
        const auto split = split_name(absolute.native());
        std::deque<fs::path> todo;
        const fs::path relative = absolute.relative_path();
        todo.assign(relative.begin(), relative.end());
        fs::path at = absolute.root_path();
        bool plain = true;  // no symlink, "." or ".." so far: `at` is the folder the path names
        int symlinks = 0;
        while (!todo.empty()) {
            fs::path name = std::move(todo.front());
            todo.pop_front();
            if (name.empty() || name.native() == fs::path::string_type{'.'}) {
                plain = plain && name.empty();
                continue;
            }
            if (name.native() == fs::path::string_type{'.', '.'}) {
                plain = false;
                at = at.parent_path();
                continue;
            }
            const bool last = todo.empty();
            if (last && plain && split)
                m_walked.try_emplace(fs::path::string_type(split->first), at);  // every folder passed
            if (auto passed = folder(at, last); !passed) return passed;
            // The file named as given, when that is where the walk stands: no path made.
            fs::path other;
            const fs::path& entry = last && is_joined(absolute.native(), at.native(), name.native())
                                        ? absolute
                                        : (other = fs::path(joined(at, name.native())));
            auto examined = last ? platform::examine_entry(entry) : examine_on_the_way(entry);
            if (!examined) return sdk::unexpected("cannot examine " + entry.string() + ": " + examined.error());
            const auto& facts = *examined;
            if (facts.type == fs::file_type::symlink) {
                plain = false;
                if (++symlinks > k_max_symlinks)
                    return sdk::unexpected("too many symbolic links on the way to " + file.string());
                if (auto owned = owner("the symlink", entry.native(), facts); !owned) return owned;
                fs::path target = fs::read_symlink(entry, ec);
                if (ec) return sdk::unexpected("cannot read the symlink " + entry.string() + ": " + ec.message());
                if (target.is_absolute()) at = target.root_path();
                const fs::path rest = target.is_absolute() ? target.relative_path() : target;
                todo.insert(todo.begin(), rest.begin(), rest.end());
                continue;
            }
            if (last) return judge_file(entry.native(), *examined, fingerprint);
            if (facts.type == fs::file_type::not_found) return sdk::unexpected(entry.string() + " does not exist");
            if (facts.type != fs::file_type::directory) return sdk::unexpected(entry.string() + " is not a folder");
            at = entry;
        }
        return sdk::unexpected(at.string() + " is a folder, not a regular file");
    }

private:
    using Text = std::basic_string_view<Native::value_type>;

    // A plain name in a folder whose way was walked before: the file alone is examined
    // (plugins share their folders). nullopt when the path is not such a name, or names a
    // symlink there (the whole walk follows it). The folders walked are absolute, so a
    // relative text never matches one: it is walked whole (discovery gives absolute ones).
    std::optional<sdk::Expected<void>> in_walked_folder(const Native& text,
                                                        std::optional<platform::Fingerprint>* fingerprint) {
        const auto split = split_name(text);
        const auto known = split ? m_walked.find(split->first) : m_walked.end();
        if (known == m_walked.end()) return std::nullopt;
        const fs::path& at = known->second;
        if (auto passed = folder(at, true); !passed) return passed;
        Native other;
        const Native& entry = is_joined(text, at.native(), split->second) ? text : (other = joined(at, split->second));
        auto examined = platform::examine_entry(entry);
        if (!examined) return sdk::unexpected("cannot examine " + native_string(entry) + ": " + examined.error());
        if (examined->type == fs::file_type::symlink) return std::nullopt;
        return judge_file(entry, *examined, fingerprint);
    }

    // What the walk ends on, not a symlink: it must be a regular file, owned and written by trusted users only.
    sdk::Expected<void> judge_file(Text entry, platform::EntryFacts& facts,
                                   std::optional<platform::Fingerprint>* fingerprint) const {
        if (facts.type == fs::file_type::not_found) return sdk::unexpected(native_string(entry) + " does not exist");
        if (facts.type != fs::file_type::regular) {
            return sdk::unexpected(native_string(entry) + " is " + kind_text(facts.type) + ", not a regular file");
        }
        if (auto owned = owner("the file", entry, facts); !owned) return owned;
        if (auto safe = writable("the file", entry, facts, true); !safe) return safe;
        if (fingerprint != nullptr) *fingerprint = std::move(facts.fingerprint);
        return {};
    }

    // The folder a path's text names and its last name, when the text ends in a plain name
    // after one separator; nullopt otherwise (the walk then goes by fs::path's own rules).
    static std::optional<std::pair<Text, Text>> split_name(Text text) {
        const auto cut = text.rfind(fs::path::preferred_separator);
        if (cut == Text::npos || cut == 0 || text[cut - 1] == fs::path::preferred_separator) return std::nullopt;
        const auto name = text.substr(cut + 1);
        if (name.empty() || name == Text(fs::path::string_type{'.'}) || name == Text(fs::path::string_type{'.', '.'}))
            return std::nullopt;
        return std::pair{text.substr(0, cut), name};
    }

    // The text of dir / name, for a name of one component: no path made.
    static Native joined(const fs::path& dir, Text name) {
        auto text = dir.native();
        if (text.empty() || text.back() != fs::path::preferred_separator) text += fs::path::preferred_separator;
        text += name;
        return text;
    }

    // Whether `whole` is the text `dir`, one separator and `name` (then it names what joined() would).
    static bool is_joined(Text whole, Text dir, Text name) {
        return whole.size() == dir.size() + 1 + name.size() && whole.substr(0, dir.size()) == dir &&
               whole[dir.size()] == fs::path::preferred_separator && whole.substr(dir.size() + 1) == name;
    }

    std::string trusted_owners() const {
        return m_user == 0 ? "root (ductor runs as root)" : "root or " + platform::describe_user(m_user);
    }

    // Whether `path` is owned by a trusted user; by whom otherwise.
    sdk::Expected<void> owner(const char* what, Text path, const platform::EntryFacts& facts) const {
        if (!facts.owner || *facts.owner == 0 || *facts.owner == m_user) return {};
        return sdk::unexpected(std::string(what) + " " + native_string(path) + " is owned by " +
                               platform::describe_user(*facts.owner) + ", not by " + trusted_owners());
    }

    // Whether `path` is safe from other writers; who may write it otherwise.
    // `holder`: the folder holds the plugin (or a symlink to it), so the sticky bit does not excuse it.
    static sdk::Expected<void> writable(const char* what, Text path, const platform::EntryFacts& facts, bool holder) {
        if (!facts.mode) return {};
        const auto bits = *facts.mode & 022u;
        const bool sticky = (*facts.mode & 01000u) != 0;
        if (bits == 0 || (sticky && !holder)) return {};
        std::string who = bits == 022u ? "group and others" : (bits & 002u) ? "others" : "its group";
        std::string text = std::string(what) + " " + native_string(path) + " is writable by " + who + " (mode " +
                           octal(*facts.mode) + ")";
        if (sticky) text += "; the sticky bit does not make a plugin folder safe: anyone may add a file to it";
        return sdk::unexpected(std::move(text));
    }

    // A folder's verdict, judged once per Walk (several files of one folder share it).
    sdk::Expected<void> folder(const fs::path& dir, bool holder) {
        auto& folders = m_folders[holder ? 1 : 0];
        if (auto known = folders.find(dir.native()); known != folders.end()) return known->second;
        const auto& facts = examine_on_the_way(dir);
        sdk::Expected<void> verdict;
        if (!facts)
            verdict = sdk::unexpected("cannot examine " + dir.string() + ": " + facts.error());
        else if (auto owned = owner("the folder", dir.native(), *facts); !owned)
            verdict = std::move(owned);
        else
            verdict = writable("the folder", dir.native(), *facts, holder);
        folders.emplace(dir.native(), verdict);
        return verdict;
    }

    // Facts about a folder or symlink on the way to a file, examined once per Walk.
    const sdk::Expected<platform::EntryFacts>& examine_on_the_way(const fs::path& entry) {
        auto key = entry.string();
        auto known = m_entries.find(key);
        if (known == m_entries.end()) known = m_entries.emplace(std::move(key), platform::examine_entry(entry)).first;
        return known->second;
    }

    std::uint32_t m_user;
    std::map<fs::path::string_type, sdk::Expected<void>, std::less<>> m_folders[2];  // [holder]: by folder
    std::map<std::string, sdk::Expected<platform::EntryFacts>> m_entries;
    std::map<fs::path::string_type, fs::path, std::less<>>
        m_walked;  // a folder path as given -> the folder it names, its way judged
};

// Without owners and modes (Windows): a regular file, symlinks followed.
sdk::Expected<void> judge_type_only(const fs::path& file) {
    std::error_code ec;
    auto status = fs::status(file, ec);
    if (status.type() == fs::file_type::not_found) return sdk::unexpected(file.string() + " does not exist");
    if (ec) return sdk::unexpected("cannot examine " + file.string() + ": " + ec.message());
    if (status.type() != fs::file_type::regular) {
        return sdk::unexpected(file.string() + " is " + kind_text(status.type()) + ", not a regular file");
    }
    return {};
}

// A judgement as the verdict on a plugin file.
sdk::Expected<void> verdict(sdk::Expected<void> judged) {
    if (judged) return {};
    return sdk::unexpected("not trusted: " + judged.error());
}

}  // namespace

sdk::Expected<void> check_trusted(const std::filesystem::path& file, std::optional<std::uint32_t> user) {
    return verdict(user ? Walk(*user).judge(file) : judge_type_only(file));
}

sdk::Expected<void> check_trusted(const std::filesystem::path& file) {
    return check_trusted(file, platform::effective_user_id());
}

std::vector<sdk::Expected<Trusted>> check_all_trusted(
    const std::vector<const std::filesystem::path::string_type*>& files) {
    const auto user = platform::effective_user_id();
    std::optional<Walk> walk;
    if (user) walk.emplace(*user);
    std::vector<sdk::Expected<Trusted>> verdicts;
    verdicts.reserve(files.size());
    for (const auto* file : files) {
        Trusted trusted;
        auto judged = verdict(walk ? walk->judge(*file, &trusted.fingerprint) : judge_type_only(*file));
        if (judged)
            verdicts.emplace_back(std::move(trusted));
        else
            verdicts.emplace_back(sdk::unexpected(std::move(judged).error()));
    }
    return verdicts;
}

}  // namespace ductor::plugin
