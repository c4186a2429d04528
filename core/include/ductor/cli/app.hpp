#pragma once
// The whole ductor command line. main() only calls this.

namespace ductor {

// Parses the command line, runs the command and returns the process exit code
// (see <ductor/cli/exit_code.hpp>). Never throws.
int run(int argc, char** argv);

}  // namespace ductor
