// `lockstep list --json`: what `list` prints, as one stable JSON document (keys sorted, tables in
// the catalog's order), for editors, scripts and other tools that want the vocabulary without
// parsing the text.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/scenario/catalog.hpp"

namespace lockstep::tools {

// The version of the document's shape; bumped when a key is renamed or removed.
inline constexpr int kListJsonVersion = 1;

nlohmann::json list_json(const sim::Catalog& catalog);

}  // namespace lockstep::tools
