#include "protocols/lease_election/store.hpp"

#include <cassert>

#include "protocols/lease_election/config.hpp"

namespace lockstep::protocols::lease_election {
namespace {

int64_t as_field(uint64_t v) { return static_cast<int64_t>(v); }

}  // namespace

void Store::on_start(sim::Context& ctx) {
  assert(ctx.directory()[ctx.self()].role == kRoleStore);
  const sim::Storage& d = ctx.durable();
  if (!d.contains(kVersionKey)) return;  // never written: the empty record at version 0
  version_ = static_cast<uint64_t>(d.get(kVersionKey));
  record_.holder = static_cast<uint64_t>(d.get(kHolderKey));
  record_.transitions = static_cast<uint64_t>(d.get(kTransitionsKey));
  record_.lease_duration_ns = d.get(kLeaseDurationKey);
  record_.renew_time_ns = d.get(kRenewTimeKey);
  assert(version_ > 0);
}

void Store::on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) {
  assert(from < ctx.directory().size());
  switch (static_cast<MsgType>(message.type)) {
    case MsgType::get: {
      const Get get = message.as<Get>();
      ctx.send(from, make_message(MsgType::get_reply, GetReply{get.req, version_, record_}));
      return;
    }
    case MsgType::update:
      return on_update(ctx, from, message.as<Update>());
    default:
      assert(false && "message type the store never receives");
  }
}

void Store::on_timer(sim::Context&, sim::TimerSlot) { assert(false && "the store sets no timers"); }

void Store::on_update(sim::Context& ctx, sim::NodeIndex from, const Update& update) {
  if (update.expected_version != version_) {
    ctx.send(from,
             make_message(MsgType::update_conflict, UpdateConflict{update.req, version_, record_}));
    return;
  }
  // Written to durable storage before the reply leaves, as an fsync before the ack would.
  ++version_;
  record_ = update.record;
  sim::Storage& d = ctx.durable();
  d.put(kVersionKey, as_field(version_));
  d.put(kHolderKey, as_field(record_.holder));
  d.put(kTransitionsKey, as_field(record_.transitions));
  d.put(kLeaseDurationKey, record_.lease_duration_ns);
  d.put(kRenewTimeKey, record_.renew_time_ns);
  ctx.send(from, make_message(MsgType::update_ok, UpdateOk{update.req, version_}));
}

}  // namespace lockstep::protocols::lease_election
