// The event queue: a 4-ary min-heap ordered by (time, insertion sequence), so simultaneous
// events run in the order they were scheduled. Events are small PODs kept in one vector that
// grows to the run's peak and is reused: no heap allocation per event in steady state.
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

#include "sim/event.hpp"
#include "sim/time.hpp"

namespace lockstep::sim {

enum class EventType : uint8_t { deliver, timer, fault_start, fault_end };

struct QueuedEvent {
  int64_t at_ns;
  uint64_t seq;
  uint64_t data;   // deliver: message pool slot; timer: generation | incarnation << 32; fault: index
  NodeIndex node;  // the host it happens on (kNoNode for network-wide faults)
  uint16_t aux;    // timer: slot
  EventType type;
};

class Scheduler {
 public:
  void reserve(size_t n) { heap_.reserve(n); }
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  const QueuedEvent& top() const {
    assert(!heap_.empty());
    return heap_.front();
  }

  void push(int64_t at_ns, EventType type, NodeIndex node, uint64_t data, uint16_t aux = 0) {
    heap_.push_back(QueuedEvent{at_ns, next_seq_++, data, node, aux, type});
    sift_up(heap_.size() - 1);
  }

  QueuedEvent pop() {
    assert(!heap_.empty());
    QueuedEvent out = heap_.front();
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    return out;
  }

 private:
  static bool before(const QueuedEvent& a, const QueuedEvent& b) {
    return a.at_ns < b.at_ns || (a.at_ns == b.at_ns && a.seq < b.seq);
  }

  void sift_up(size_t i) {
    QueuedEvent moving = heap_[i];
    while (i > 0) {
      const size_t parent = (i - 1) / 4;
      if (!before(moving, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = moving;
  }

  void sift_down(size_t i) {
    const size_t n = heap_.size();
    QueuedEvent moving = heap_[i];
    for (;;) {
      const size_t first = 4 * i + 1;
      if (first >= n) break;
      size_t best = first;
      const size_t last = first + 4 < n ? first + 4 : n;
      for (size_t c = first + 1; c < last; ++c) {
        if (before(heap_[c], heap_[best])) best = c;
      }
      if (!before(heap_[best], moving)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = moving;
  }

  std::vector<QueuedEvent> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace lockstep::sim
