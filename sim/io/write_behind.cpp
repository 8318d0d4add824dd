#include "sim/io/write_behind.hpp"

#include <cassert>

namespace lockstep::sim {

WriteBehind::WriteBehind(AtomicFile& file, size_t block_bytes)
    : file_(file), block_bytes_(block_bytes), current_(block_bytes) {
  assert(block_bytes > 0);
  // The one thread under sim/: it only writes bytes the run has finished, in order, and the run
  // reads nothing back from it, so no trace or hash can depend on its timing (DESIGN.md §4;
  // docs/architecture.md, "Departures").
  thread_ = std::thread([this] { run(); });
}

WriteBehind::~WriteBehind() { finish(); }

// Queues `bytes` [0, used) for the thread once a queue slot is free; with `take_spare`, returns a
// block the thread has written, if it has one (else an empty vector).
std::vector<char> WriteBehind::enqueue(std::vector<char> bytes, size_t used, bool take_spare) {
  std::vector<char> spare;
  {
    std::unique_lock lock(mu_);
    assert(!stopping_ && "nothing is handed over after finish()");
    changed_.wait(lock, [&] { return queued_.size() < kQueued; });
    queued_.emplace_back(std::move(bytes), used);
    if (take_spare && !spare_.empty()) {
      spare = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  changed_.notify_all();
  return spare;
}

void WriteBehind::hand_over(size_t used) {
  assert(used <= current_.size());
  if (used == 0) return;
  std::vector<char> next = enqueue(std::move(current_), used, true);
  if (next.size() != block_bytes_) next.assign(block_bytes_, '\0');
  current_ = std::move(next);
}

void WriteBehind::write(std::string_view bytes) {
  if (bytes.empty()) return;
  enqueue(std::vector<char>(bytes.begin(), bytes.end()), bytes.size(), false);
}

void WriteBehind::finish() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
  assert(queued_.empty());
}

// The thread: writes blocks in the order they were handed over, until finish() and the queue is
// empty. AtomicFile::write skips everything after a failed write; commit() reports it.
void WriteBehind::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || !queued_.empty(); });
    if (queued_.empty()) return;  // stopping, and everything is written
    std::pair<std::vector<char>, size_t> item = std::move(queued_.front());
    queued_.pop_front();
    lock.unlock();
    changed_.notify_all();  // a queue slot is free
    file_.write(std::string_view(item.first.data(), item.second));
    lock.lock();
    if (item.first.size() == block_bytes_ && spare_.size() < kQueued) {
      spare_.push_back(std::move(item.first));
    }
  }
}

}  // namespace lockstep::sim
