// The live runtime's durable storage: what a node wrote is there after it is opened again (a
// restart after SIGKILL), and a record a crash cut short is dropped, not misread.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tools/live/file_storage.hpp"

namespace lockstep::live {
namespace {

namespace fs = std::filesystem;

fs::path journal(const std::string& name) {
  const fs::path p =
      fs::temp_directory_path() / ("lockstep-journal-" + name + "-" + std::to_string(::getpid()));
  fs::remove(p);
  return p;
}

std::span<const std::byte> bytes(const std::string& s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

TEST(LiveFileStorage, EveryWriteSurvivesReopening) {
  const fs::path p = journal("reopen");
  {
    FileStorage s(p.string());
    s.put("term", 7);
    s.put("vote", 3);
    s.erase("vote");
    s.append("log", bytes("one"));
    s.append("log", bytes("two"));
    s.append("log", bytes("three"));
    s.truncate("log", 2);
    EXPECT_TRUE(s.durable(s.sync()));
  }  // no flush or close is needed for durability: each write was fdatasync'ed
  FileStorage again(p.string());
  EXPECT_EQ(again.records_replayed(), 7u);
  EXPECT_EQ(again.get("term"), 7);
  EXPECT_FALSE(again.contains("vote"));
  ASSERT_EQ(again.log_size("log"), 2u);
  EXPECT_EQ(again.record("log", 1).bytes.size(), 3u);
  fs::remove(p);
}

TEST(LiveFileStorage, ARecordCutShortByACrashIsDroppedAndWritingGoesOn) {
  const fs::path p = journal("torn");
  {
    FileStorage s(p.string());
    s.put("term", 1);
    s.put("term", 2);
  }
  const auto whole = fs::file_size(p);
  fs::resize_file(p, whole - 3);  // the second record lost its last bytes
  {
    FileStorage s(p.string());
    EXPECT_EQ(s.records_replayed(), 1u);
    EXPECT_EQ(s.get("term"), 1);
    s.put("term", 5);  // appended after the last whole record, not after the torn bytes
  }
  FileStorage again(p.string());
  EXPECT_EQ(again.records_replayed(), 2u);
  EXPECT_EQ(again.get("term"), 5);
  fs::remove(p);
}

}  // namespace
}  // namespace lockstep::live
