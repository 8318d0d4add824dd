// A message's variable-size part: immutable bytes (or a typed sequence: log entries, key lists)
// that every copy of the message shares. The runtime owns them: a payload a handler makes lives
// until the handler returns unless it leaves in a message, and one that arrives lives until the
// handler that receives it returns, so a process that wants to keep one copies it out.
//
// PayloadPool is the simulator's store: blocks in power-of-two size classes carved from chunks
// that are never freed while the pool lives, free lists per class and a reference count per
// block, so steady state allocates nothing per event and a pool reused across seeds (explore)
// allocates nothing per seed either.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace lockstep::sim {

class Payload {
 public:
  Payload() = default;
  Payload(const std::byte* data, uint32_t size, uint32_t handle)
      : data_(data), size_(size), handle_(handle) {}

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  std::span<const std::byte> bytes() const { return {data_, size_}; }
  // The payload as a run of T (made by Context::payload_of<T>): its size is a multiple of T's.
  template <class T>
  std::span<const T> items() const {
    static_assert(std::is_trivially_copyable_v<T>, "payload items are plain values");
    assert(size_ % sizeof(T) == 0);
    assert(reinterpret_cast<uintptr_t>(data_) % alignof(T) == 0);
    return {reinterpret_cast<const T*>(data_), size_ / sizeof(T)};
  }
  // The runtime's name for the bytes (0: none). Only the runtime that made it reads it.
  uint32_t handle() const { return handle_; }

 private:
  const std::byte* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t handle_ = 0;
};

// A payload or the bytes in flight went over a limit.
class PayloadLimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PayloadPool {
 public:
  static constexpr size_t kMinBlock = 16;  // also the alignment of every payload

  PayloadPool(size_t max_payload_bytes, size_t max_live_bytes)
      : max_payload_(max_payload_bytes), max_live_(max_live_bytes) {}

  // A new payload holding `bytes`, with one reference. Throws PayloadLimitError beyond a limit.
  Payload make(std::span<const std::byte> bytes);
  void retain(const Payload& p) {
    if (p.handle() != 0) ++block(p.handle()).refs;
  }
  void release(const Payload& p) {
    if (p.handle() != 0) release_block(p);  // most messages carry no payload: no call
  }
  // The payload `handle` names, as make() returned it (0: none).
  Payload payload(uint32_t handle) const {
    if (handle == 0) return Payload{};
    assert(handle <= blocks_.size());
    const Block& b = blocks_[handle - 1];
    assert(b.refs > 0);
    return Payload(b.data, b.size, handle);
  }
  // Forgets every payload (a new run); keeps the memory for the next one.
  void reset();

  size_t live_bytes() const { return live_bytes_; }
  size_t live_payloads() const { return live_; }

 private:
  struct Block {
    std::byte* data;
    uint32_t capacity;  // its size class
    uint32_t size;
    uint32_t refs;
  };
  static size_t class_of(size_t bytes);
  Block& block(uint32_t handle) {
    assert(handle > 0 && handle <= blocks_.size());
    return blocks_[handle - 1];
  }
  std::byte* carve(size_t capacity);
  void release_block(const Payload& p);

  size_t max_payload_;
  size_t max_live_;
  std::vector<Block> blocks_;                // handle - 1 -> block
  std::vector<std::vector<uint32_t>> free_;  // per size class: free handles
  std::vector<std::unique_ptr<std::byte[]>> chunks_;
  size_t chunk_used_ = 0;
  size_t chunk_size_ = 0;
  size_t live_bytes_ = 0;
  size_t live_ = 0;
};

}  // namespace lockstep::sim
