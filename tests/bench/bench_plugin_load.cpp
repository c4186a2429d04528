// How long discovery + loading + the availability checks take: the start-up
// cost every ductor command pays. Prints numbers; not a test.
//   bench_plugin_load [PLUGIN_DIR] [ROUNDS]
#include <ductor/host/real_host.hpp>
#include <ductor/plugin/registry.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using Clock = std::chrono::steady_clock;
    const std::string dir = argc > 1 ? argv[1] : DUCTOR_BENCH_PLUGIN_DIR;
    const int rounds = argc > 2 ? std::max(1, std::stoi(argv[2])) : 200;
    ductor::host::RealHost host;
    ductor::plugin::SearchPath path;
    path.dirs.push_back({dir, ductor::plugin::Origin::command_line});
    std::vector<double> micros;
    std::size_t plugins = 0;
    for (int i = 0; i < rounds; ++i) {
        auto start = Clock::now();
        ductor::plugin::Registry registry(path, host);
        plugins = registry.plugins().size() + registry.failures().size();
        micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    std::sort(micros.begin(), micros.end());
    std::printf("plugin discovery + load + availability, %zu plugin files, %d rounds\n", plugins, rounds);
    std::printf("  median %.1f us   p90 %.1f us   min %.1f us   max %.1f us\n", micros[micros.size() / 2],
                micros[micros.size() * 9 / 10], micros.front(), micros.back());
    return 0;
}
