#include "sim/core/storage.hpp"

#include <cassert>

namespace lockstep::sim {

int64_t StoreState::get(std::string_view key, int64_t fallback) const {
  const auto it = cells.find(key);
  return it == cells.end() ? fallback : it->second;
}

void StoreState::erase(std::string_view key) {
  const auto it = cells.find(key);
  if (it != cells.end()) cells.erase(it);
}

size_t StoreState::log_size(std::string_view log) const {
  const auto it = logs.find(log);
  return it == logs.end() ? 0 : it->second.size();
}

const LogRecord& StoreState::record(std::string_view log, size_t index) const {
  const auto it = logs.find(log);
  assert(it != logs.end() && index < it->second.size() && "read past the end of a log");
  return it->second[index];
}

void StoreState::append(std::string_view log, std::span<const std::byte> record) {
  auto it = logs.find(log);
  if (it == logs.end()) it = logs.emplace(std::string(log), std::vector<LogRecord>{}).first;
  it->second.push_back({std::vector<std::byte>(record.begin(), record.end()), false});
}

void StoreState::truncate(std::string_view log, size_t keep) {
  const auto it = logs.find(log);
  if (it != logs.end() && it->second.size() > keep) it->second.resize(keep);
}

}  // namespace lockstep::sim
