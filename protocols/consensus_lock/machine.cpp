#include "protocols/consensus_lock/machine.hpp"

#include <cassert>

namespace lockstep::protocols::consensus_lock {

void Machine::apply(uint64_t index, const raft::Entry& e) {
  switch (static_cast<Op>(e.op)) {
    case Op::noop:
      return;
    case Op::session: {
      const auto client = static_cast<sim::NodeIndex>(e.args[0]);
      if (lease_of(client, e.args[1]).has_value()) return;  // a retry of an applied acquire
      ++revision_;
      leases_.emplace(index, Lease{client, e.args[1], static_cast<int64_t>(e.args[2]), revision_});
      by_revision_.emplace(revision_, index);
      return;
    }
    case Op::revoke: {
      if (e.args[1] != 0) released_[static_cast<sim::NodeIndex>(e.args[1] - 1)] = e.args[2];
      auto it = leases_.find(e.args[0]);
      if (it == leases_.end()) return;  // expired and revoked already
      by_revision_.erase(it->second.create_revision);
      leases_.erase(it);
      ++revision_;  // a delete is a revision too (etcd)
      return;
    }
  }
  assert(false && "unknown op in a committed entry");
}

std::optional<uint64_t> Machine::lease_of(sim::NodeIndex client, uint64_t req) const {
  for (const auto& [id, lease] : leases_) {
    if (lease.client == client && lease.req == req) return id;
  }
  return std::nullopt;
}

std::optional<uint64_t> Machine::holder() const {
  if (by_revision_.empty()) return std::nullopt;
  return by_revision_.begin()->second;
}

bool Machine::released(sim::NodeIndex client, uint64_t req) const {
  auto it = released_.find(client);
  return it != released_.end() && it->second == req;
}

}  // namespace lockstep::protocols::consensus_lock
