#include "sim/io/write_behind.hpp"

#include <cassert>

namespace lockstep::sim {

WriteBehind::WriteBehind(AtomicFile& file, size_t block_bytes)
    : file_(file), block_bytes_(block_bytes), current_(block_bytes) {
  assert(block_bytes > 0);
  thread_ = std::thread([this] { run(); });
}

WriteBehind::~WriteBehind() { finish(); }

void WriteBehind::hand_over(size_t used) {
  assert(used <= current_.size());
  if (used == 0) return;
  std::vector<char> next;
  {
    std::unique_lock lock(mu_);
    assert(!stopping_ && "hand_over() after finish()");
    changed_.wait(lock, [&] { return queued_.size() < kQueued; });
    queued_.emplace_back(std::move(current_), used);
    if (!spare_.empty()) {
      next = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  changed_.notify_all();
  if (next.size() != block_bytes_) next.assign(block_bytes_, '\0');
  current_ = std::move(next);
}

void WriteBehind::write(std::string_view bytes) {
  if (bytes.empty()) return;
  std::vector<char> copy(bytes.begin(), bytes.end());
  {
    std::unique_lock lock(mu_);
    assert(!stopping_ && "write() after finish()");
    changed_.wait(lock, [&] { return queued_.size() < kQueued; });
    queued_.emplace_back(std::move(copy), bytes.size());
  }
  changed_.notify_all();
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
