// The JSONL writer (sim::JsonlSink) formats each line in place from names quoted once per run.
// Its bytes must be exactly event_to_json's, the line-at-a-time form kept as the oracle: for real
// runs, and for made-up events that reach every branch (names out of range, texts that need
// escapes, a text longer than the writer's block, enough lines to fill many blocks).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <vector>

#include "sim/io/jsonl.hpp"
#include "tests/support/support.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;

// What the writer should have written: the header and event_to_json of every event.
class Oracle : public sim::TraceSink {
 public:
  void begin(const sim::TraceInfo& info) override {
    info_ = &info;
    text = sim::trace_header_json(info) + "\n";
  }
  void on_event(const sim::Event& e) override { text += sim::event_to_json(e, *info_) + "\n"; }
  std::string text;

 private:
  const sim::TraceInfo* info_ = nullptr;
};

fs::path temp(const std::string& name) {
  return fs::temp_directory_path() /
         ("lockstep-jsonl-" + std::to_string(getpid()) + "-" + name + ".jsonl");
}

TEST(JsonlWriter, ARunsTraceIsByteForByteTheLineAtATimeForm) {
  const sim::Catalog catalog = make_catalog();
  for (const char* file :
       {"scenarios/lease-lock/pause-without-fencing.yaml", "scenarios/raft/partial-partition.yaml",
        "scenarios/consensus-lock/leader-crash-while-holding.yaml",
        "scenarios/redlock/clock-jump.yaml", "scenarios/zk-lock/herd.yaml",
        "scenarios/lease-election/matrix-partition.yaml"}) {
    const sim::Scenario s = sim::load_scenario(file, catalog);
    const fs::path path = temp("run");
    Oracle oracle;
    RunOptions options;
    options.trace_path = path.string();
    options.extra_sinks.push_back(&oracle);
    run_scenario(s, options);
    const std::string written = lockstep::testing::read_file(path);
    fs::remove(path);
    EXPECT_EQ(written.size(), oracle.text.size()) << file;
    EXPECT_TRUE(written == oracle.text) << file;
  }
}

uint64_t next(uint64_t& state) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return state >> 33;
}

TEST(JsonlWriter, MadeUpEventsReachEveryBranchAndReadTheSame) {
  auto vocabulary = std::make_shared<sim::Vocabulary>();
  const sim::Key who = vocabulary->declare_key("who", sim::FieldType::node);
  const sim::Key what = vocabulary->declare_key("what", sim::FieldType::message_type);
  const sim::Key flag = vocabulary->declare_key("flag", sim::FieldType::boolean);
  const sim::Key span = vocabulary->declare_key("span", sim::FieldType::duration_ns);
  const sim::Kind odd = vocabulary->declare_kind("odd \"kind\"");
  sim::TraceInfo info;
  info.scenario = "made \"up\"";
  info.node_ids = {"a", "b\\c", std::string(40, 'n')};
  info.node_roles = {"x", "y", "z"};
  info.messages = {"ping", "p\"ong"};
  info.vocabulary = vocabulary;
  const std::string texts[] = {"", "plain", "quote \" back \\ nl \n tab \t cr \r bell \x07",
                               std::string(300'000, 'q')};  // longer than a block
  const fs::path path = temp("made-up");
  sim::JsonlSink sink(path.string());
  Oracle oracle;
  sink.begin(info);
  oracle.begin(info);
  // Every digit count and sign, with the values either side of each power of ten.
  std::vector<int64_t> edges = {INT64_MIN, INT64_MAX, INT64_MIN + 1, 0};
  for (int64_t p = 1; p <= INT64_MAX / 10; p *= 10) {
    for (const int64_t v : {p - 1, p, p + 1, 10 * p - 1}) {
      edges.push_back(v);
      edges.push_back(-v);
    }
  }
  uint64_t state = 3;
  for (int i = 0; i < 40'000; ++i) {  // about 4 MB: several blocks
    sim::Event e;
    e.at = sim::Instant{i % 5 == 0 ? edges[next(state) % edges.size()]
                                   : static_cast<int64_t>(next(state)) * (i % 7 == 0 ? -1 : 1)};
    e.node = next(state) % 5 == 0 ? sim::kNoNode : static_cast<sim::NodeIndex>(next(state) % 4);
    // The writer copies the digits of a time equal to the one before it (no drift, no offset).
    e.mono = i % 3 == 0 ? sim::LocalTime{e.at.ns}
                        : sim::LocalTime{INT64_MIN + static_cast<int64_t>(next(state))};
    e.wall = i % 4 == 0   ? e.mono
             : i % 4 == 1 ? sim::LocalTime{e.at.ns}
                          : sim::LocalTime{INT64_MAX - static_cast<int64_t>(next(state))};
    e.kind = next(state) % 3 == 0 ? odd : sim::Kind::net_send;
    const sim::Key keys[] = {who, what, flag, span};
    e.field_count = static_cast<uint8_t>(next(state) % (sim::Event::kMaxFields + 1));
    for (uint8_t f = 0; f < e.field_count; ++f) {
      const sim::Key key = keys[next(state) % 4];
      int64_t v = static_cast<int64_t>(next(state) % 5) - 1;  // -1..3: some out of range
      if (key == span) v = edges[next(state) % edges.size()];
      e.fields[f] = {key, v};
    }
    e.text = texts[i % 997 == 0 ? 3 : next(state) % 3];
    sink.on_event(e);
    oracle.on_event(e);
  }
  ASSERT_TRUE(sink.commit()) << sink.error();
  const std::string written = lockstep::testing::read_file(path);
  fs::remove(path);
  EXPECT_EQ(written.size(), oracle.text.size());
  EXPECT_TRUE(written == oracle.text);
}

// The Perfetto writer formats its integers with append_decimal: std::to_string's digits exactly.
TEST(JsonlWriter, AppendDecimalWritesWhatToStringWrites) {
  std::vector<int64_t> values = {INT64_MIN, INT64_MIN + 1, INT64_MAX, 0};
  for (int64_t p = 1; p <= INT64_MAX / 10; p *= 10) {
    for (const int64_t v : {p - 1, p, p + 1, 10 * p - 1}) {
      values.push_back(v);
      values.push_back(-v);
    }
  }
  for (const int64_t v : values) {
    std::string out = "x";
    sim::append_decimal(out, v);
    EXPECT_EQ(out, "x" + std::to_string(v));
  }
}

}  // namespace
}  // namespace lockstep::tools
