// A hand-driven sim::Context for protocol unit tests: it records sends, timers and observations,
// and lets a test set the clocks, deliver messages and fire timers itself.
#pragma once

#include <algorithm>
#include <cassert>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/process.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::testing {

struct Sent {
  sim::NodeIndex to;
  sim::Message message;
};

struct Observation {
  sim::Kind kind;
  std::vector<sim::Field> fields;
  std::string text;

  std::optional<int64_t> get(sim::Key key) const {
    for (const sim::Field& f : fields) {
      if (f.key == key) return f.value;
    }
    return std::nullopt;
  }
};

class FakeContext final : public sim::Context {
 public:
  // `store` outlives the context when a test restarts a node on the same storage.
  FakeContext(std::vector<sim::NodeInfo> nodes, sim::NodeIndex self,
              sim::DurableStore* store = nullptr, uint64_t seed = 1)
      : directory_(std::move(nodes)),
        self_(self),
        store_(store != nullptr ? store : &own_store_),
        rng_(seed) {
    assert(self_ < directory_.size());
  }

  // sim::Context
  sim::NodeIndex self() const override { return self_; }
  const sim::Directory& directory() const override { return directory_; }
  sim::LocalTime now(sim::ClockKind clock) const override {
    return clock == sim::ClockKind::wall ? wall_ : mono_;
  }
  void send(sim::NodeIndex to, const sim::Message& message) override {
    assert(to < directory_.size());
    sends.push_back({to, message});
  }
  // Payloads live as long as the context (a test may read a sent message's payload at leisure).
  sim::Payload payload(std::span<const std::byte> bytes) override {
    if (bytes.empty()) return sim::Payload{};
    payloads_.emplace_back(bytes.begin(), bytes.end());
    return sim::Payload(payloads_.back().data(), static_cast<uint32_t>(bytes.size()), 0);
  }
  void set_timer(sim::TimerSlot slot, sim::Duration after) override {
    assert(slot < sim::kMaxTimerSlots);
    assert(after >= sim::Duration::zero());
    timers_[slot] = {mono_ + after, next_timer_seq_++};
  }
  void cancel_timer(sim::TimerSlot slot) override { timers_.erase(slot); }
  sim::DurableStore& durable() override { return *store_; }
  sim::Rng& rng() override { return rng_; }
  const sim::Vocabulary& vocabulary() const override {
    return *::lockstep::testing::catalog_vocabulary();
  }
  void observe(sim::Kind kind, std::initializer_list<sim::Field> fields,
               std::string_view text) override {
    observations.push_back({kind, std::vector<sim::Field>(fields), std::string(text)});
  }

  // Clocks. Both advance together; a wall step moves the wall clock alone.
  sim::LocalTime mono() const { return mono_; }
  void advance(sim::Duration d) {
    assert(d >= sim::Duration::zero());
    mono_ = mono_ + d;
    wall_ = wall_ + d;
  }
  void step_wall(sim::Duration by) { wall_ = wall_ + by; }

  // Timers.
  bool pending(sim::TimerSlot slot) const { return timers_.count(slot) != 0; }
  std::optional<sim::LocalTime> due(sim::TimerSlot slot) const {
    auto it = timers_.find(slot);
    if (it == timers_.end()) return std::nullopt;
    return it->second.due;
  }
  // Moves the clocks to the slot's due time (never backwards) and fires it.
  void fire(sim::Process& p, sim::TimerSlot slot) {
    auto it = timers_.find(slot);
    assert(it != timers_.end() && "firing a timer that is not pending");
    if (it->second.due > mono_) advance(it->second.due - mono_);
    timers_.erase(it);
    p.on_timer(*this, slot);
  }
  // Fires every timer due at or before `until` in due order (ties in the order they were set,
  // as the simulator does), then moves the clocks to `until`. Returns the slots fired, in order.
  std::vector<sim::TimerSlot> run_until(sim::Process& p, sim::LocalTime until) {
    std::vector<sim::TimerSlot> fired;
    for (int guard = 0; guard < 100'000; ++guard) {
      auto next = earliest();
      if (!next || timers_.at(*next).due > until) break;
      fired.push_back(*next);
      fire(p, *next);
    }
    if (until > mono_) advance(until - mono_);
    return fired;
  }
  void run_for(sim::Process& p, sim::Duration d) { run_until(p, mono_ + d); }

  void deliver(sim::Process& p, sim::NodeIndex from, const sim::Message& m) {
    p.on_message(*this, from, m);
  }

  // Records.
  std::vector<Sent> take_sends() { return std::exchange(sends, {}); }
  size_t count(sim::Kind kind) const {
    return static_cast<size_t>(std::count_if(observations.begin(), observations.end(),
                                             [&](const Observation& o) { return o.kind == kind; }));
  }
  const Observation* last(sim::Kind kind) const {
    for (auto it = observations.rbegin(); it != observations.rend(); ++it) {
      if (it->kind == kind) return &*it;
    }
    return nullptr;
  }

  std::vector<Sent> sends;
  std::vector<Observation> observations;

 private:
  struct Pending {
    sim::LocalTime due;
    uint64_t seq;
  };
  std::optional<sim::TimerSlot> earliest() const {
    std::optional<sim::TimerSlot> best;
    for (const auto& [slot, t] : timers_) {
      if (!best ||
          std::pair(t.due, t.seq) < std::pair(timers_.at(*best).due, timers_.at(*best).seq)) {
        best = slot;
      }
    }
    return best;
  }

  sim::Directory directory_;
  sim::NodeIndex self_;
  sim::DurableStore own_store_;
  std::deque<std::vector<std::byte>> payloads_;
  sim::DurableStore* store_;
  sim::Rng rng_;
  sim::LocalTime mono_;
  sim::LocalTime wall_;
  std::map<sim::TimerSlot, Pending> timers_;
  uint64_t next_timer_seq_ = 0;
};

}  // namespace lockstep::protocols::testing
