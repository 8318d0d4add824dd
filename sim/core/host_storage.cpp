#include "sim/core/host_storage.hpp"

#include <algorithm>
#include <cassert>

namespace lockstep::sim {

void HostStorage::apply(StoreState& s, const Op& op) {
  switch (op.type) {
    case Op::Type::put:
      s.put(op.name, op.value);
      return;
    case Op::Type::erase:
      s.erase(op.name);
      return;
    case Op::Type::append:
      s.append(op.name, op.bytes);
      return;
    case Op::Type::truncate:
      s.truncate(op.name, static_cast<size_t>(op.value));
      return;
  }
}

// Without a model a write is durable at once; with one it waits in the page cache for a sync.
void HostStorage::record_op(Op op) {
  apply(current_, op);
  if (!modelled()) {
    apply(durable_, op);
    return;
  }
  ++writes_since_sync_;
  pending_.push_back(std::move(op));
}

void HostStorage::put(std::string_view key, int64_t value) {
  record_op({Op::Type::put, std::string(key), value, {}});
}

void HostStorage::erase(std::string_view key) {
  record_op({Op::Type::erase, std::string(key), 0, {}});
}

void HostStorage::append(std::string_view log, std::span<const std::byte> record) {
  record_op({Op::Type::append, std::string(log), 0, {record.begin(), record.end()}});
}

void HostStorage::truncate(std::string_view log, size_t keep) {
  record_op({Op::Type::truncate, std::string(log), static_cast<int64_t>(keep), {}});
}

Duration HostStorage::draw(const Distribution& d) {
  if (d.is_constant() && d.a == 0) return Duration::zero();
  const int64_t ns = std::max<int64_t>(0, d.sample_int(rng_));
  return Duration{static_cast<int64_t>(static_cast<double>(ns) * slowdown_)};
}

StorageTicket HostStorage::sync() {
  const StorageTicket ticket = ++issued_;
  if (!modelled()) {
    done_ = ticket;
    return ticket;
  }
  assert(driver_ != nullptr && "a modelled storage is attached to its host before use");
  // The disk works through syncs in order: this one starts when the last one is done.
  Duration work = Duration::zero();
  for (size_t i = 0; i < writes_since_sync_; ++i) work += draw(spec_.write_latency_ns);
  work += draw(spec_.fsync_latency_ns);
  const Instant start = std::max({driver_->now(), disk_free_, stalled_until_});
  const Instant at = start + work;
  disk_free_ = at;
  syncs_.push_back({ticket, pending_.size(), at});
  driver_->schedule_sync(ticket, at, writes_since_sync_);
  writes_since_sync_ = 0;
  return ticket;
}

bool HostStorage::complete(StorageTicket ticket, Instant now, Instant* later) {
  if (syncs_.empty() || syncs_.front().ticket != ticket) return false;  // lost in a crash
  PendingSync& s = syncs_.front();
  const Instant due = std::max(s.at, stalled_until_);
  if (now < due) {
    s.at = due;
    *later = due;
    return false;
  }
  const size_t covered = s.ops;
  for (size_t i = 0; i < covered; ++i) apply(durable_, pending_[i]);
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(covered));
  syncs_.pop_front();
  for (PendingSync& rest : syncs_) rest.ops -= covered;
  done_ = ticket;
  *later = now;
  return true;
}

size_t HostStorage::crash() {
  const size_t lost = spec_.on_crash == StorageSpec::OnCrash::lose_unsynced ? pending_.size() : 0;
  if (lost == 0) {
    for (const Op& op : pending_) apply(durable_, op);
  } else if (spec_.torn_append && pending_.back().type == Op::Type::append) {
    // The last append was on its way to the disk: half of it landed.
    const Op& last = pending_.back();
    current_ = durable_;
    const size_t half = last.bytes.size() / 2;
    current_.append(last.name, std::span(last.bytes).first(half));
    auto& log = current_.logs.find(last.name)->second;
    log.back().torn = true;
    durable_ = current_;
  }
  current_ = durable_;
  pending_.clear();
  syncs_.clear();
  writes_since_sync_ = 0;
  done_ = issued_;  // tickets of the old life will never complete; none is waited for
  disk_free_ = Instant{};
  return lost;
}

void HostStorage::stall_until(Instant until) { stalled_until_ = std::max(stalled_until_, until); }

}  // namespace lockstep::sim
