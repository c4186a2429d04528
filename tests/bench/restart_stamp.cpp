// For bench_commands.py: how soon `ductor run` starts a program again after
// it exited 42. The first run writes "exit <ns>" to FILE and exits 42; the
// second writes "start <ns>" and exits 0 (CLOCK_MONOTONIC, nanoseconds).
//   bench_restart_stamp FILE
#include <cstdio>
#include <ctime>

#include <unistd.h>

namespace {

long long now_ns() {
    timespec t{};
    ::clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<long long>(t.tv_sec) * 1000000000LL + t.tv_nsec;
}

}  // namespace

int main(int argc, char** argv) {
    const long long started = now_ns();
    if (argc != 2) return 2;
    const bool second = ::access(argv[1], F_OK) == 0;
    std::FILE* out = std::fopen(argv[1], "a");
    if (out == nullptr) return 2;
    std::fprintf(out, second ? "start %lld\n" : "exit %lld\n", second ? started : now_ns());
    std::fclose(out);
    return second ? 0 : 42;
}
