// The byte encoding of every protocol's messages: a type byte, then each 64-bit field of the body
// little-endian, then (for types that carry one) the payload's length and bytes. Message bodies are
// runs of 64-bit fields; a layout per type says how many and which of them are booleans (0 or 1
// only). The live runtime sends these bytes; the simulator moves sim::Message values and never
// encodes.
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

// One message type's body: its length in words, a bit per word that must be 0 or 1, and whether
// it carries a payload (of items of `payload_item` bytes; 0: never).
struct Layout {
  size_t words;
  uint32_t booleans = 0;  // bit w set: word w is a boolean
  size_t payload_item = 0;
};

template <class T>
constexpr Layout layout_of(uint32_t booleans = 0) {
  return Layout{word_count<T>(), booleans, 0};
}

// A type whose header is T and whose payload is a run of Item.
template <class T, class Item>
constexpr Layout layout_with_payload(uint32_t booleans = 0) {
  static_assert(std::is_trivially_copyable_v<Item>, "payload items are plain values");
  return Layout{word_count<T>(), booleans, sizeof(Item)};
}

// Payloads on the wire: a 32-bit little-endian length, then the bytes.
inline constexpr size_t kMaxWirePayload = 1 << 20;

// A decoded message before its payload has a home: the header, and the payload's bytes (a view
// into the datagram).
struct DecodedView {
  sim::Message header;
  std::span<const std::byte> payload;
};

// `layouts[type]` describes each message type.
inline std::vector<std::byte> encode(const sim::Message& message, std::span<const Layout> layouts) {
  assert(message.type < layouts.size());
  const size_t count = layouts[message.type].words;
  assert(message.size == count * 8);
  std::array<uint64_t, kMaxWords> fields{};
  std::memcpy(fields.data(), message.body.data(), count * 8);
  const Layout& layout = layouts[message.type];
  assert(layout.payload_item != 0 || message.payload.empty());
  std::vector<std::byte> out;
  out.reserve(1 + count * 8 + (layout.payload_item != 0 ? 4 + message.payload.size() : 0));
  out.push_back(static_cast<std::byte>(message.type));
  for (size_t w = 0; w < count; ++w) {
    for (int shift = 0; shift < 64; shift += 8) {
      out.push_back(static_cast<std::byte>((fields[w] >> shift) & 0xff));
    }
  }
  if (layout.payload_item != 0) {
    const auto n = static_cast<uint32_t>(message.payload.size());
    for (int shift = 0; shift < 32; shift += 8)
      out.push_back(static_cast<std::byte>((n >> shift) & 0xff));
    const std::span<const std::byte> bytes = message.payload.bytes();
    out.insert(out.end(), bytes.begin(), bytes.end());
  }
  return out;
}

// Rejects empty input, an unknown type, a length that does not match the type, a boolean word
// other than 0 or 1, and a payload that is too long, not whole items, or on a type without one.
inline std::optional<DecodedView> decode_view(std::span<const std::byte> bytes,
                                              std::span<const Layout> layouts) {
  if (bytes.empty()) return std::nullopt;
  const auto type = static_cast<size_t>(bytes[0]);
  if (type >= layouts.size()) return std::nullopt;
  const Layout& layout = layouts[type];
  const size_t header = 1 + layout.words * 8;
  if (bytes.size() < header) return std::nullopt;
  if (layout.payload_item == 0 && bytes.size() != header) return std::nullopt;
  std::array<uint64_t, kMaxWords> fields{};
  for (size_t w = 0; w < layout.words; ++w) {
    uint64_t v = 0;
    for (size_t b = 0; b < 8; ++b) v |= static_cast<uint64_t>(bytes[1 + w * 8 + b]) << (8 * b);
    if ((layout.booleans >> w & 1u) != 0 && v > 1) return std::nullopt;
    fields[w] = v;
  }
  DecodedView out;
  out.header.type = static_cast<uint16_t>(type);
  out.header.size = static_cast<uint16_t>(layout.words * 8);
  std::memcpy(out.header.body.data(), fields.data(), layout.words * 8);
  if (layout.payload_item == 0) return out;
  if (bytes.size() < header + 4) return std::nullopt;
  uint32_t n = 0;
  for (size_t b = 0; b < 4; ++b) n |= static_cast<uint32_t>(bytes[header + b]) << (8 * b);
  if (n > kMaxWirePayload || n % layout.payload_item != 0) return std::nullopt;
  if (bytes.size() != header + 4 + n) return std::nullopt;
  out.payload = bytes.subspan(header + 4, n);
  return out;
}

// decode_view, with the payload's bytes copied into a payload `make` provides.
template <class MakePayload>
std::optional<sim::Message> decode(std::span<const std::byte> bytes,
                                   std::span<const Layout> layouts, MakePayload&& make) {
  std::optional<DecodedView> view = decode_view(bytes, layouts);
  if (!view.has_value()) return std::nullopt;
  sim::Message m = view->header;
  if (!view->payload.empty()) m.payload = make(view->payload);
  return m;
}

// For message types without payloads.
inline std::optional<sim::Message> decode(std::span<const std::byte> bytes,
                                          std::span<const Layout> layouts) {
  std::optional<DecodedView> view = decode_view(bytes, layouts);
  if (!view.has_value() || !view->payload.empty()) return std::nullopt;
  return view->header;
}

}  // namespace lockstep::protocols::wire
