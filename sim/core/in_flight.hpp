// Messages on their way, each in a record of only the bytes it carries: a 16-byte header (id,
// sender, type, body size), the payload's handle when it has one, and the body rounded up to 8
// bytes. A heartbeat's record is 24 bytes where a whole Message is 72. Records of one size live in
// chunks that never move and are reused through a free list; a slot names the size class and
// the record. Delivery rebuilds the Message: the body's bytes past `size`, rounded up to 8, arrive
// as zeroes (Message::of never writes them). Private to sim/core.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/payload.hpp"
#include "sim/core/process.hpp"
#include "sim/core/world.hpp"

namespace lockstep::sim {

class InFlightPool {
 public:
  static_assert(Message::kBodyBytes <= 7 * 8, "a body's words must fit the class numbering");
  static constexpr uint32_t kChunk = 4096;  // records per chunk

  // What a delivery needs before the handler: the message's id, sender and type.
  struct Header {
    uint64_t id;
    NodeIndex from;
    uint16_t type;
    uint16_t size;
  };
  static_assert(sizeof(Header) == 16);

  // Stores `m` (its payload handle, not its bytes); throws LimitError when `limit` records are
  // in use already. Returns the record's slot.
  uint64_t put(const Message& m, NodeIndex from, uint64_t id, size_t limit) {
    assert(m.size <= Message::kBodyBytes);
    if (in_use_ >= limit) [[unlikely]]
      over_limit(limit);
    const uint32_t handle = m.payload.handle();
    const uint32_t words = (m.size + 7u) / 8u;
    const uint32_t cls = words + (handle != 0 ? 8u : 0u);
    Class& c = classes_[cls];
    if (c.free.empty()) [[unlikely]]
      grow(c, cls);
    const uint32_t index = c.free.back();
    c.free.pop_back();
    ++in_use_;
    std::byte* r = record(c, cls, index);
    const Header h{id, from, m.type, m.size};
    std::memcpy(r, &h, sizeof h);
    r += sizeof h;
    if (handle != 0) {
      const uint64_t wide = handle;
      std::memcpy(r, &wide, sizeof wide);
      r += sizeof wide;
    }
    copy_words(r, m.body.data(), words);
    return (uint64_t{cls} << 32) | index;
  }

  // The header of the record at `slot`, which stays in flight (for tests: a run reads it by take).
  Header header(uint64_t slot) const {
    Header h;
    std::memcpy(&h, record(slot), sizeof h);
    return h;
  }
  // The payload's handle (0: none).
  uint32_t payload_handle(uint64_t slot) const {
    const auto cls = static_cast<uint32_t>(slot >> 32);
    if (!has_payload(cls)) return 0;
    uint64_t handle = 0;
    std::memcpy(&handle, record(slot) + sizeof(Header), sizeof handle);
    return static_cast<uint32_t>(handle);
  }
  // Takes the record at `slot` out of flight: its message as it was sent into `out` (the payload
  // from `payloads` by handle), its header returned, its slot free for the next put().
  Header take(uint64_t slot, const PayloadPool& payloads, Message* out) {
    const auto cls = static_cast<uint32_t>(slot >> 32);
    const auto index = static_cast<uint32_t>(slot);
    Class& c = classes_[cls];
    const std::byte* r = record(c, cls, index);
    Header h;
    std::memcpy(&h, r, sizeof h);
    r += sizeof h;
    out->type = h.type;
    out->size = h.size;
    if (has_payload(cls)) {
      uint64_t handle = 0;
      std::memcpy(&handle, r, sizeof handle);
      r += sizeof handle;
      out->payload = payloads.payload(static_cast<uint32_t>(handle));
    }
    copy_words(out->body.data(), r, cls % 8);
    assert(in_use_ > 0);
    --in_use_;
    c.free.push_back(index);
    return h;
  }
  // Drops the record at `slot` (its message is never delivered).
  void give_back(uint64_t slot) {
    assert(in_use_ > 0);
    --in_use_;
    classes_[slot >> 32].free.push_back(static_cast<uint32_t>(slot));
  }
  size_t in_use() const { return in_use_; }

 private:
  // Class: the body's 8-byte words (0-6), plus 8 when the message has a payload.
  static constexpr uint32_t kClasses = 16;
  static bool has_payload(uint32_t cls) { return cls >= 8; }
  static size_t body_bytes(uint32_t cls) { return size_t{cls % 8} * 8; }
  static size_t body_offset(uint32_t cls) { return sizeof(Header) + (has_payload(cls) ? 8 : 0); }
  static size_t stride(uint32_t cls) { return body_offset(cls) + body_bytes(cls); }
  // A body of a few words is copied word by word inline, not by a call to memcpy: one jump to
  // the count, no loop.
  static void copy_words(std::byte* to, const std::byte* from, uint32_t words) {
    static_assert(Message::kBodyBytes == 6 * 8, "one case per word of a body");
    const auto word = [&](uint32_t i) { std::memcpy(to + 8 * i, from + 8 * i, 8); };
    switch (words) {
      case 6:
        word(5);
        [[fallthrough]];
      case 5:
        word(4);
        [[fallthrough]];
      case 4:
        word(3);
        [[fallthrough]];
      case 3:
        word(2);
        [[fallthrough]];
      case 2:
        word(1);
        [[fallthrough]];
      case 1:
        word(0);
        [[fallthrough]];
      default:
        break;
    }
  }

  struct Class {
    std::vector<std::unique_ptr<std::byte[]>> chunks;
    std::vector<uint32_t> free;
    uint32_t made = 0;
  };
  [[noreturn]] static void over_limit(size_t limit) {
    throw LimitError("more than " + std::to_string(limit) +
                     " messages in flight at once; lower the message rate or the duration");
  }
  // Makes a new record free (and a chunk for it when the last is full). A chunk is not zeroed:
  // put() writes every byte of a record that take() reads (a fresh world per seed in explore
  // would otherwise clear up to 88 * 4096 bytes per class it uses).
  [[gnu::noinline]] static void grow(Class& c, uint32_t cls) {
    if (c.made % kChunk == 0)
      c.chunks.push_back(std::make_unique_for_overwrite<std::byte[]>(kChunk * stride(cls)));
    c.free.push_back(c.made++);
  }
  std::byte* record(const Class& c, uint32_t cls, uint32_t index) const {
    assert(cls < kClasses && index < c.made);
    return c.chunks[index / kChunk].get() + size_t{index % kChunk} * stride(cls);
  }
  std::byte* record(uint64_t slot) const {
    const auto cls = static_cast<uint32_t>(slot >> 32);
    return record(classes_[cls], cls, static_cast<uint32_t>(slot));
  }

  std::array<Class, kClasses> classes_;
  size_t in_use_ = 0;
};

}  // namespace lockstep::sim
