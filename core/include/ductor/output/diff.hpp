#pragma once
// A unified diff (the format of `diff -u`) of two texts, line by line, for
// showing how a definition changes. Pure; nothing here throws except
// std::bad_alloc.

#include <string>
#include <string_view>

namespace ductor::output {

// The unified diff that turns `before` into `after`: the two header lines
// ("--- before_label", "+++ after_label"), then hunks with `context` lines of
// context. A text that does not end with a line break gets the usual
// "\ No newline at end of file" marker. Equal texts give an empty string.
// Texts of more than 4,000,000 line pairs are shown as one hunk that removes
// every old line and adds every new one (still a correct diff, not a minimal one).
std::string unified_diff(std::string_view before, std::string_view after, std::string_view before_label,
                         std::string_view after_label, unsigned context = 3);

}  // namespace ductor::output
