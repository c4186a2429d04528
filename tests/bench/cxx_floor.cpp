// For bench_commands.py: the start-up floor of a C++ program that links the
// C++ standard library dynamically, as ductor must (its plugins share C++
// types with it). It prints one line through std::cout, as `ductor --version`
// does, and is linked with the executable's own link options.
#include <iostream>

int main() {
    std::cout << "ductor bench floor\n";
    return 0;
}
