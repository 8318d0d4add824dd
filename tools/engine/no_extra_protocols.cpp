// The default of the extension point (tools/engine/extra_protocols.hpp): no extra protocols. It
// stays alone in this file so a program that defines its own extra_protocol_specs() never pulls
// it from the archive.
#include "tools/engine/extra_protocols.hpp"

namespace lockstep::tools {

std::vector<sim::ProtocolSpec> extra_protocol_specs() { return {}; }

}  // namespace lockstep::tools
