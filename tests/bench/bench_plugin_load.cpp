// What loading plugins costs: the start-up price every ductor command pays,
// step by step. Prints numbers; not a test.
//   bench_plugin_load [PLUGIN_DIR] [ROUNDS]
// Steps, for every plugin file of PLUGIN_DIR (default: the build's plugins):
//   trust checks       the rules checked before a file is loaded (plugin/trust.hpp)
//   info, isolated     loading and reading every info in one child process (what
//                      every command does first; POSIX)
//   probe, isolated    load + factory + is_service_available() in a few children
//                      that ask their share in turn (`ductor plugins`)
//   in-process load    load + factory + is_service_available() here, one after
//                      the other (what the core did for every plugin before)
//   automatic choice   a Registry and select(): info in a child (no info cache
//                      here), then backends created here in priority order
//                      until one is available
#include <ductor/host/real_host.hpp>
#include <ductor/plugin/registry.hpp>
#include <ductor/plugin/trust.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#if !defined(_WIN32)
#include <sys/resource.h>
#endif

namespace {

using Clock = std::chrono::steady_clock;

struct Stats {
    double median = 0;
    double p90 = 0;
    double cpu = -1;  // mean CPU time (user + system, this process and its children) per round
};

// CPU time used so far by this process and its waited-for children, in microseconds (-1: unknown).
double cpu_micros() {
#if defined(_WIN32)
    return -1;
#else
    auto total = [](int who) {
        rusage usage{};
        ::getrusage(who, &usage);
        auto us = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec); };
        return us(usage.ru_utime) + us(usage.ru_stime);
    };
    return total(RUSAGE_SELF) + total(RUSAGE_CHILDREN);
#endif
}

Stats measure(int rounds, const std::function<void()>& step) {
    std::vector<double> micros;
    const double cpu_start = cpu_micros();
    for (int i = 0; i < rounds; ++i) {
        auto start = Clock::now();
        step();
        micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    const double cpu = cpu_start < 0 ? -1 : (cpu_micros() - cpu_start) / rounds;
    std::sort(micros.begin(), micros.end());
    return {micros[micros.size() / 2], micros[micros.size() * 9 / 10], cpu};
}

// Wall-clock times depend on the machine's load; CPU times much less.
void print(const char* what, Stats s, std::size_t plugins) {
    auto n = static_cast<double>(std::max<std::size_t>(plugins, 1));
    std::printf("  %-18s wall median %9.1f us  p90 %9.1f us  per plugin %8.1f us | cpu %9.1f us  per plugin %8.1f us\n",
                what, s.median, s.p90, s.median / n, s.cpu, s.cpu / n);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? argv[1] : DUCTOR_BENCH_PLUGIN_DIR;
    const int rounds = argc > 2 ? std::max(1, std::stoi(argv[2])) : 200;
    ductor::host::RealHost host;
    ductor::plugin::SearchPath path;
    path.dirs.push_back({dir, ductor::plugin::Origin::command_line});
    const auto candidates = ductor::plugin::discover(path).candidates;
    const auto n = candidates.size();
    std::printf("%zu plugin files in %s, %d rounds (times per round, for all files)\n", n, dir.c_str(), rounds);

    print("trust checks",
          measure(rounds,
                  [&] {
                      for (const auto& c : candidates) (void)ductor::plugin::check_trusted(c.file);
                  }),
          n);
    print("info, isolated",
          measure(rounds, [&] { (void)ductor::plugin::probe(candidates, ductor::plugin::ProbeDepth::info, host); }), n);
    print("probe, isolated",
          measure(rounds,
                  [&] { (void)ductor::plugin::probe(candidates, ductor::plugin::ProbeDepth::availability, host); }),
          n);
    print("in-process load",
          measure(rounds,
                  [&] {
                      for (const auto& c : candidates) (void)ductor::plugin::load_plugin(c, host);
                  }),
          n);
    print("automatic choice",
          measure(rounds,
                  [&] {
                      ductor::plugin::Registry registry(path, host);
                      (void)registry.select(std::nullopt, ductor::plugin::Need::available);
                  }),
          n);
    return 0;
}
