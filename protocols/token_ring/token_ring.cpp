#include "protocols/token_ring/token_ring.hpp"

#include <array>
#include <cassert>
#include <stdexcept>
#include <string>

#include "protocols/common/fields.hpp"
#include "protocols/common/wire.hpp"

namespace lockstep::protocols::token_ring {
namespace {

constexpr sim::TimerSlot kPass = static_cast<sim::TimerSlot>(NodeTimer::pass);
constexpr std::array<wire::Layout, 1> kLayouts = {wire::layout_of<Token>()};

}  // namespace

Config Config::from(const sim::Params& params) {
  Config c;
  c.hold = params.duration("hold");
  if (c.hold <= sim::Duration::zero()) {
    throw std::invalid_argument("token_ring: param 'hold' must be greater than 0s");
  }
  c.dedupe = params.boolean("dedupe");
  return c;
}

void Node::on_start(sim::Context& ctx) {
  const sim::Vocabulary& v = ctx.vocabulary();
  acquired_ = kind_id(v, "lock.acquired");
  released_ = kind_id(v, "lock.released");
  token_ = key_id(v, "token");
  // The first node creates the token. A restarted node has forgotten it: the token it held is
  // lost, as a real ring loses it.
  if (ctx.self() == 0 && ctx.durable().get("boots") == 0) take(ctx, 1);
  ctx.durable().put("boots", ctx.durable().get("boots") + 1);
}

void Node::on_message(sim::Context& ctx, [[maybe_unused]] sim::NodeIndex from,
                      const sim::Message& message) {
  assert(message.type == kTokenType && "the ring carries only the token");
  const uint64_t seq = message.as<Token>().seq;
  // Without dedupe every copy is taken: a duplicated token makes a second holder.
  if (config_.dedupe && highest_.has_value() && seq <= *highest_) return;
  if (holding_) return;  // already holding one: a copy arrived on top of it
  take(ctx, seq);
}

void Node::on_timer(sim::Context& ctx, [[maybe_unused]] sim::TimerSlot slot) {
  assert(slot == kPass);
  assert(holding_ && "the pass timer runs only while holding");
  holding_ = false;
  ctx.observe(released_, {{token_, as_field(seq_)}});
  const auto next = static_cast<sim::NodeIndex>((ctx.self() + 1) % ctx.directory().size());
  ctx.send(next, sim::Message::of(kTokenType, Token{seq_ + 1}));
}

void Node::take(sim::Context& ctx, uint64_t seq) {
  assert(!holding_);
  holding_ = true;
  seq_ = seq;
  highest_ = seq;
  ctx.observe(acquired_, {{token_, as_field(seq)}});
  ctx.set_timer(kPass, config_.hold);
}

std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup) {
  if (setup.info.role != kRoleNode) {
    throw std::invalid_argument("token_ring: unknown role '" + setup.info.role + "' for node '" +
                                setup.info.id + "'");
  }
  return std::make_unique<Node>(Config::from(setup.params));
}

sim::ProtocolSpec spec() {
  using sim::ParamType;
  return {
      .name = "token_ring",
      .summary =
          "Nodes pass one token around a ring; the holder holds the lock. The worked example "
          "of docs/adding-a-protocol.md: a lost token stops it, a duplicated one makes two "
          "holders unless receivers dedupe.",
      .roles = {{kRoleNode,
                 "Holds the token for `hold`, then passes it to the next node.",
                 {"holder"}}},
      .params =
          {
              {"hold", ParamType::duration, "1s", "How long a node keeps the token."},
              {"dedupe", ParamType::boolean, "false",
               "A node ignores a token whose number is not above the highest it has received."},
          },
      .workload = {},
      .messages = {"token"},
      .fields = {{"token", sim::FieldType::integer, "the token's number: how often it was passed"}},
      .observations =
          {
              {"lock.acquired",
               "node",
               {"token"},
               "the node received the token: it holds the lock"},
              {"lock.released", "node", {"token"}, "the node passed the token on"},
          },
      .claims = {{"holder",
                  {"lock.acquired"},
                  {"lock.released"},
                  "the node that most recently took the token"}},
      .make = &make,
  };
}

std::vector<std::byte> encode(const sim::Message& message) {
  return wire::encode(message, kLayouts);
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  return wire::decode(bytes, kLayouts);
}

}  // namespace lockstep::protocols::token_ring
