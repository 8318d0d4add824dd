// sim::WriteBehind writes an AtomicFile's blocks on a thread of its own. Its file must hold exactly
// the bytes handed over, in order, however blocks, copies and the thread interleave; dropped
// without a commit it leaves nothing; a file that cannot be written fails at commit, never hangs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "sim/io/atomic_file.hpp"
#include "sim/io/write_behind.hpp"
#include "tests/support/support.hpp"

namespace lockstep::sim {
namespace {

namespace fs = std::filesystem;

fs::path temp(const std::string& name) {
  return fs::temp_directory_path() /
         ("lockstep-write-behind-" + std::to_string(getpid()) + "-" + name + ".out");
}

uint64_t next(uint64_t& state) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return state >> 33;
}

TEST(WriteBehind, TheFileHoldsEveryByteHandedOverInOrder) {
  const fs::path path = temp("order");
  AtomicFile file(path.string());
  std::string expected;
  {
    WriteBehind out(file, 64);  // small blocks: thousands of hand-overs, the queue often full
    uint64_t state = 7;
    for (int i = 0; i < 5'000; ++i) {
      const char c = static_cast<char>('a' + i % 26);
      if (next(state) % 5 == 0) {
        const std::string line(next(state) % 200, c);  // may be longer than a block
        out.write(line);
        expected += line;
        continue;
      }
      const size_t n = next(state) % (out.capacity() + 1);  // 0 is a no-op
      for (size_t k = 0; k < n; ++k) out.data()[k] = static_cast<char>(c + k % 3);
      out.hand_over(n);
      for (size_t k = 0; k < n; ++k) expected += static_cast<char>(c + k % 3);
    }
    out.finish();
    out.finish();  // idempotent
  }
  ASSERT_TRUE(file.commit()) << file.error();
  const std::string written = lockstep::testing::read_file(path);
  fs::remove(path);
  EXPECT_EQ(written.size(), expected.size());
  EXPECT_TRUE(written == expected);
}

TEST(WriteBehind, DroppedWithoutACommitItLeavesNothingBehind) {
  const fs::path path = temp("dropped");
  {
    AtomicFile file(path.string());
    WriteBehind out(file, 16);
    for (int i = 0; i < 100; ++i) out.write("some bytes that are never committed\n");
    out.data()[0] = 'x';
    out.hand_over(1);
  }  // out stops first (it is declared last), then the file removes its temporary
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
}

TEST(WriteBehind, AFileThatCannotBeWrittenFailsAtCommit) {
  const fs::path dir = temp("a-directory");
  fs::create_directories(dir);
  AtomicFile file(dir.string());  // a directory is refused
  EXPECT_FALSE(file.ok());
  {
    WriteBehind out(file, 16);
    out.write("lost");
    out.hand_over(8);
  }
  EXPECT_FALSE(file.commit());
  EXPECT_TRUE(fs::is_directory(dir));
  fs::remove(dir);
}

}  // namespace
}  // namespace lockstep::sim
