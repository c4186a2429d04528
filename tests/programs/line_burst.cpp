// Test program: writes COUNT numbered lines to stdout and COUNT to stderr,
// alternating, each line in two flushed halves so that readers see partial
// lines. Line i of a stream: "<out|err> <i> <payload>" where the payload is
// (i % 97) copies of the letter 'a' + i % 26.
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

std::string line_for(const char* stream, unsigned long i) {
    return std::string(stream) + " " + std::to_string(i) + " " + std::string(i % 97, static_cast<char>('a' + i % 26)) +
           "\n";
}

void write_in_halves(std::FILE* target, const std::string& line) {
    auto half = line.size() / 2;
    std::fwrite(line.data(), 1, half, target);
    std::fflush(target);
    std::fwrite(line.data() + half, 1, line.size() - half, target);
    std::fflush(target);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: line_burst COUNT\n");
        return 2;
    }
    unsigned long count = std::strtoul(argv[1], nullptr, 10);
    for (unsigned long i = 0; i < count; ++i) {
        write_in_halves(stdout, line_for("out", i));
        write_in_halves(stderr, line_for("err", i));
    }
    return 0;
}
