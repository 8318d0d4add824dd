#include "checkers/words.hpp"

#include <cassert>

namespace lockstep::checkers {
namespace {

// The protocol words, in the order of K after the kernel's kinds.
constexpr std::string_view kWordNames[] = {
    "lock.requested",
    "lock.acquired",
    "lock.renewed",
    "lock.lost",
    "lock.expired",
    "lock.released",
    "lock.granted",
    "lock.denied",
    "lock.lease_ended",
    "resource.write",
    "resource.rejected",
    "election.started",
    "vote.granted",
    "leader.elected",
    "leader.confirmed",
    "leader.stepped_down",
    "term.changed",
    "op.invoke",
    "op.ok",
    "op.fail",
    "op.info",
    "lock.enqueued",
    "watch.fired",
};
static_assert(sim::kKernelKinds + std::size(kWordNames) == static_cast<size_t>(K::other));

sim::Key key_or_none(const sim::Vocabulary& v, std::string_view name) {
  return v.find_key(name).value_or(sim::kNoKey);
}

}  // namespace

void Words::resolve(const sim::Vocabulary& v) {
  of_kind_.assign(v.kind_count(), K::other);
  assert(v.kind_count() >= sim::kKernelKinds);
  for (size_t i = 0; i < sim::kKernelKinds; ++i) of_kind_[i] = static_cast<K>(i);
  for (size_t w = 0; w < std::size(kWordNames); ++w) {
    if (auto id = v.find_kind(kWordNames[w])) {
      of_kind_[static_cast<size_t>(*id)] = static_cast<K>(sim::kKernelKinds + w);
    }
  }
  token = key_or_none(v, "token");
  holder = key_or_none(v, "holder");
  client = key_or_none(v, "client");
  writer = key_or_none(v, "writer");
  highest = key_or_none(v, "highest");
  lease_ns = key_or_none(v, "lease_ns");
  term = key_or_none(v, "term");
  candidate = key_or_none(v, "candidate");
  prevote = key_or_none(v, "prevote");
  op_f = key_or_none(v, "f");
  op_key = key_or_none(v, "key");
  op_value = key_or_none(v, "value");
  op_expect = key_or_none(v, "expect");
  seq = key_or_none(v, "seq");
}

}  // namespace lockstep::checkers
