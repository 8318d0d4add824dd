// The byte encoding shared by protocols whose message bodies are runs of 64-bit fields: a type
// byte, then each field little-endian. Part of the runtime interface: the live runtime sends
// these bytes; the simulator moves sim::Message values and never encodes.
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

namespace lockstep::sim::wire {

// The number of 64-bit words in body type T. Holds only for bodies made of 64-bit fields with
// no padding; these checks keep a future message from breaking that quietly.
template <class T>
constexpr size_t word_count() {
  static_assert(std::has_unique_object_representations_v<T>, "no padding in message bodies");
  static_assert(alignof(T) == 8 && sizeof(T) % 8 == 0, "message bodies are 64-bit fields");
  return sizeof(T) / 8;
}

inline constexpr size_t kMaxWords = Message::kBodyBytes / 8;

// `words[type]` is the body length of each message type, in words.
inline std::vector<std::byte> encode(const Message& message, std::span<const size_t> words) {
  assert(message.type < words.size());
  const size_t count = words[message.type];
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

// Rejects empty input, an unknown type and a length that does not match the type.
inline std::optional<Message> decode(std::span<const std::byte> bytes,
                                     std::span<const size_t> words) {
  if (bytes.empty()) return std::nullopt;
  const auto type = static_cast<size_t>(bytes[0]);
  if (type >= words.size()) return std::nullopt;
  const size_t count = words[type];
  if (bytes.size() != 1 + count * 8) return std::nullopt;
  std::array<uint64_t, kMaxWords> fields{};
  for (size_t w = 0; w < count; ++w) {
    uint64_t v = 0;
    for (size_t b = 0; b < 8; ++b) v |= static_cast<uint64_t>(bytes[1 + w * 8 + b]) << (8 * b);
    fields[w] = v;
  }
  Message m;
  m.type = static_cast<uint16_t>(type);
  m.size = static_cast<uint16_t>(count * 8);
  std::memcpy(m.body.data(), fields.data(), count * 8);
  return m;
}

}  // namespace lockstep::sim::wire
