// A host's storage under its storage model: writes go to a page cache at once (reads see them),
// a sync makes everything written so far durable after the write and fsync latencies the model
// draws (syncs of one disk complete in the order issued), and a crash keeps or loses what was
// not yet durable. disk_stall and disk_slow faults hold or stretch the syncs. The world drives
// it: it schedules each sync's completion and reports it back (complete()).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/storage.hpp"
#include "sim/core/time.hpp"

namespace lockstep::sim {

class HostStorage final : public Storage {
 public:
  // What the storage needs from the world: the time, and a completion event for each sync.
  class Driver {
   public:
    virtual ~Driver() = default;
    virtual Instant now() const = 0;
    virtual void schedule_sync(StorageTicket ticket, Instant at, size_t writes) = 0;
  };

  HostStorage() = default;
  HostStorage(const StorageSpec& spec, Rng rng) : spec_(spec), rng_(rng) {}
  void attach(Driver* driver) { driver_ = driver; }
  bool modelled() const { return spec_.modelled(); }

  int64_t get(std::string_view key, int64_t fallback = 0) const override {
    return current_.get(key, fallback);
  }
  bool contains(std::string_view key) const override { return current_.contains(key); }
  size_t log_size(std::string_view log) const override { return current_.log_size(log); }
  const LogRecord& record(std::string_view log, size_t index) const override {
    return current_.record(log, index);
  }
  void put(std::string_view key, int64_t value) override;
  void erase(std::string_view key) override;
  void append(std::string_view log, std::span<const std::byte> record) override;
  void truncate(std::string_view log, size_t keep) override;
  StorageTicket sync() override;
  bool durable(StorageTicket ticket) const override { return ticket <= done_; }

  // The world's side. complete(): a sync's completion event came due; true when it completed
  // (everything it covers is durable), false when a stall holds it until *later.
  bool complete(StorageTicket ticket, Instant now, Instant* later);
  // A crash: what was not durable is kept or lost as the model says; returns the writes lost.
  size_t crash();
  void stall_until(Instant until);
  void set_slowdown(double factor) { slowdown_ = factor; }

 private:
  struct Op {
    enum class Type : uint8_t { put, erase, append, truncate } type;
    std::string name;
    int64_t value = 0;  // put: the value; truncate: how many records to keep
    std::vector<std::byte> bytes;
  };
  struct PendingSync {
    StorageTicket ticket;
    size_t ops;  // how many of pending_ it covers
    Instant at;  // when it completes, unless a stall holds it
  };
  void record_op(Op op);
  Duration draw(const Distribution& d);
  static void apply(StoreState& s, const Op& op);

  StorageSpec spec_;
  Rng rng_;
  Driver* driver_ = nullptr;
  StoreState durable_;  // on the disk
  StoreState current_;  // what reads see: durable_ plus pending_
  std::vector<Op> pending_;
  size_t writes_since_sync_ = 0;
  std::deque<PendingSync> syncs_;
  StorageTicket issued_ = 0;
  StorageTicket done_ = 0;
  Instant disk_free_;  // the last sync issued completes then
  Instant stalled_until_;
  double slowdown_ = 1;
};

}  // namespace lockstep::sim
