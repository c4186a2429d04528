// The service program of the runit integration test: writes its arguments
// (argv[1..], each followed by NUL) to $RUNIT_IT_ARGV_OUT (a temp file renamed
// into place, so a reader sees all of it or nothing), says it started on
// stdout, and waits for a signal.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    if (const char* out = std::getenv("RUNIT_IT_ARGV_OUT")) {
        const std::string temp = std::string(out) + ".tmp";
        if (FILE* file = std::fopen(temp.c_str(), "wb")) {
            for (int i = 1; i < argc; ++i) std::fwrite(argv[i], 1, std::string(argv[i]).size() + 1, file);
            std::fclose(file);
            std::rename(temp.c_str(), out);
        }
    }
    std::printf("runit-it: started as pid %ld with %d arguments\n", static_cast<long>(::getpid()), argc - 1);
    std::fflush(stdout);
    for (;;) ::pause();
}
