// The `lockstep` program: the command line of tools/cli/main.cpp with the built-in protocols only.
#include "tools/cli/cli_main.hpp"

int main(int argc, char** argv) { return lockstep::tools::cli_main(argc, argv); }
