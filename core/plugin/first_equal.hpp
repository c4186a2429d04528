#pragma once
// Which entry of a list came first with the same key: duplicate plugin names in
// the probe. Internal to core/plugin.

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <string_view>
#include <vector>

namespace ductor::plugin {

// For each of `keys`, the index of the first key equal to it (its own index when
// it is the first). Sorts indexes, not keys: no allocation per key.
inline std::vector<std::size_t> first_equal(const std::vector<std::string_view>& keys) {
    std::vector<std::size_t> order(keys.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&keys](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
    std::vector<std::size_t> first(keys.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        const bool repeats = k > 0 && keys[order[k]] == keys[order[k - 1]];
        first[order[k]] = repeats ? first[order[k - 1]] : order[k];
    }
    return first;
}

}  // namespace ductor::plugin
