// Replays every saved fuzzer finding (tests/fuzz/crashes/{scenario,trace}/) and every seed
// input through the same entry points the libFuzzer harnesses use, so each input that once
// crashed, hung or aborted stays fixed in every build (gcc and clang, plain and sanitized).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/fuzz/entry.hpp"

#ifndef LOCKSTEP_FUZZ_DIR
#define LOCKSTEP_FUZZ_DIR "tests/fuzz"
#endif

namespace lockstep::fuzz {
namespace {

std::vector<std::filesystem::path> files_in(const std::string& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(LOCKSTEP_FUZZ_DIR) + "/" + dir)) {
    if (e.is_regular_file() && e.path().filename() != "README.md") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string content(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(FuzzReplay, ScenarioCrashCorpus_LoadsOrIsRefusedCleanly) {
  const auto files = files_in("crashes/scenario");
  EXPECT_FALSE(files.empty());
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    EXPECT_NO_THROW(scenario_input(content(f)));
  }
}

TEST(FuzzReplay, TraceCrashCorpus_ReadsOrIsRefusedCleanly) {
  const auto files = files_in("crashes/trace");
  EXPECT_FALSE(files.empty());
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    EXPECT_NO_THROW(trace_input(content(f)));
  }
}

}  // namespace
}  // namespace lockstep::fuzz
