// Small helpers every protocol uses the same way: 64-bit message fields as trace field values,
// and the ids of the observation kinds and fields a protocol declares, looked up once by name.
#pragma once

#include <cassert>
#include <cstdint>
#include <string_view>

#include "sim/core/vocabulary.hpp"

namespace lockstep::protocols {

// A uint64 message field as a trace field's int64 value (tokens, terms, versions).
inline int64_t as_field(uint64_t v) { return static_cast<int64_t>(v); }

// The id of a kind or key the protocol's spec declares (the catalog put it in the vocabulary).
inline sim::Kind kind_id(const sim::Vocabulary& v, std::string_view name) {
  const auto id = v.find_kind(name);
  assert(id.has_value() && "observation kinds are declared in the protocol's spec");
  return id.value_or(sim::kNoKind);
}
inline sim::Key key_id(const sim::Vocabulary& v, std::string_view name) {
  const auto id = v.find_key(name);
  assert(id.has_value() && "fields are declared in the protocol's spec");
  return id.value_or(sim::kNoKey);
}

}  // namespace lockstep::protocols
