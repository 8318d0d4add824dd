// The only source of randomness in a run: xoshiro256** seeded through splitmix64, with our own
// distributions (std:: distributions differ between standard libraries, so none is used).
// Every component draws from its own stream, derived from the run seed and the component's name,
// so adding randomness to one component never shifts another's draws.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/core/int128.hpp"

namespace lockstep::sim {

constexpr uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// FNV-1a: a stable 64-bit hash of a name, used only to derive stream seeds.
constexpr uint64_t stable_name_hash(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

class Rng {
 public:
  explicit constexpr Rng(uint64_t seed = 0) {
    uint64_t sm = seed;
    for (uint64_t& word : s_) word = splitmix64(sm);
  }

  // The stream named `component` of run `seed`.
  static constexpr Rng stream(uint64_t seed, std::string_view component) {
    uint64_t mixed = seed ^ stable_name_hash(component);
    return Rng(splitmix64(mixed));
  }

  constexpr uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, bound), unbiased (Lemire's multiply-and-reject).
  constexpr uint64_t below(uint64_t bound) {
    if (bound == 0) return 0;
    uint128 m = static_cast<uint128>(next_u64()) * bound;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < bound) {
      const uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        m = static_cast<uint128>(next_u64()) * bound;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  // Uniform integer in [lo, hi], both inclusive.
  constexpr int64_t between(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    if (span == UINT64_MAX) return static_cast<int64_t>(next_u64());
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + below(span + 1));
  }

  // Uniform double in [0, 1) with 53 random bits.
  constexpr double unit() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // True with probability p (p <= 0 never draws true, p >= 1 always does; both still consume
  // one draw so a change of probability never shifts the stream).
  constexpr bool chance(double p) { return unit() < p; }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4] = {};
};

}  // namespace lockstep::sim
