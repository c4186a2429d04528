// Throughput of the runner's log writer: lines/second for a stream of
// 100-byte lines arriving in 64 KiB chunks (as the runner reads them from a
// pipe), with rotation at 10 MiB. Usage: bench_runner_logs [LINES] [DIR]
#include <ductor/runner/log_writer.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

int main(int argc, char** argv) {
    const unsigned long lines = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2000000UL;
    const auto dir =
        argc > 2 ? std::filesystem::path(argv[2]) : std::filesystem::temp_directory_path() / "ductor-bench-runner-logs";
    std::filesystem::remove_all(dir);
    std::string chunks;  // all the input, cut into 64 KiB chunks below
    chunks.reserve(lines * 100);
    for (unsigned long i = 0; i < lines; ++i) {
        auto line = "line " + std::to_string(i) + " ";
        line.resize(99, 'x');
        chunks += line + "\n";
    }
    auto opened = ductor::runner::LogWriter::open({dir, "bench", 10ULL << 20U, 5, ductor::runner::LogTo::file});
    if (!opened) {
        std::fprintf(stderr, "bench_runner_logs: %s\n", opened.error().c_str());
        return 1;
    }
    auto writer = std::move(*opened);
    auto start = std::chrono::steady_clock::now();
    constexpr std::size_t k_chunk = 65536;
    for (std::size_t at = 0; at < chunks.size(); at += k_chunk) {
        writer->write(ductor::platform::Stream::out, std::string_view(chunks).substr(at, k_chunk));
    }
    writer.reset();
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::printf("%lu lines (%.1f MiB) in %.3f s: %.0f lines/s, %.1f MiB/s\n", lines,
                static_cast<double>(chunks.size()) / 1048576.0, took.count(), static_cast<double>(lines) / took.count(),
                static_cast<double>(chunks.size()) / 1048576.0 / took.count());
    std::filesystem::remove_all(dir);
    return 0;
}
