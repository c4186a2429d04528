// Prints one hostile argv of the shared corpus (tests/support/hostile_argv.hpp),
// without newlines (a ServiceSpec never carries them), each argument followed
// by NUL: `mapfile -d ''` reads it back. Usage: hostile_args SEED
#include "hostile_argv.hpp"

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    std::mt19937 rng(argc > 1 ? static_cast<unsigned>(std::strtoul(argv[1], nullptr, 10)) : 1u);
    auto args = ductor::test::hostile_argv(rng, false);
    // Pieces a shell would act on, besides the corpus's quotes and blanks.
    args.push_back("$(id) `id` $HOME ${PATH} *");
    args.push_back("");
    args.push_back("-x");
    for (const auto& arg : args) std::fwrite(arg.c_str(), 1, arg.size() + 1, stdout);
    return 0;
}
