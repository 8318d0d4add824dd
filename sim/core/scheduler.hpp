// The event queue, ordered by (time, insertion sequence), so simultaneous events run in the order
// they were scheduled. Behind one interface: a few sorted lanes and a 4-ary min-heap. Most events
// are pushed in non-decreasing time order per kind (deliveries over a constant latency, periodic
// timers), so an event that is no earlier than some lane's last event is appended to that lane in
// O(1) (patience sorting); only the rest pay for the heap. pop() takes the smallest head. The
// order of pops depends only on (time, sequence), never on which store held an event. Events
// are small PODs in vectors that grow to the run's peak and are reused: no allocation per event
// in steady state.
#pragma once

#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "sim/core/event.hpp"
#include "sim/core/int128.hpp"
#include "sim/core/time.hpp"

namespace lockstep::sim {

enum class EventType : uint8_t { deliver, timer, fault_start, fault_end, storage_done };

// The first 16 bytes are the order key: seq then at_ns, so on a little-endian machine they read
// as the 128-bit number at_ns * 2^64 + seq, compared in one step.
struct QueuedEvent {
  uint64_t seq;
  int64_t at_ns;  // never negative
  // deliver: message pool slot; timer: the slot's ticket | epoch << 32; fault: index; storage:
  // the sync's ticket
  uint64_t data;
  NodeIndex node;  // the host it happens on (kNoNode for network-wide faults)
  uint16_t aux;    // timer: slot
  EventType type;
};

class Scheduler {
 public:
  static constexpr size_t kLanes = 4;

  void reserve(size_t n) { heap_.reserve(n); }
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  const QueuedEvent& top() const {
    assert(!empty());
    const int lane = min_lane();
    return lane < 0 ? heap_.front() : lanes_[static_cast<size_t>(lane)].front();
  }

  void push(int64_t at_ns, EventType type, NodeIndex node, uint64_t data, uint16_t aux = 0) {
    insert<false>(QueuedEvent{next_seq_++, at_ns, data, node, aux, type});
  }
  // The sequence number the next push would take, taken now for an event pushed later with
  // push_keyed (a timer re-armed lazily keeps the place in the order it was given when set).
  uint64_t take_seq() { return next_seq_++; }
  // Pushes an event at a key (at_ns, seq) from take_seq(), which may be earlier than the last
  // pushed: it is ordered exactly where a push() at take_seq() time would have put it.
  void push_keyed(int64_t at_ns, uint64_t seq, EventType type, NodeIndex node, uint64_t data,
                  uint16_t aux = 0) {
    assert(seq < next_seq_);
    insert<true>(QueuedEvent{seq, at_ns, data, node, aux, type});
  }

  QueuedEvent pop() {
    assert(!empty());
    return pop_from(min_lane());
  }
  // The run loop's step: pops the smallest event into `out` when it is due before `end_ns`
  // (false, popping nothing, otherwise). One search for the smallest head instead of two.
  bool pop_before(int64_t end_ns, QueuedEvent* out) {
    if (empty()) return false;
    const int lane = min_lane();
    const QueuedEvent& head = lane < 0 ? heap_.front() : lanes_[static_cast<size_t>(lane)].front();
    if (head.at_ns >= end_ns) return false;
    *out = pop_from(lane);
    return true;
  }

 private:
  // kKeyed: `e` may have an older sequence than a lane's last event (push_keyed), so a lane takes
  // it only when its whole key is no smaller; otherwise its sequence is the largest yet, and
  // comparing times suffices.
  template <bool kKeyed>
  void insert(const QueuedEvent& e) {
    assert(e.at_ns >= 0);
    ++size_;
    // Appending an event no earlier than a lane's last keeps the lane sorted. Best fit: the lane
    // whose last event is latest but not after this one.
    Lane* best = nullptr;
    Lane* free_lane = nullptr;
    for (Lane& l : lanes_) {
      if (l.empty()) {
        if (free_lane == nullptr) free_lane = &l;
      } else if ((kKeyed ? !before(e, l.back()) : l.back().at_ns <= e.at_ns) &&
                 (best == nullptr || l.back().at_ns > best->back().at_ns)) {
        best = &l;
      }
    }
    if (best == nullptr) best = free_lane;
    if (best != nullptr) {
      best->push_back(e);
      return;
    }
    heap_.push_back(e);
    sift_up(heap_.size() - 1);
  }

  // Pops the head of `lane` (-1: the heap's top), which min_lane() found smallest.
  QueuedEvent pop_from(int lane) {
    --size_;
    if (lane >= 0) return lanes_[static_cast<size_t>(lane)].pop();
    const QueuedEvent out = heap_.front();
    const QueuedEvent last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) refill_root(last);
    return out;
  }

  // A lane is a FIFO in chunks that never move: growing one never copies what it holds (a vector
  // doubling to hold 5 M events touches 1.5 times their bytes at its peak), and a chunk emptied
  // at the head is kept for the tail to reuse.
  struct Lane {
    static constexpr size_t kChunk = 2048;               // events, 64 KiB
    std::vector<std::unique_ptr<QueuedEvent[]>> chunks;  // the head's chunk first
    std::unique_ptr<QueuedEvent[]> spare;
    size_t count = 0;
    QueuedEvent* head = nullptr;      // in chunks.front()
    QueuedEvent* head_end = nullptr;  // chunks.front()'s end
    QueuedEvent* tail = nullptr;      // in chunks.back(): one past the last event
    QueuedEvent* tail_end = nullptr;  // chunks.back()'s end

    bool empty() const { return count == 0; }
    const QueuedEvent& front() const { return *head; }
    const QueuedEvent& back() const { return tail[-1]; }
    void push_back(const QueuedEvent& e) {
      if (tail == tail_end) add_chunk();
      *tail++ = e;
      ++count;
    }
    QueuedEvent pop() {
      assert(!empty());
      const QueuedEvent out = *head++;
      if (--count == 0) {
        while (chunks.size() > 1) drop_front();
        head = tail = chunks.front().get();  // empty: filled again from its start
      } else if (head == head_end) {
        drop_front();
      }
      return out;
    }
    void add_chunk() {
      chunks.push_back(spare != nullptr ? std::move(spare)
                                        : std::make_unique<QueuedEvent[]>(kChunk));
      tail = chunks.back().get();
      tail_end = tail + kChunk;
      if (chunks.size() == 1) {
        head = tail;
        head_end = tail_end;
      }
    }
    void drop_front() {
      assert(chunks.size() > 1);
      spare = std::move(chunks.front());
      chunks.erase(chunks.begin());  // a pointer per 2048 events moves: amortised O(1)
      head = chunks.front().get();
      head_end = head + kChunk;
    }
  };

  // (time, sequence) as one 128-bit key: one branch-free comparison instead of two.
  static uint128 key(const QueuedEvent& e) {
    static_assert(std::endian::native == std::endian::little);
    static_assert(offsetof(QueuedEvent, seq) == 0 && offsetof(QueuedEvent, at_ns) == 8);
    uint128 k;
    std::memcpy(&k, &e, sizeof k);
    return k;
  }
  static bool before(const QueuedEvent& a, const QueuedEvent& b) { return key(a) < key(b); }
  // The lane holding the smallest event, or -1 when the heap's top is smaller (or no lane has any).
  int min_lane() const {
    int best = -1;
    const QueuedEvent* best_event = heap_.empty() ? nullptr : &heap_.front();
    for (size_t i = 0; i < kLanes; ++i) {
      const Lane& l = lanes_[i];
      if (!l.empty() && (best_event == nullptr || before(l.front(), *best_event))) {
        best = static_cast<int>(i);
        best_event = &l.front();
      }
    }
    return best;
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

  // The root was popped: `last` (the heap's former last event) fills it. As in bottom-up
  // heapsort, the hole first sinks to a leaf along the smallest children, without comparing them
  // to `last`, which came from the bottom and mostly belongs there; then `last` rises from the
  // leaf as far as it must. Of four children, two pairs are compared side by side, then their
  // winners, and the choice is computed rather than branched on (a mispredicted branch per level
  // cost more than the comparisons).
  void refill_root(const QueuedEvent& last) {
    const size_t n = heap_.size();
    QueuedEvent* h = heap_.data();
    size_t i = 0;
    for (;;) {
      const size_t first = 4 * i + 1;
      size_t best;
      if (first + 4 <= n) {  // arithmetic on the comparisons, not branches: they are coin flips
        const size_t a = first + size_t{before(h[first + 1], h[first])};
        const size_t b = first + 2 + size_t{before(h[first + 3], h[first + 2])};
        const size_t take_b = size_t{0} - size_t{before(h[b], h[a])};  // all ones or zero
        best = a ^ ((a ^ b) & take_b);
      } else if (first < n) {
        best = first;
        for (size_t c = first + 1; c < n; ++c) {
          if (before(h[c], h[best])) best = c;
        }
      } else {
        break;
      }
      h[i] = h[best];
      i = best;
    }
    h[i] = last;
    sift_up(i);
  }

  std::array<Lane, kLanes> lanes_;
  std::vector<QueuedEvent> heap_;
  size_t size_ = 0;
  uint64_t next_seq_ = 0;
};

}  // namespace lockstep::sim
