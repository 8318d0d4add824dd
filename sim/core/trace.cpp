#include "sim/core/trace.hpp"

// XXH3 (for names and texts) inlined from the library's header: a call into the shared library
// costs more than the hash of a short string itself. Same algorithm, same values.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cassert>
#include <cstdio>

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

void Trace::begin(const TraceInfo& info) {
  hash_.begin(info);
  for (TraceSink* s : sinks_) s->begin(info);
  const size_t kinds = info.vocabulary->kind_count();
  per_kind_.assign(kinds, 0);
  routes_.clear();
  counters_.clear();
  if (!route_) return;  // an empty table sends every event to every sink
  routes_.resize(kinds);
  for (size_t k = 0; k < kinds; ++k) {
    const auto kind = static_cast<Kind>(k);
    for (TraceSink* s : sinks_) {
      if (!s->wants(kind)) continue;
      if (s->only_counts(kind)) {
        counters_.emplace_back(kind, s);
      } else {
        routes_[k].push_back(s);
      }
    }
  }
}

void Trace::end(Instant at) {
  for (const auto& [kind, s] : counters_) s->counted(kind, per_kind_[static_cast<size_t>(kind)]);
  for (TraceSink* s : sinks_) s->end(at);
}

uint64_t Trace::count() const {
  uint64_t n = 0;
  for (const uint64_t c : per_kind_) n += c;
  return n;
}

uint64_t TraceHash::text_code(std::string_view text) {
  return XXH3_64bits(text.data(), text.size());
}

// XXH64's merge and avalanche over the lanes and the event count.
uint64_t TraceHash::merge(const uint64_t* lanes, uint64_t events) {
  const auto rotl = [](uint64_t x, int r) { return (x << r) | (x >> (64 - r)); };
  uint64_t h = rotl(lanes[0], 1) + rotl(lanes[1], 7) + rotl(lanes[2], 12) + rotl(lanes[3], 18);
  for (int i = 0; i < 4; ++i) h = (h ^ round(0, lanes[i])) * kPrime1 + 0x85EBCA77C2B2AE63ull;
  h += events;
  h ^= h >> 33;
  h *= kPrime2;
  h ^= h >> 29;
  h *= 0x165667B19E3779F9ull;
  h ^= h >> 32;
  return h;
}

uint64_t TraceHash::digest(const Event& e) const {
  uint64_t lanes[4] = {kSeed + kPrime1 + kPrime2, kSeed + kPrime2, kSeed, kSeed - kPrime1};
  fold(e, lanes);
  return merge(lanes, 1);
}

std::string hash_hex(uint64_t h) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace lockstep::sim
