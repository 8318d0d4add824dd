// An out-of-tree protocol: built against an installed lockstep (only `pkg-config --cflags --libs
// lockstep`), it adds itself to the `lockstep` command line as a program of its own.
//
// slot_lock shares a lock by time alone: node i of n holds it during slot i of every round of n
// slots, timed by its own monotonic clock, and lets go `guard` early and takes it `guard` late.
// Scheduling by clocks instead of messages is safe only while the clocks' disagreement stays
// within the margin the schedule leaves (Lamport, "Using Time Instead of Timeout for
// Fault-Tolerant Distributed Systems", ACM TOPLAS 6(2), 1984): with drifting clocks and no
// guard, neighbours' slots come to overlap.
#include <memory>
#include <stdexcept>
#include <vector>

#include "protocols/common/fields.hpp"
#include "sim/core/process.hpp"
#include "sim/core/protocol.hpp"
#include "tools/cli/cli_main.hpp"

namespace slot_lock {

using namespace lockstep;

enum Timer : sim::TimerSlot { kTake = 0, kLetGo = 1 };

class Node final : public sim::Process {
 public:
  Node(sim::Duration slot, sim::Duration guard) : slot_(slot), guard_(guard) {}

  void on_start(sim::Context& ctx) override {
    acquired_ = protocols::kind_id(ctx.vocabulary(), "lock.acquired");
    released_ = protocols::kind_id(ctx.vocabulary(), "lock.released");
    round_key_ = protocols::key_id(ctx.vocabulary(), "round");
    nodes_ = static_cast<int64_t>(ctx.directory().size());
    ctx.set_timer(kTake, slot_ * static_cast<int64_t>(ctx.self()) + guard_);
  }
  void on_message(sim::Context&, sim::NodeIndex, const sim::Message&) override {}
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override {
    if (slot == kTake) {
      ctx.observe(acquired_, {{round_key_, round_}});
      ctx.set_timer(kLetGo, slot_ - guard_ * 2);
    } else {
      ctx.observe(released_, {{round_key_, round_}});
      ++round_;
      ctx.set_timer(kTake, slot_ * (nodes_ - 1) + guard_ * 2);
    }
  }

 private:
  sim::Duration slot_;
  sim::Duration guard_;
  sim::Kind acquired_ = sim::kNoKind;
  sim::Kind released_ = sim::kNoKind;
  sim::Key round_key_ = sim::kNoKey;
  int64_t nodes_ = 1;
  int64_t round_ = 0;
};

std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup) {
  const sim::Duration slot = setup.params.duration("slot");
  const sim::Duration guard = setup.params.duration("guard");
  if (guard * 2 >= slot) {
    throw std::invalid_argument("slot_lock: param 'guard' must be under half of 'slot'");
  }
  return std::make_unique<Node>(slot, guard);
}

sim::ProtocolSpec spec() {
  using sim::ParamType;
  return {
      .name = "slot_lock",
      .summary = "Node i holds the lock in slot i of every round, by its own clock.",
      .roles = {{"node", "Holds the lock in its own slot of every round.", {"holder"}}},
      .params = {{"slot", ParamType::duration, "100ms", "The length of one node's slot."},
                 {"guard", ParamType::duration, "0s", "Taken late and given up early by this."}},
      .workload = {},
      .messages = {},
      .fields = {{"round", sim::FieldType::integer, "the round the slot belongs to"}},
      .observations = {{"lock.acquired", "node", {"round"}, "the node's slot began"},
                       {"lock.released", "node", {"round"}, "the node's slot ended"}},
      .claims = {{"holder", {"lock.acquired"}, {"lock.released"}, "the node in its slot"}},
      .make = &make,
  };
}

}  // namespace slot_lock

// The extension point: this definition replaces liblockstep's empty default at link time.
std::vector<lockstep::sim::ProtocolSpec> lockstep::tools::extra_protocol_specs() {
  return {slot_lock::spec()};
}

int main(int argc, char** argv) { return lockstep::tools::cli_main(argc, argv); }
