// The trace hash (version 3): a fingerprint of every event's content and order, with kinds and
// keys entering by name, whatever value() is asked for along the way.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"

namespace lockstep::sim {
namespace {

TraceInfo kernel_info() {
  TraceInfo info;
  info.vocabulary = Vocabulary::kernel();
  return info;
}

Event send(int64_t at, NodeIndex node, int64_t to, int64_t id) {
  Event e;
  e.at = Instant{at};
  e.node = node;
  e.mono = LocalTime{at};
  e.wall = LocalTime{at + 5};
  e.kind = Kind::net_send;
  e.fields[0] = {Key::to, to};
  e.fields[1] = {Key::msg, 1};
  e.fields[2] = {Key::msg_id, id};
  e.field_count = 3;
  return e;
}

uint64_t hash_of(const std::vector<Event>& events) {
  TraceHash h;
  h.begin(kernel_info());
  for (const Event& e : events) h.add(e);
  return h.value();
}

TEST(TraceHash, EveryPartOfAnEventAndTheirOrderCount) {
  const std::vector<Event> base = {send(10, 0, 1, 0), send(20, 1, 0, 1)};
  const uint64_t h = hash_of(base);
  EXPECT_EQ(h, hash_of(base));
  std::vector<std::vector<Event>> changed(9, base);
  changed[0][1].at.ns += 1;
  changed[1][1].node = 2;
  changed[2][1].mono.ns += 1;
  changed[3][1].wall.ns -= 1;
  changed[4][1].kind = Kind::net_deliver;
  changed[5][1].fields[2].value = 2;
  changed[6][1].fields[0].key = Key::from;
  changed[7][1].field_count = 2;
  changed[8][1].text = "a reason";
  for (size_t i = 0; i < changed.size(); ++i) EXPECT_NE(hash_of(changed[i]), h) << "change " << i;
  EXPECT_NE(hash_of({base[1], base[0]}), h) << "order";
  EXPECT_NE(hash_of({base[0]}), h) << "a missing event";
  EXPECT_NE(hash_of({base[0], base[1], base[1]}), h) << "an extra event";
}

TEST(TraceHash, AskingForTheValueAlongTheWayChangesNothing) {
  TraceHash asked;
  asked.begin(kernel_info());
  std::vector<Event> events;
  for (int i = 0; i < 300; ++i) events.push_back(send(i * 7, i % 5, (i + 1) % 5, i));
  std::vector<uint64_t> seen;
  for (const Event& e : events) {
    asked.add(e);
    seen.push_back(asked.value());
  }
  EXPECT_EQ(asked.value(), hash_of(events));
  EXPECT_NE(seen[0], seen[1]);
}

TEST(TraceHash, ADigestIsTheHashOfTheEventAlone) {
  TraceHash h;
  h.begin(kernel_info());
  const Event e = send(10, 0, 1, 0);
  EXPECT_EQ(h.digest(e), hash_of({e}));
  EXPECT_NE(h.digest(e), h.digest(send(10, 0, 1, 1)));
}

TEST(TraceHash, KindsAndKeysEnterByNameNotById) {
  // Two vocabularies numbering a protocol's kind differently give the same hash to the same
  // events.
  auto numbered = [](bool extra_first) {
    auto v = std::make_shared<Vocabulary>();
    if (extra_first) v->declare_kind("other.kind");
    const Kind k = v->declare_kind("lock.acquired");
    return std::pair{std::shared_ptr<const Vocabulary>(v), k};
  };
  const auto [va, ka] = numbered(false);
  const auto [vb, kb] = numbered(true);
  ASSERT_NE(ka, kb);
  auto run = [](std::shared_ptr<const Vocabulary> v, Kind k) {
    TraceInfo info;
    info.vocabulary = v;
    TraceHash h;
    h.begin(info);
    Event e = send(10, 0, 1, 0);
    e.kind = k;
    h.add(e);
    return h.value();
  };
  EXPECT_EQ(run(va, ka), run(vb, kb));
}

// A sink that records what it was handed, and wants only the kinds it was told.
class Recorder final : public TraceSink {
 public:
  Recorder(std::vector<std::string>& log, std::string name, std::vector<Kind> wanted)
      : log_(log), name_(std::move(name)), wanted_(std::move(wanted)) {}
  void on_event(const Event& e) override {
    log_.push_back(name_ + ":" + std::to_string(static_cast<int>(e.kind)));
  }
  bool wants(Kind kind) const override {
    return wanted_.empty() || std::find(wanted_.begin(), wanted_.end(), kind) != wanted_.end();
  }

 private:
  std::vector<std::string>& log_;
  std::string name_;
  std::vector<Kind> wanted_;  // empty: every kind
};

std::vector<std::string> routed(bool every_event) {
  std::vector<std::string> log;
  Recorder all(log, "all", {});
  Recorder timers(log, "timers", {Kind::timer_fire});
  Recorder faults(log, "faults", {Kind::fault_crash, Kind::fault_restart});
  Trace t;
  t.add_sink(&timers);
  t.add_sink(&all);
  t.add_sink(&faults);
  if (every_event) t.route_every_event();
  const TraceInfo info = kernel_info();
  t.begin(info);
  for (Kind k : {Kind::net_send, Kind::timer_fire, Kind::fault_crash}) {
    Event e = send(1, 0, 1, 1);
    e.kind = k;
    t.emit(e);
  }
  EXPECT_EQ(t.count(), 3u);
  return log;
}

// Each event goes to the sinks that want its kind, in the order they were added; asked to,
// the trace hands every event to every sink.
TEST(Trace, ASinkSeesOnlyTheKindsItWantsInTheOrderSinksWereAdded) {
  EXPECT_EQ(routed(false),
            (std::vector<std::string>{"all:0", "timers:5", "all:5", "all:7", "faults:7"}));
  EXPECT_EQ(routed(true),
            (std::vector<std::string>{"timers:0", "all:0", "faults:0", "timers:5", "all:5",
                                      "faults:5", "timers:7", "all:7", "faults:7"}));
}

// A sink that only counts timer fires: a routing trace hands it their number once, before end(),
// and calls on_event for none of them; asked to hand it every event, the trace calls on_event
// for each and counts nothing for it.
class TimerCounter final : public TraceSink {
 public:
  void on_event(const Event& e) override { seen.push_back(static_cast<int>(e.kind)); }
  bool only_counts(Kind kind) const override { return kind == Kind::timer_fire; }
  void counted(Kind kind, uint64_t events) override {
    EXPECT_TRUE(seen_end.empty()) << "counted() comes before end()";
    counts.emplace_back(static_cast<int>(kind), events);
  }
  void end(Instant) override { seen_end.push_back(1); }
  std::vector<int> seen;
  std::vector<std::pair<int, uint64_t>> counts;
  std::vector<int> seen_end;
};

TEST(Trace, ASinkThatOnlyCountsAKindIsToldHowManyThereWereInsteadOfEachOne) {
  for (const bool every_event : {false, true}) {
    TimerCounter c;
    Trace t;
    t.add_sink(&c);
    if (every_event) t.route_every_event();
    t.begin(kernel_info());
    for (Kind k : {Kind::timer_fire, Kind::net_send, Kind::timer_fire, Kind::timer_fire}) {
      Event e = send(1, 0, 1, 1);
      e.kind = k;
      t.emit(e);
    }
    EXPECT_EQ(t.count(), 4u);
    t.end(Instant{2});
    const int timer = static_cast<int>(Kind::timer_fire);
    const int net = static_cast<int>(Kind::net_send);
    if (every_event) {
      EXPECT_EQ(c.seen, (std::vector<int>{timer, net, timer, timer}));
      EXPECT_TRUE(c.counts.empty());
    } else {
      EXPECT_EQ(c.seen, (std::vector<int>{net}));
      EXPECT_EQ(c.counts, (std::vector<std::pair<int, uint64_t>>{{timer, 3}}));
    }
    EXPECT_EQ(c.seen_end.size(), 1u);
  }
}

}  // namespace
}  // namespace lockstep::sim
