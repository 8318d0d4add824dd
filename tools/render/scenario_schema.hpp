// The scenario file format as a JSON Schema (draft 2020-12), for editors and other tools: the
// loader's own key tables (sim/io/scenario_keys.hpp) for every mapping, and the catalog for the
// protocol names, each protocol's params and workload, and the checker names and params.
// `lockstep schema` prints it; docs/scenario.schema.json is its output, and a test regenerates
// it and compares, so the committed file cannot drift from the loader.
#pragma once

#include <string>

#include "sim/scenario/catalog.hpp"

namespace lockstep::tools {

// The schema as JSON text (two-space indent, a final newline), the same bytes for the same
// tables.
std::string scenario_schema(const sim::Catalog& catalog);

}  // namespace lockstep::tools
