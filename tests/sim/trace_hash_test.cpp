// The trace hash (version 3): a fingerprint of every event's content and order, with kinds and
// keys entering by name, whatever value() is asked for along the way.
#include <gtest/gtest.h>

#include <memory>
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

}  // namespace
}  // namespace lockstep::sim
