#include "sim/core/trace.hpp"

#include <cstdio>

#include <algorithm>

namespace lockstep::sim {

bool TraceInfo::can_claim(NodeIndex node, std::string_view claim) const {
  if (node_claims.empty()) return true;
  if (node >= node_claims.size()) return false;
  const std::vector<std::string>& claims = node_claims[node];
  return std::find(claims.begin(), claims.end(), claim) != claims.end();
}

void TraceHash::add(const Event& e) {
  mix(static_cast<uint64_t>(e.at.ns));
  mix((static_cast<uint64_t>(e.node) << 16) | (static_cast<uint64_t>(e.kind) << 8) | e.field_count);
  mix(static_cast<uint64_t>(e.mono.ns));
  mix(static_cast<uint64_t>(e.wall.ns));
  for (uint8_t i = 0; i < e.field_count; ++i) {
    mix(static_cast<uint64_t>(e.fields[i].key));
    mix(static_cast<uint64_t>(e.fields[i].value));
  }
  if (!e.text.empty()) {
    uint64_t word = 0;
    size_t n = 0;
    for (char c : e.text) {
      word = (word << 8) | static_cast<unsigned char>(c);
      if (++n == 8) {
        mix(word);
        word = 0;
        n = 0;
      }
    }
    mix(word ^ (static_cast<uint64_t>(e.text.size()) << 56));
  }
}

std::string hash_hex(uint64_t h) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace lockstep::sim
