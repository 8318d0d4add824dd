#include "sim/core/trace.hpp"

// XXH3 inlined from the library's header: a call per event into the shared library costs more
// than the hash of ~60 bytes itself. Same algorithm, same values.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include <algorithm>

namespace lockstep::sim {

bool TraceInfo::can_claim(NodeIndex node, std::string_view claim) const {
  if (node_claims.empty()) return true;
  if (node >= node_claims.size()) return false;
  const std::vector<std::string>& claims = node_claims[node];
  return std::find(claims.begin(), claims.end(), claim) != claims.end();
}

void TraceHash::begin(const TraceInfo& info) {
  const Vocabulary& v = *info.vocabulary;
  kind_codes_.resize(v.kind_count());
  for (size_t i = 0; i < v.kind_count(); ++i) {
    const std::string_view name = v.name(static_cast<Kind>(i));
    kind_codes_[i] = XXH3_64bits(name.data(), name.size());
  }
  key_codes_.resize(v.key_count());
  for (size_t i = 0; i < v.key_count(); ++i) {
    const std::string_view name = v.name(static_cast<Key>(i));
    key_codes_[i] = XXH3_64bits(name.data(), name.size());
  }
}

namespace {

// Appends the low `Bytes` bytes of `v` little-endian, so the encoding is the same on every
// machine (a plain copy where the machine is little-endian).
// GCC 12 at -O3 merges adjacent copies and then misjudges the destination's size
// (-Wstringop-overflow, a false positive: every write is inside `buf`, as the assert in add()
// checks).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overflow"
template <int Bytes>
std::byte* put(std::byte* out, uint64_t v) {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out, &v, Bytes);
    return out + Bytes;
  } else {
    for (int i = 0; i < Bytes; ++i) *out++ = static_cast<std::byte>((v >> (8 * i)) & 0xff);
    return out;
  }
}
#pragma GCC diagnostic pop

}  // namespace

// The event as bytes: true time, node, both clock readings, kind, fields (key, value) and the
// text's own hash, then one XXH3 call seeded with the hash so far.
void TraceHash::add(const Event& e) {
  const auto kind = static_cast<size_t>(e.kind);
  assert(kind < kind_codes_.size() && "begin() learns every kind the run can emit");
  std::array<std::byte, 8 * 5 + 4 + 1 + Event::kMaxFields * 16> buf;
  std::byte* out = buf.data();
  out = put<8>(out, static_cast<uint64_t>(e.at.ns));
  out = put<4>(out, e.node);
  out = put<8>(out, static_cast<uint64_t>(e.mono.ns));
  out = put<8>(out, static_cast<uint64_t>(e.wall.ns));
  out = put<8>(out, kind_codes_[kind]);
  out = put<1>(out, e.field_count);
  for (uint8_t i = 0; i < e.field_count; ++i) {
    const auto key = static_cast<size_t>(e.fields[i].key);
    assert(key < key_codes_.size());
    out = put<8>(out, key_codes_[key]);
    out = put<8>(out, static_cast<uint64_t>(e.fields[i].value));
  }
  if (!e.text.empty()) out = put<8>(out, XXH3_64bits(e.text.data(), e.text.size()));
  assert(out <= buf.data() + buf.size());
  h_ = XXH3_64bits_withSeed(buf.data(), static_cast<size_t>(out - buf.data()), h_);
}

std::string hash_hex(uint64_t h) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace lockstep::sim
