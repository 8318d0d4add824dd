// The byte encoding of every protocol's messages: a type byte, then each 64-bit field of the body
// little-endian. Message bodies are runs of 64-bit fields; a layout per type says how many and
// which of them are booleans (0 or 1 only). The live runtime sends these bytes; the simulator
// moves sim::Message values and never encodes.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

#include "sim/core/process.hpp"

namespace lockstep::protocols::wire {

// The number of 64-bit words in body type T. Holds only for bodies made of 64-bit fields with
// no padding; these checks keep a future message from breaking that quietly.
template <class T>
constexpr size_t word_count() {
  static_assert(std::has_unique_object_representations_v<T>, "no padding in message bodies");
  static_assert(alignof(T) == 8 && sizeof(T) % 8 == 0, "message bodies are 64-bit fields");
  return sizeof(T) / 8;
}

inline constexpr size_t kMaxWords = sim::Message::kBodyBytes / 8;

// One message type's body: its length in words, and a bit per word that must be 0 or 1.
struct Layout {
  size_t words;
  uint32_t booleans = 0;  // bit w set: word w is a boolean
};

template <class T>
constexpr Layout layout_of(uint32_t booleans = 0) {
  return Layout{word_count<T>(), booleans};
}

// `layouts[type]` describes each message type.
inline std::vector<std::byte> encode(const sim::Message& message, std::span<const Layout> layouts) {
  assert(message.type < layouts.size());
  const size_t count = layouts[message.type].words;
  assert(message.size == count * 8);
  std::array<uint64_t, kMaxWords> fields{};
  std::memcpy(fields.data(), message.body.data(), count * 8);
  std::vector<std::byte> out;
  out.reserve(1 + count * 8);
  out.push_back(static_cast<std::byte>(message.type));
  for (size_t w = 0; w < count; ++w) {
    for (int shift = 0; shift < 64; shift += 8) {
      out.push_back(static_cast<std::byte>((fields[w] >> shift) & 0xff));
    }
  }
  assert(out.size() == 1 + count * 8);
  return out;
}

// Rejects empty input, an unknown type, a length that does not match the type and a boolean
// word other than 0 or 1.
inline std::optional<sim::Message> decode(std::span<const std::byte> bytes,
                                          std::span<const Layout> layouts) {
  if (bytes.empty()) return std::nullopt;
  const auto type = static_cast<size_t>(bytes[0]);
  if (type >= layouts.size()) return std::nullopt;
  const Layout& layout = layouts[type];
  if (bytes.size() != 1 + layout.words * 8) return std::nullopt;
  std::array<uint64_t, kMaxWords> fields{};
  for (size_t w = 0; w < layout.words; ++w) {
    uint64_t v = 0;
    for (size_t b = 0; b < 8; ++b) v |= static_cast<uint64_t>(bytes[1 + w * 8 + b]) << (8 * b);
    if ((layout.booleans >> w & 1u) != 0 && v > 1) return std::nullopt;
    fields[w] = v;
  }
  sim::Message m;
  m.type = static_cast<uint16_t>(type);
  m.size = static_cast<uint16_t>(layout.words * 8);
  std::memcpy(m.body.data(), fields.data(), layout.words * 8);
  return m;
}

}  // namespace lockstep::protocols::wire
