#include "protocols/common/fenced_resource.hpp"

#include <cassert>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols {

void FencedResource::on_start(sim::Context& ctx) {
  const sim::Vocabulary& v = ctx.vocabulary();
  write_ = kind_id(v, "resource.write");
  rejected_ = kind_id(v, "resource.rejected");
  writer_key_ = key_id(v, "writer");
  token_key_ = key_id(v, "token");
  highest_key_ = key_id(v, "highest");
  highest_ = static_cast<uint64_t>(ctx.durable().get(kHighestKey));
}

void FencedResource::on_message(sim::Context& ctx, sim::NodeIndex from,
                                const sim::Message& message) {
  assert(message.type == write_type_ && "a resource only takes writes");
  const auto write = message.as<ResourceWrite>();
  const int64_t token = as_field(write.token);
  const bool accept = !fencing_ || write.token >= highest_;
  if (!accept) {
    ctx.observe(rejected_,
                {{writer_key_, from}, {token_key_, token}, {highest_key_, as_field(highest_)}});
  } else {
    if (write.token > highest_) {
      highest_ = write.token;
      ctx.durable().put(kHighestKey, token);
    }
    ctx.observe(write_, {{writer_key_, from}, {token_key_, token}});
  }
  if (ack_type_ != kNoAck) {
    ctx.send(from, sim::Message::of(ack_type_, ResourceAck{write.seq, accept ? 1u : 0u}));
  }
}

void FencedResource::on_timer(sim::Context&, sim::TimerSlot) {
  assert(false && "the resource sets no timers");
}

sim::FieldSpec FencedResource::token_field() {
  return {"token", sim::FieldType::integer,
          "the fencing token a write carries (a lease's token, a leader's term)"};
}

sim::FieldSpec FencedResource::writer_field() {
  return {"writer", sim::FieldType::node, "the node whose write the resource accepted or rejected"};
}

sim::FieldSpec FencedResource::highest_field() {
  return {"highest", sim::FieldType::integer,
          "the highest token the resource had accepted when it rejected a write"};
}

std::vector<sim::ObservationSpec> FencedResource::observations() {
  return {
      {"resource.write",
       "resource",
       {"writer", "token"},
       "the guarded resource accepted a write carrying this token"},
      {"resource.rejected",
       "resource",
       {"writer", "token", "highest"},
       "the resource refused a write whose token is below the highest it accepted (fencing)"},
  };
}

}  // namespace lockstep::protocols
