#include <ductor/cli/app.hpp>

int main(int argc, char** argv) { return ductor::run(argc, argv); }
