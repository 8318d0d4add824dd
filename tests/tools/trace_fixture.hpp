// What the trace reader's tests share: a lease-lock header of three nodes and two message types,
// and the program's catalog (so protocol kinds and fields are readable).
#pragma once

#include <cstdint>
#include <string>

#include "sim/scenario/catalog.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::tools::trace_fixture {

inline constexpr const char* kHeader =
    R"({"schema_version":1,"scenario":"t","protocol":"lease_lock","seed":3,"duration_ns":60000000000,)"
    R"("nodes":[{"id":"lock","role":"server"},{"id":"c1","role":"client"},{"id":"c2","role":"client"}],)"
    R"("messages":["acquire","grant"]})";

inline const sim::Catalog& the_catalog() {
  static const sim::Catalog kCatalog = make_catalog();
  return kCatalog;
}

// A deterministic generator for mutations (no std:: distributions in tests either).
inline uint64_t next(uint64_t& state) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return state >> 33;
}

// One to three edits (a byte replaced, up to eight erased, one inserted) at or after `from`, from
// an alphabet of JSON's punctuation, digits, literal letters, a newline and two bytes no trace
// holds.
inline void mutate(std::string& text, uint64_t& state, size_t from) {
  static const std::string alphabet = "{}[]\":,0123456789-.eE tnulfrsa\\\n\x01\xff";
  const int edits = 1 + static_cast<int>(next(state) % 3);
  for (int i = 0; i < edits; ++i) {
    if (text.size() <= from) return;
    const size_t at = from + next(state) % (text.size() - from);
    switch (next(state) % 3) {
      case 0:
        text[at] = alphabet[next(state) % alphabet.size()];
        break;
      case 1:
        text.erase(at, 1 + next(state) % 8);
        break;
      default:
        text.insert(at, 1, alphabet[next(state) % alphabet.size()]);
        break;
    }
  }
}

}  // namespace lockstep::tools::trace_fixture
