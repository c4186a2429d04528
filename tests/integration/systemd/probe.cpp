// The program the real-manager test installs as a service. It records what it
// received and then waits to be told how to end:
//   $PROBE_DIR/argv-<pid>  its argv, each argument followed by a NUL byte
//   $PROBE_DIR/env-<pid>   its environment, the same way
//   $PROBE_DIR/current     its pid (written last, atomically)
//   stdout                 "probe-line <pid> <argv[1]>" for the journal
// It exits with code N once $PROBE_DIR/exit-<pid> exists and contains N.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <unistd.h>

extern char** environ;

namespace {

void write_all(const std::filesystem::path& path, const std::string& text) {
    const auto temp = path.string() + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary);
        out << text;
    }
    std::filesystem::rename(temp, path);
}

std::string nul_joined(char** items) {
    std::string text;
    for (char** item = items; *item != nullptr; ++item) {
        text += *item;
        text += '\0';
    }
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    const char* dir_value = std::getenv("PROBE_DIR");
    if (dir_value == nullptr) {
        std::fprintf(stderr, "probe: PROBE_DIR is not set\n");
        return 2;
    }
    const std::filesystem::path dir = dir_value;
    const auto pid = std::to_string(::getpid());
    write_all(dir / ("argv-" + pid), nul_joined(argv));
    write_all(dir / ("env-" + pid), nul_joined(environ));
    write_all(dir / "current", pid);
    std::printf("probe-line %s %s\n", pid.c_str(), argc > 1 ? argv[1] : "");
    std::fflush(stdout);
    const auto exit_file = dir / ("exit-" + pid);
    while (true) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::ifstream in(exit_file);
        int code = 0;
        if (in >> code) return code;
    }
}
