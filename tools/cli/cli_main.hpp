// The whole `lockstep` command line as a library call, so a program of its own (a protocol built
// outside this repository, see docs/adding-a-protocol.md) is the same CLI with its protocols
// added: define lockstep::tools::extra_protocol_specs() and call cli_main from main().
#pragma once

#include "tools/engine/extra_protocols.hpp"

namespace lockstep::tools {

// Runs one `lockstep` command line (argv[1] is the command) and returns the exit code: 0 every
// expectation met, 1 a checker or expectation failed, 2 bad input or usage.
int cli_main(int argc, char** argv);

}  // namespace lockstep::tools
