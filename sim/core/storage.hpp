// What a process keeps across a crash: named integer cells and named logs of byte records. A
// process writes, then asks for the writes so far to be made durable (sync); the storage model
// of its host decides how long that takes and what a crash loses. With the default model every
// write is durable the moment it is made, as round-1 protocols assume.
//
// Storage is the interface a process sees (Context::durable()); MemoryStorage is its immediate
// implementation (the default model, and unit tests); the world's modelled storage is in
// sim/core/host_storage.hpp, the live runtime's in a file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/distribution.hpp"

namespace lockstep::sim {

// Names one sync of one host; tickets only grow, across restarts too.
using StorageTicket = uint64_t;

// A host's disk, as the scenario's `storage:` section describes it.
struct StorageSpec {
  enum class OnCrash : uint8_t { keep, lose_unsynced };

  Distribution write_latency_ns = Distribution::constant_of(0);  // per write, before a sync
  Distribution fsync_latency_ns = Distribution::constant_of(0);  // per sync
  OnCrash on_crash = OnCrash::keep;
  bool torn_append = false;  // a crash may leave the last unsynced append half written

  // Anything but the default: writes then take time, and the trace shows storage.* events.
  bool modelled() const {
    return !(write_latency_ns.is_constant() && write_latency_ns.a == 0 &&
             fsync_latency_ns.is_constant() && fsync_latency_ns.a == 0 &&
             on_crash == OnCrash::keep && !torn_append);
  }
};

// One record of a log.
struct LogRecord {
  std::vector<std::byte> bytes;
  bool torn = false;  // only part of it reached the disk before a crash: a reader must drop it
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Reads see every write made so far, durable or not (as a page cache does).
  virtual int64_t get(std::string_view key, int64_t fallback = 0) const = 0;
  virtual bool contains(std::string_view key) const = 0;
  virtual size_t log_size(std::string_view log) const = 0;
  virtual const LogRecord& record(std::string_view log, size_t index) const = 0;

  virtual void put(std::string_view key, int64_t value) = 0;
  virtual void erase(std::string_view key) = 0;
  virtual void append(std::string_view log, std::span<const std::byte> record) = 0;
  // Keeps the first `keep` records of the log (Raft's conflict truncation).
  virtual void truncate(std::string_view log, size_t keep) = 0;

  // Every write made so far becomes durable when this ticket completes: at once with the
  // default model, else later, and the process hears of it in Process::on_durable.
  virtual StorageTicket sync() = 0;
  virtual bool durable(StorageTicket ticket) const = 0;
};

// The contents of a store: cells and logs, ordered (deterministic iteration).
struct StoreState {
  std::map<std::string, int64_t, std::less<>> cells;
  std::map<std::string, std::vector<LogRecord>, std::less<>> logs;

  int64_t get(std::string_view key, int64_t fallback) const;
  bool contains(std::string_view key) const { return cells.find(key) != cells.end(); }
  size_t log_size(std::string_view log) const;
  const LogRecord& record(std::string_view log, size_t index) const;
  void put(std::string_view key, int64_t value) { cells.insert_or_assign(std::string(key), value); }
  void erase(std::string_view key);
  void append(std::string_view log, std::span<const std::byte> record);
  void truncate(std::string_view log, size_t keep);
};

// Storage where every write is durable at once.
class MemoryStorage final : public Storage {
 public:
  int64_t get(std::string_view key, int64_t fallback = 0) const override {
    return state_.get(key, fallback);
  }
  bool contains(std::string_view key) const override { return state_.contains(key); }
  size_t log_size(std::string_view log) const override { return state_.log_size(log); }
  const LogRecord& record(std::string_view log, size_t index) const override {
    return state_.record(log, index);
  }
  void put(std::string_view key, int64_t value) override { state_.put(key, value); }
  void erase(std::string_view key) override { state_.erase(key); }
  void append(std::string_view log, std::span<const std::byte> record) override {
    state_.append(log, record);
  }
  void truncate(std::string_view log, size_t keep) override { state_.truncate(log, keep); }
  StorageTicket sync() override { return ++synced_; }
  bool durable(StorageTicket ticket) const override { return ticket <= synced_; }

 private:
  StoreState state_;
  StorageTicket synced_ = 0;
};

// The round-1 name of a process's durable storage.
using DurableStore = MemoryStorage;

}  // namespace lockstep::sim
