// The trace reader's fast path (tools/trace/fast_line.hpp) reads writer-shaped lines without the
// JSON parser. It must change nothing but the speed: on every line, valid or not, reading with it
// gives the same event or the same error as reading without it; the lines lockstep writes take
// it; and lines shaped otherwise are left to the full reader.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/support.hpp"
#include "tests/tools/trace_fixture.hpp"
#include "tools/engine/runner.hpp"
#include "tools/trace/trace_reader.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;

using trace_fixture::kHeader;
using trace_fixture::mutate;
using trace_fixture::next;
using trace_fixture::the_catalog;

// Everything a read gives, as text: each event in full, then the error that stopped it (if any)
// and how many lines the fast path took.
struct Outcome {
  std::string events;
  std::string error;
  uint64_t fast = 0;
};

Outcome read_with(const std::string& text, bool fast_path) {
  std::istringstream in(text);
  TraceLimits limits;
  limits.fast_path = fast_path;
  Outcome out;
  try {
    TraceReader reader(in, "t.jsonl", &the_catalog(), limits);
    sim::Event e;
    try {
      while (reader.next(e)) {
        std::ostringstream line;
        line << e.at.ns << ' ' << e.node << ' ' << e.mono.ns << ' ' << e.wall.ns << ' '
             << static_cast<int>(e.kind) << " [";
        for (uint8_t i = 0; i < e.field_count; ++i) {
          line << static_cast<int>(e.fields[i].key) << '=' << e.fields[i].value << ' ';
        }
        line << "] '" << e.text << "'\n";
        out.events += line.str();
      }
    } catch (const TraceError& err) {
      out.error = err.what();
    }
    out.fast = reader.fast_lines();
  } catch (const TraceError& err) {
    out.error = err.what();
  }
  return out;
}

const std::string kGood =
    std::string(kHeader) + "\n" +
    R"({"t":1000,"node":"c1","mono":990,"wall":1010,"kind":"lock.acquired","token":1,"lease_ns":10000000000,"text":"granted: lease 10s, token 1"})"
    "\n"
    R"({"t":2000,"node":null,"mono":0,"wall":0,"kind":"fault.partition","fault":0,"text":"split [lock c1] from [c2] for 3s"})"
    "\n"
    R"({"t":3000,"node":"c2","mono":3000,"wall":3000,"kind":"net.send","to":"lock","msg":"acquire","msg_id":4})"
    "\n"
    R"({"t":3500,"node":"lock","mono":3400,"wall":-3600,"kind":"net.deliver","from":"c2","msg":0,"msg_id":4})"
    "\n"
    R"({"t":4000,"node":"c1","mono":4000,"wall":4000,"kind":"election.started","term":2,"prevote":false,"text":"timeout after 150ms: no heartbeat"})"
    "\n";

TEST(TraceFastLine, TheWritersLinesTakeItAndReadAsTheFullReaderReadsThem) {
  const Outcome fast = read_with(kGood, true);
  const Outcome full = read_with(kGood, false);
  EXPECT_EQ(fast.error, "");
  EXPECT_EQ(fast.events, full.events);
  EXPECT_EQ(fast.fast, 5u);  // every line
  EXPECT_EQ(full.fast, 0u);
}

// Integers are read 8 digits at a time: every length up to the 18 digits the fast path takes,
// and digits next to the bytes just outside '0'..'9' ('/' and ':'), read as the full reader
// reads them, or fail with its error.
TEST(TraceFastLine, IntegersOfEveryLengthReadAsTheFullReaderReadsThem) {
  const std::string digits = "987654321098765432";
  for (size_t n = 1; n <= digits.size(); ++n) {
    for (const std::string& tail : {std::string(""), std::string("/"), std::string(":")}) {
      const std::string line =
          R"({"t":1000,"node":"c1","mono":990,"wall":1010,"kind":"lock.acquired","token":)" +
          digits.substr(0, n) + tail + "}";
      const std::string trace = std::string(kHeader) + "\n" + line + "\n";
      const Outcome fast = read_with(trace, true);
      const Outcome full = read_with(trace, false);
      EXPECT_EQ(fast.events, full.events) << line;
      EXPECT_EQ(fast.error, full.error) << line;
      if (tail.empty()) {
        EXPECT_EQ(fast.error, "") << line;
        EXPECT_EQ(fast.fast, 1u) << line;
      }
    }
  }
}

// Valid lines shaped otherwise (space, escapes, non-ASCII text, a long number, a
// missing clock) read the same, through the full reader.
TEST(TraceFastLine, LinesShapedOtherwiseAreLeftToTheFullReader) {
  const std::string lines[] = {
      R"({"t": 1000,"node":"c1","mono":990,"wall":1010,"kind":"lock.acquired","token":1})",
      R"({"t":1000,"node":"c1","kind":"lock.acquired","token":1})",
      R"({"t":1000,"node":null,"mono":0,"wall":0,"kind":"fault.pause","fault":0,"text":"a \"b\""})",
      "{\"t\":1000,\"node\":null,\"mono\":0,\"wall\":0,\"kind\":\"fault.pause\",\"text\":"
      "\"\xc3\xa9\"}",
      R"({"t":1000,"node":"c1","mono":990,"wall":1010,"kind":"lock.acquired","token":1234567890123456789})",
      R"({"t":1000,"node":"c1","mono":990,"wall":1010,"kind":"lock.acquired","token":1} )",
  };
  for (const std::string& line : lines) {
    const std::string trace = std::string(kHeader) + "\n" + line + "\n";
    const Outcome fast = read_with(trace, true);
    const Outcome full = read_with(trace, false);
    EXPECT_EQ(fast.error, "") << line;
    EXPECT_EQ(fast.events, full.events) << line;
    EXPECT_EQ(fast.fast, 0u) << line;
  }
}

// The equivalence, by mutation: thousands of traces one to three edits away from kGood, each read
// with and without the fast path, must give the same events and the same error word for word.
TEST(TraceFastLine, WithAndWithoutItEveryMutatedTraceReadsTheSame) {
  uint64_t state = 11;
  int took_fast = 0, rejected = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text = kGood;
    mutate(text, state, kGood.find('\n') + 1);  // the header stays whole
    const Outcome fast = read_with(text, true);
    const Outcome full = read_with(text, false);
    ASSERT_EQ(fast.events, full.events) << text;
    ASSERT_EQ(fast.error, full.error) << text;
    took_fast += fast.fast > 0 ? 1 : 0;
    rejected += fast.error.empty() ? 0 : 1;
  }
  EXPECT_GT(took_fast, 2500);  // the mutations reach lines the fast path reads...
  EXPECT_GT(rejected, 2000);   // ...and most break something, reported the same either way
}

// The reader takes its input in 1 MiB blocks: lines of every length up to 300 KB, some ending in
// "\r\n", read back whole wherever the block boundaries fall.
TEST(TraceFastLine, LinesAcrossBlockBoundariesReadWhole) {
  std::string trace = std::string(kHeader) + "\n";
  std::vector<std::string> texts;
  uint64_t state = 5;
  for (int i = 0; trace.size() < (size_t{5} << 20); ++i) {
    const size_t length = i % 10 == 9 ? 1 + next(state) % 300'000 : next(state) % 200;
    texts.push_back(std::string(length, static_cast<char>('a' + i % 26)));
    trace += R"({"t":)" + std::to_string(i) +
             R"(,"node":"c1","mono":0,"wall":0,"kind":"fault.pause","text":")" + texts.back() +
             (i % 3 == 0 ? "\"}\r\n" : "\"}\n");
  }
  std::istringstream in(trace);
  TraceReader reader(in, "t.jsonl", &the_catalog());
  sim::Event e;
  size_t n = 0;
  while (reader.next(e)) {
    ASSERT_LT(n, texts.size());
    ASSERT_EQ(e.at.ns, static_cast<int64_t>(n));
    ASSERT_EQ(e.text, texts[n]) << "line " << n + 2;
    ++n;
  }
  EXPECT_EQ(n, texts.size());
  EXPECT_EQ(reader.fast_lines(), n);
}

// A real run's trace: every line takes the fast path, and the events are the full reader's.
TEST(TraceFastLine, ARunsTraceIsReadWholeOnTheFastPath) {
  const sim::Catalog& catalog = the_catalog();
  const sim::Scenario s =
      sim::load_scenario("scenarios/lease-lock/pause-without-fencing.yaml", catalog);
  const fs::path path =
      fs::temp_directory_path() / ("lockstep-fast-line-" + std::to_string(getpid()) + ".jsonl");
  RunOptions options;
  options.trace_path = path.string();
  const RunReport run = run_scenario(s, options);
  const std::string text = lockstep::testing::read_file(path.string());
  fs::remove(path);
  const Outcome fast = read_with(text, true);
  const Outcome full = read_with(text, false);
  EXPECT_EQ(fast.error, "");
  EXPECT_EQ(fast.events, full.events);
  EXPECT_EQ(fast.fast, run.trace_events);
}

}  // namespace
}  // namespace lockstep::tools
