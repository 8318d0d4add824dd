// A node's durable storage in the live runtime: the cells and logs in memory (sim::StoreState)
// and every write appended to a journal file and fdatasync'ed before the call returns, so the
// default storage model's promise (a write is durable the moment it is made) holds against a
// real SIGKILL. A restarted node replays the journal; a record cut short by a crash is dropped.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sim/core/storage.hpp"

namespace lockstep::live {

class FileStorage final : public sim::Storage {
 public:
  // Opens (creating if needed) the journal at `path` and replays it. Throws std::runtime_error
  // when the file cannot be opened.
  explicit FileStorage(std::string path);
  ~FileStorage() override;
  FileStorage(const FileStorage&) = delete;
  FileStorage& operator=(const FileStorage&) = delete;

  int64_t get(std::string_view key, int64_t fallback = 0) const override {
    return state_.get(key, fallback);
  }
  bool contains(std::string_view key) const override { return state_.contains(key); }
  size_t log_size(std::string_view log) const override { return state_.log_size(log); }
  const sim::LogRecord& record(std::string_view log, size_t index) const override {
    return state_.record(log, index);
  }
  void put(std::string_view key, int64_t value) override;
  void erase(std::string_view key) override;
  void append(std::string_view log, std::span<const std::byte> record) override;
  void truncate(std::string_view log, size_t keep) override;
  sim::StorageTicket sync() override { return ++synced_; }
  bool durable(sim::StorageTicket ticket) const override { return ticket <= synced_; }

  const sim::StoreState& state() const { return state_; }
  uint64_t records_replayed() const { return replayed_; }

 private:
  enum class Op : uint8_t { put = 1, erase = 2, append = 3, truncate = 4 };
  void write_record(Op op, std::string_view name, uint64_t number,
                    std::span<const std::byte> bytes);
  void replay();

  std::string path_;
  int fd_ = -1;
  sim::StoreState state_;
  sim::StorageTicket synced_ = 0;
  uint64_t replayed_ = 0;
};

}  // namespace lockstep::live
