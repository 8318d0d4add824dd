// The world's inside, shared by its files (sim/core/world.cpp: hosts, messages, timers and the
// run loop; sim/core/world_faults.cpp: applying and undoing faults). Private to sim/core.
#pragma once

#include <algorithm>
#include <cassert>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/host_storage.hpp"
#include "sim/core/in_flight.hpp"
#include "sim/core/network.hpp"
#include "sim/core/process.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/core/world.hpp"

namespace lockstep::sim {

struct World::Impl {
  class HostContext;

  struct Host {
    NodeIndex index = 0;
    Clock clock;
    bool up = true;
    int paused = 0;  // nested pauses: resumes when every pause has ended
    // Bumped by a crash (timers die with the process) and a clock-rate change (timers are set
    // again for the new rate): a timer event of an older epoch is skipped.
    uint32_t timer_epoch = 0;
    // A slot's timer has at most one queue entry standing for it (its epoch and `ticket` in the
    // event's data). Setting the timer no earlier than that entry's time only records the key
    // it is due at; when the entry pops before that key it is pushed again at it. A timer reset
    // on every message (an election timeout) so costs one queue entry per timeout, not one per
    // message, and fires at the key a push at the time it was set would have had.
    struct TimerState {
      LocalTime due;       // on the monotonic clock
      int64_t due_at = 0;  // the true instant and sequence the live timer fires at
      uint64_t due_seq = 0;
      int64_t entry_at = 0;  // when queued: the entry's time, or earlier
      uint32_t ticket = 0;   // the current entry's: an older entry of this slot is skipped
      bool live = false;     // set, not yet fired or cancelled
      bool queued = false;   // an entry of this epoch with `ticket` is queued or deferred
    };
    std::array<TimerState, kMaxTimerSlots> timers{};
    int64_t rate_before_ppb = 0;  // to restore after a clock_rate fault
    // The clock's readings at true instant `read_at_ns`: a handler's events and calls read the
    // clock at one instant several times, and with drift each reading costs divisions.
    mutable int64_t read_at_ns = INT64_MIN;
    mutable LocalTime read_mono;
    mutable LocalTime read_wall;
    // Every change to the clock goes through here, so no stale reading outlives it.
    Clock& change_clock() {
      read_at_ns = INT64_MIN;
      return clock;
    }
    void read_clock(Instant now, LocalTime* mono, LocalTime* wall) const {
      if (read_at_ns != now.ns) {
        clock.read(now, &read_mono, &read_wall);
        read_at_ns = now.ns;
      }
      *mono = read_mono;
      *wall = read_wall;
    }
    std::unique_ptr<Process> process;
    std::unique_ptr<HostContext> context;
    HostStorage storage;
    Rng rng;
    std::vector<QueuedEvent> deferred;  // deliveries and timers held while paused
  };

  class HostContext final : public Context, public HostStorage::Driver {
   public:
    HostContext(Impl& world, NodeIndex self) : w_(world), self_(self) {}
    NodeIndex self() const override { return self_; }
    const Directory& directory() const override { return w_.directory; }
    LocalTime now(ClockKind clock) const override {
      LocalTime mono;
      LocalTime wall;
      w_.hosts[self_].read_clock(w_.now, &mono, &wall);
      return clock == ClockKind::monotonic ? mono : wall;
    }
    void send(NodeIndex to, const Message& m) override { w_.send(self_, to, m); }
    Payload payload(std::span<const std::byte> bytes) override { return w_.make_payload(bytes); }
    void set_timer(TimerSlot slot, Duration after) override { w_.set_timer(self_, slot, after); }
    void cancel_timer(TimerSlot slot) override {
      assert(slot < kMaxTimerSlots);
      w_.hosts[self_].timers[slot].live = false;  // its entry is skipped when it pops
    }
    Storage& durable() override { return w_.hosts[self_].storage; }
    Rng& rng() override { return w_.hosts[self_].rng; }
    const Vocabulary& vocabulary() const override { return *w_.config.vocabulary; }
    void observe(Kind kind, std::initializer_list<Field> fields, std::string_view text) override {
      w_.observe(self_, kind, fields, text);
    }

    // HostStorage::Driver
    Instant now() const override { return w_.now; }
    void schedule_sync(StorageTicket ticket, Instant at, size_t writes) override {
      w_.schedule_sync(self_, ticket, at, writes);
    }

   private:
    Impl& w_;
    NodeIndex self_;
  };

  const WorldConfig config;
  const Plan& plan;
  Trace& trace;
  WorldLimits limits;
  Directory directory;
  TraceInfo info;
  Scheduler queue;
  Network network;
  std::vector<Host> hosts;
  InFlightPool in_flight;
  PayloadPool payloads;
  std::vector<Payload> made;  // payloads made by the running handler, released when it returns
  Instant now;
  uint64_t next_msg_id = 0;
  uint64_t events = 0;
  uint64_t progress_every = 0;
  uint64_t next_progress = UINT64_MAX;  // the event count of the next progress report
  uint64_t next_rate_check = limits.first_pace_check;
  uint64_t rate_check_events = 0;  // the event count and time at the last pace check
  int64_t rate_check_ns = 0;
  // The next event count that needs checkpoint(): the next progress report, the next pace
  // check, or the first count over the budget.
  uint64_t next_check_after() const {
    const uint64_t over = limits.max_events == UINT64_MAX ? UINT64_MAX : limits.max_events + 1;
    return std::min({next_progress, next_rate_check, over});
  }
  uint64_t next_check = next_check_after();
  Progress progress;
  // Per role claim of the protocol (config.claims): who claims it, most recent last.
  std::vector<std::vector<NodeIndex>> claimants;
  // Per planned fault: the node it was applied to and the links it blocked, for its heal.
  std::vector<NodeIndex> fault_node;
  std::vector<std::vector<std::pair<NodeIndex, NodeIndex>>> fault_links;
  std::vector<std::string> fault_text;
  // Triggered faults waiting for their event, and drop rules waiting for their message.
  struct Armed {
    size_t fault;
    int64_t seen = 0;
  };
  std::vector<Armed> triggers;
  std::vector<Armed> drops;

  Impl(WorldConfig c, const Plan& p, Trace& t, WorldLimits l);

  void emit(NodeIndex node, Kind kind, std::initializer_list<Field> fields,
            std::string_view text = {}) {
    Event e{Event::FieldsUnset{}};
    e.at = now;
    e.node = node;
    if (node != kNoNode) hosts[node].read_clock(now, &e.mono, &e.wall);
    e.kind = kind;
    assert(fields.size() <= Event::kMaxFields);
    for (const Field& f : fields) e.fields[e.field_count++] = f;
    for (size_t i = fields.size(); i < Event::kMaxFields; ++i) e.fields[i] = Field{};
    e.text = text;
    trace.emit(e);
    if (!triggers.empty()) check_triggers(e);
  }
  void check_triggers(const Event& e);
  // True when a drop rule takes this message (it is then traced as dropped).
  bool dropped_by_fault(NodeIndex from, NodeIndex to, const Message& m, int64_t msg_id);
  void reset_timers(Host& h);

  void observe(NodeIndex self, Kind kind, std::initializer_list<Field> fields,
               std::string_view text) {
    track_roles(self, kind);
    emit(self, kind, fields, text);
  }
  void track_roles(NodeIndex node, Kind kind);
  void forget_roles(NodeIndex node);

  void send(NodeIndex from, NodeIndex to, const Message& m);
  void set_timer(NodeIndex node, TimerSlot slot, Duration after);
  // The slot's timer falls due at its monotonic deadline, in the order of this call.
  void arm_timer(Host& h, TimerSlot slot) {
    Host::TimerState& t = h.timers[slot];
    t.due_at = h.clock.when_monotonic_reaches(t.due, now).ns;
    t.due_seq = queue.take_seq();
  }
  // A new queue entry for the slot, at the key arm_timer recorded; an older one is skipped when it
  // pops. Inlined at each caller, so each keeps its own branch history for the queue's choice.
  [[gnu::always_inline]] void queue_timer(Host& h, TimerSlot slot) {
    Host::TimerState& t = h.timers[slot];
    t.queued = true;
    t.entry_at = t.due_at;
    ++t.ticket;
    queue.push_keyed(t.due_at, t.due_seq, EventType::timer, h.index, timer_data(h, t), slot);
  }
  // A timer entry's data: its slot's ticket and its host's timer epoch.
  static uint64_t timer_data(const Host& h, const Host::TimerState& t) {
    return uint64_t{t.ticket} | (uint64_t{h.timer_epoch} << 32);
  }
  Payload make_payload(std::span<const std::byte> bytes);
  // Drops the running handler's own references to the payloads it made.
  void end_handler() {
    for (const Payload& p : made) payloads.release(p);
    made.clear();
  }

  void boot(Host& h);
  void dispatch(const QueuedEvent& ev);
  void deliver(const QueuedEvent& ev);
  void fire_timer(const QueuedEvent& ev);
  void schedule_sync(NodeIndex node, StorageTicket ticket, Instant at, size_t writes);
  void storage_done(const QueuedEvent& ev);
  void fault_start(size_t index);
  void fault_end(size_t index);
  NodeIndex resolve(const Target& t) const;
  void crash(NodeIndex node, size_t index);
  // The node a fault acts on now, or kNoNode after tracing why it is skipped.
  NodeIndex fault_node_now(size_t index);
  void start_node_fault(size_t index, NodeIndex node);
  void start_link_fault(size_t index);
  void resume(Host& h);
  // Blocks (+1) or unblocks (-1) the fault's links and traces every link whose reachability
  // flipped, after the fault event itself, so a trace reader can follow connectivity.
  void change_links(size_t index, int delta);
  std::vector<std::pair<NodeIndex, NodeIndex>> flipped;
  void run();
  // At an event count that needs attention: a progress report, the rate check, the budget.
  void checkpoint();
};

}  // namespace lockstep::sim
