// The extension point for protocols built outside this repository: a program linking liblockstep
// adds its own protocols to the built-in table by defining extra_protocol_specs() itself.
//
// liblockstep carries a default definition, alone in its own object file
// (tools/engine/no_extra_protocols.cpp), that returns none. A static linker pulls an archive
// member only to resolve a symbol still undefined, so a program whose own object file defines
// extra_protocol_specs() gets its definition and never the default: an explicit table chosen at
// link time, with no registration at start-up and no global state. docs/adding-a-protocol.md
// ("Outside this repository") shows a whole program.
#pragma once

#include <vector>

#include "sim/core/protocol.hpp"

namespace lockstep::tools {

// The program's own protocols, appended after the built-in ones in make_catalog(): a built-in
// protocol's kinds keep their ids, so its traces and trace hashes do not change.
std::vector<sim::ProtocolSpec> extra_protocol_specs();

}  // namespace lockstep::tools
