// What the install record and the per-service lock add to one mutating
// command: take the lock, read the record, write it (atomically, fsync'd),
// let go; against the anchor of one plain 200-byte file write of the same
// kind. Usage: bench_record [ROUNDS] [DIR]
#include <ductor/platform/files.hpp>
#include <ductor/service/record.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

using namespace ductor;

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 500;
    const auto home =
        argc > 2 ? std::filesystem::path(argv[2]) : std::filesystem::temp_directory_path() / "ductor-bench-record";
    std::filesystem::remove_all(home);
    service::InstallRecord record;
    record.backend = "systemd";
    record.spec.name = "bench";
    record.spec.argv = {"/usr/bin/python3", "-m", "http.server", "8000"};
    record.spec.environment = {{"TOKEN", "abc"}};
    using Clock = std::chrono::steady_clock;
    auto start = Clock::now();
    for (int i = 0; i < rounds; ++i) {
        auto lock = service::ServiceLock::acquire(home, "bench", std::chrono::seconds(5));
        auto loaded = service::load_record(home, "bench");
        if (!lock || !service::save_record(home, record) || !loaded) {
            std::fprintf(stderr, "bench_record: %s%s\n", lock ? "" : lock.error().message.c_str(),
                         loaded ? "" : loaded.error().c_str());
            return 1;
        }
    }
    const std::chrono::duration<double, std::milli> with_record = (Clock::now() - start) / rounds;
    start = Clock::now();
    const std::string text(200, 'x');
    for (int i = 0; i < rounds; ++i) {
        if (!platform::write_file_atomic(home / "anchor", text, std::filesystem::perms(0600))) return 1;
    }
    const std::chrono::duration<double, std::milli> anchor = (Clock::now() - start) / rounds;
    std::printf(
        "lock + read + atomic write of the record: %.3f ms per command; one atomic 200-byte write: %.3f ms; "
        "ratio %.2f\n",
        with_record.count(), anchor.count(), with_record.count() / anchor.count());
    std::filesystem::remove_all(home);
    return 0;
}
