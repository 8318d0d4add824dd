// Writes an output file's blocks on a thread of its own, so that formatting the next block and
// the kernel's copy of the last one into the page cache overlap: a 500 MB trace spends 0.15-0.3 s
// of system time in write(), which the run no longer waits for. Only finished bytes cross to the
// thread, in the order they were handed over, so the file is exactly what writing them in order
// on one thread gives; nothing the simulation computes depends on the thread (docs/architecture.md,
// "Threads").
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "sim/io/atomic_file.hpp"

namespace lockstep::sim {

class WriteBehind {
 public:
  // Blocks of `block_bytes`; at most `kQueued` wait for the thread, then hand_over() waits.
  static constexpr size_t kQueued = 2;

  WriteBehind(AtomicFile& file, size_t block_bytes);
  ~WriteBehind();  // finish(): a file is never committed or removed under a write
  WriteBehind(const WriteBehind&) = delete;
  WriteBehind& operator=(const WriteBehind&) = delete;

  // The block being filled, of capacity() bytes.
  char* data() { return current_.data(); }
  size_t capacity() const { return current_.size(); }
  // Hands bytes [0, used) of the block being filled to the thread; a free block takes its place.
  void hand_over(size_t used);
  // Hands over a copy of `bytes` (a header, a line longer than a block) after what came before.
  void write(std::string_view bytes);
  // Waits until every byte handed over is written and stops the thread; from then on the file
  // is the caller's alone (to commit, or to drop). Idempotent.
  void finish();

 private:
  void run();
  std::vector<char> enqueue(std::vector<char> bytes, size_t used, bool take_spare);

  AtomicFile& file_;
  const size_t block_bytes_;
  std::vector<char> current_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::pair<std::vector<char>, size_t>> queued_;  // handed over, not yet written
  std::vector<std::vector<char>> spare_;                     // written, to be filled again
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lockstep::sim
