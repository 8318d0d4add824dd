#include "sim/core/payload.hpp"

#include <algorithm>
#include <bit>

namespace lockstep::sim {
namespace {

constexpr size_t kChunkBytes = 1 << 20;

}  // namespace

size_t PayloadPool::class_of(size_t bytes) {
  return static_cast<size_t>(std::countr_zero(std::bit_ceil(std::max(bytes, kMinBlock))));
}

std::byte* PayloadPool::carve(size_t capacity) {
  if (chunks_.empty() || chunk_used_ + capacity > chunk_size_) {
    chunk_size_ = std::max(kChunkBytes, capacity);
    chunks_.push_back(std::make_unique<std::byte[]>(chunk_size_));
    chunk_used_ = 0;
  }
  std::byte* out = chunks_.back().get() + chunk_used_;
  chunk_used_ += capacity;
  assert(reinterpret_cast<uintptr_t>(out) % kMinBlock == 0);
  return out;
}

Payload PayloadPool::make(std::span<const std::byte> bytes) {
  if (bytes.empty()) return Payload{};
  if (bytes.size() > max_payload_) {
    throw PayloadLimitError("a message payload of " + std::to_string(bytes.size()) +
                            " bytes is over the limit of " + std::to_string(max_payload_));
  }
  const size_t cls = class_of(bytes.size());
  const size_t capacity = size_t{1} << cls;
  if (live_bytes_ + capacity > max_live_) {
    throw PayloadLimitError("more than " + std::to_string(max_live_) +
                            " bytes of message payloads alive at once; lower the message rate "
                            "or the payload sizes");
  }
  if (free_.size() <= cls) free_.resize(cls + 1);
  uint32_t handle = 0;
  if (!free_[cls].empty()) {
    handle = free_[cls].back();
    free_[cls].pop_back();
  } else {
    blocks_.push_back({carve(capacity), static_cast<uint32_t>(capacity), 0, 0});
    handle = static_cast<uint32_t>(blocks_.size());
  }
  Block& b = block(handle);
  assert(b.refs == 0);
  b.size = static_cast<uint32_t>(bytes.size());
  b.refs = 1;
  std::memcpy(b.data, bytes.data(), bytes.size());
  live_bytes_ += capacity;
  ++live_;
  return Payload(b.data, b.size, handle);
}

void PayloadPool::release_block(const Payload& p) {
  Block& b = block(p.handle());
  assert(b.refs > 0 && "a payload released more often than retained");
  if (--b.refs > 0) return;
  free_[class_of(b.capacity)].push_back(p.handle());
  live_bytes_ -= b.capacity;
  --live_;
}

void PayloadPool::reset() {
  for (auto& list : free_) list.clear();
  for (uint32_t h = 1; h <= blocks_.size(); ++h) {
    Block& b = block(h);
    b.refs = 0;
    free_[class_of(b.capacity)].push_back(h);
  }
  live_bytes_ = 0;
  live_ = 0;
}

}  // namespace lockstep::sim
