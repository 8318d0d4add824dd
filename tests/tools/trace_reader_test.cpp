// Reading JSONL traces: a well-formed trace reads back typed, and every kind of malformed line is
// rejected with its line and field (never a crash, never a silent misreading).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "checkers/checker.hpp"
#include "checkers/metrics.hpp"
#include "tests/support/vocabulary.hpp"
#include "tests/tools/trace_fixture.hpp"
#include "tools/engine/runner.hpp"
#include "tools/render/perfetto.hpp"
#include "tools/render/story_log.hpp"
#include "tools/render/timeline.hpp"
#include "tools/trace/trace_reader.hpp"

namespace obs = ::lockstep::testing::obs;
namespace fld = ::lockstep::testing::fld;

namespace lockstep::tools {
namespace {

using trace_fixture::kHeader;
using trace_fixture::mutate;
using trace_fixture::next;
using trace_fixture::the_catalog;

struct Read {
  sim::TraceInfo info;
  std::vector<sim::Event> events;
  std::vector<std::string> texts;
};

Read read_all(const std::string& text, TraceLimits limits = {}) {
  std::istringstream in(text);
  TraceReader reader(in, "t.jsonl", &the_catalog(), limits);
  Read out;
  out.info = reader.info();
  sim::Event e;
  while (reader.next(e)) {
    out.events.push_back(e);
    out.texts.emplace_back(e.text);
  }
  return out;
}

TEST(TraceReader, ReadsTheHeaderAndTypedFields) {
  const std::string trace =
      std::string(kHeader) + "\n" +
      R"({"t":5,"node":"c1","mono":4,"wall":7,"kind":"lock.acquired","token":2,"lease_ns":10000000000})"
      "\n" +
      R"({"t":6,"node":null,"mono":0,"wall":0,"kind":"fault.partition","fault":0,"text":"split"})"
      "\n" +
      R"({"t":7,"node":"c2","kind":"net.send","to":"lock","msg":"grant","msg_id":9})"
      "\n" +
      R"({"t":8,"node":"c2","kind":"election.started","term":1,"prevote":true})"
      "\n";
  const Read r = read_all(trace);
  EXPECT_EQ(r.info.scenario, "t");
  EXPECT_EQ(r.info.protocol, "lease_lock");
  EXPECT_EQ(r.info.seed, 3u);
  EXPECT_EQ(r.info.duration_ns, 60'000'000'000);
  ASSERT_EQ(r.info.node_ids, (std::vector<std::string>{"lock", "c1", "c2"}));
  EXPECT_EQ(r.info.node_roles[0], "server");
  ASSERT_EQ(r.events.size(), 4u);
  const sim::Event& a = r.events[0];
  EXPECT_EQ(a.at.ns, 5);
  EXPECT_EQ(a.node, 1u);
  EXPECT_EQ(a.mono.ns, 4);
  EXPECT_EQ(a.wall.ns, 7);
  EXPECT_EQ(a.kind, obs::lock_acquired);
  ASSERT_EQ(a.field_count, 2);
  EXPECT_EQ(a.fields[0].key, fld::token);  // the order the line gave them in
  EXPECT_EQ(a.get(fld::lease_ns), 10'000'000'000);
  EXPECT_EQ(r.events[1].node, sim::kNoNode);
  EXPECT_EQ(r.texts[1], "split");
  // A line without clock readings gets true time for both.
  EXPECT_EQ(r.events[2].mono.ns, 7);
  EXPECT_EQ(r.events[2].wall.ns, 7);
  EXPECT_EQ(r.events[2].get(sim::Key::to), 0);
  EXPECT_EQ(r.events[2].get(sim::Key::msg), 1);
  EXPECT_EQ(r.events[3].get(fld::prevote), 1);
}

TEST(TraceReader, EndIsTheHeaderDurationOrTheLastEvent) {
  std::istringstream with(std::string(kHeader) + "\n");
  EXPECT_EQ(TraceReader(with, "a", &the_catalog()).end().ns, 60'000'000'000);
  std::istringstream without(
      "{\"schema_version\":1,\"nodes\":[{\"id\":\"a\"}]}\n"
      "{\"t\":42,\"node\":\"a\",\"kind\":\"node.start\"}\n");
  TraceReader reader(without, "b", &the_catalog());
  sim::Event e;
  while (reader.next(e)) {
  }
  EXPECT_EQ(reader.end().ns, 42);
  EXPECT_EQ(reader.info().scenario, "b");  // named after the file when the header does not say
}

TEST(TraceReader, AcceptsWindowsLineEndingsAndAFinalLineWithoutNewline) {
  const Read r =
      read_all(std::string(kHeader) + "\r\n" + R"({"t":1,"node":"c1","kind":"lock.requested"})");
  EXPECT_EQ(r.events.size(), 1u);
}

TEST(TraceReader, TextsOutliveTheLineTheyCameFrom) {
  const Read r = read_all(std::string(kHeader) + "\n" +
                          R"({"t":1,"node":"c1","kind":"fault.pause","text":"pause c1"})"
                          "\n" +
                          R"({"t":2,"node":"c1","kind":"fault.resume","text":"pause c1"})"
                          "\n");
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].text.data(), r.events[1].text.data());  // interned once
  EXPECT_EQ(r.texts[0], "pause c1");
}

// One malformed trace: where the reader must stop and what it must say.
struct Corrupt {
  const char* name;
  std::string text;
  int64_t line;
  const char* field;    // "" for a problem with the whole line
  const char* message;  // a fragment of the message
};

std::string ev(const std::string& body) { return std::string(kHeader) + "\n" + body + "\n"; }

std::vector<Corrupt> corrupt_traces() {
  const std::string h = kHeader;
  return {
      {"Empty", "", 1, "", "the trace is empty"},
      {"HeaderNotJson", "{schema_version: 1}\n", 1, "", "not valid JSON"},
      {"HeaderIsAList", "[1,2]\n", 1, "", "must be a JSON object"},
      {"HeaderWithoutVersion", "{\"nodes\":[]}\n", 1, "schema_version", "missing"},
      {"EventFirst", "{\"t\":1,\"node\":null,\"kind\":\"node.start\"}\n", 1, "schema_version",
       "not an event"},
      {"NewerVersion", "{\"schema_version\":2,\"nodes\":[]}\n", 1, "schema_version",
       "unsupported version 2"},
      {"VersionAsString", "{\"schema_version\":\"1\",\"nodes\":[]}\n", 1, "schema_version",
       "expected an integer"},
      {"HeaderKeyTypo", "{\"schema_version\":1,\"nodse\":[]}\n", 1, "nodse",
       "did you mean 'nodes'"},
      {"NoNodes", "{\"schema_version\":1}\n", 1, "nodes", "missing"},
      {"NodesNotAList", "{\"schema_version\":1,\"nodes\":{}}\n", 1, "nodes", "expected a list"},
      {"NodeWithoutId", "{\"schema_version\":1,\"nodes\":[{\"role\":\"x\"}]}\n", 1, "nodes[0].id",
       "missing"},
      {"NodeIdNotAString", "{\"schema_version\":1,\"nodes\":[{\"id\":3}]}\n", 1, "nodes[0].id",
       "non-empty string"},
      {"DuplicateNodeId", "{\"schema_version\":1,\"nodes\":[{\"id\":\"a\"},{\"id\":\"a\"}]}\n", 1,
       "nodes[1].id", "duplicate node id 'a'"},
      {"NodeKeyTypo", "{\"schema_version\":1,\"nodes\":[{\"id\":\"a\",\"rol\":\"x\"}]}\n", 1,
       "nodes[0].rol", "did you mean 'role'"},
      {"NegativeSeed", "{\"schema_version\":1,\"seed\":-1,\"nodes\":[]}\n", 1, "seed",
       "must not be negative"},
      {"ZeroDuration", "{\"schema_version\":1,\"duration_ns\":0,\"nodes\":[]}\n", 1, "duration_ns",
       "must be positive"},
      {"MessagesNotStrings", "{\"schema_version\":1,\"nodes\":[],\"messages\":[1]}\n", 1,
       "messages[0]", "expected a string"},
      {"HeaderNumberOverflow", "{\"schema_version\":1,\"duration_ns\":2e999999,\"nodes\":[]}\n", 1,
       "", "header is not valid JSON"},
      {"DuplicateHeaderKey", "{\"schema_version\":1,\"nodes\":[],\"nodes\":[]}\n", 1, "nodes",
       "given twice"},
      {"TruncatedEvent", ev(R"({"t":1,"node":"c1","kind":"lock.acq)"), 2, "", "not valid JSON"},
      {"EventIsANumber", ev("42"), 2, "", "expected a JSON object"},
      {"EmptyLine", h + "\n\n{\"t\":1,\"node\":\"c1\",\"kind\":\"lock.requested\"}\n", 2, "",
       "empty line"},
      {"MissingT", ev(R"({"node":"c1","kind":"lock.requested"})"), 2, "t", "missing"},
      {"TAsString", ev(R"({"t":"1s","node":"c1","kind":"lock.requested"})"), 2, "t",
       "expected an integer"},
      {"TAsFloat", ev(R"({"t":1.5,"node":"c1","kind":"lock.requested"})"), 2, "t",
       "expected an integer"},
      {"NegativeT", ev(R"({"t":-1,"node":"c1","kind":"lock.requested"})"), 2, "t",
       "must not be negative"},
      {"TooLargeT", ev(R"({"t":18446744073709551615,"node":"c1","kind":"lock.requested"})"), 2, "t",
       "out of range"},
      {"TBackwards",
       h + "\n" + R"({"t":5,"node":"c1","kind":"lock.requested"})" + "\n" +
           R"({"t":4,"node":"c1","kind":"lock.requested"})" + "\n",
       3, "t", "time goes backwards"},
      {"TAfterDuration", ev(R"({"t":60000000001,"node":"c1","kind":"lock.requested"})"), 2, "t",
       "after the header's duration_ns"},
      {"MissingKind", ev(R"({"t":1,"node":"c1"})"), 2, "kind", "missing"},
      {"UnknownKind", ev(R"({"t":1,"node":"c1","kind":"lock.aquired"})"), 2, "kind",
       "did you mean 'lock.acquired'"},
      {"KindNotAString", ev(R"({"t":1,"node":"c1","kind":7})"), 2, "kind", "expected a kind"},
      {"MissingNode", ev(R"({"t":1,"kind":"lock.requested"})"), 2, "node", "missing"},
      {"UnknownNode", ev(R"({"t":1,"node":"c3","kind":"lock.requested"})"), 2, "node",
       "unknown node 'c3'"},
      {"NodeAsIndex", ev(R"({"t":1,"node":1,"kind":"lock.requested"})"), 2, "node",
       "expected a node id"},
      {"MonoAsString", ev(R"({"t":1,"node":"c1","mono":"x","kind":"lock.requested"})"), 2, "mono",
       "expected an integer"},
      {"UnknownField", ev(R"({"t":1,"node":"c1","kind":"lock.acquired","tokn":1})"), 2, "tokn",
       "did you mean 'token'"},
      {"TokenAsString", ev(R"({"t":1,"node":"c1","kind":"lock.acquired","token":"1"})"), 2, "token",
       "expected an integer"},
      {"DurationAsText", ev(R"({"t":1,"node":"c1","kind":"lock.acquired","lease_ns":"10s"})"), 2,
       "lease_ns", "expected an integer"},
      {"BooleanAsNumber", ev(R"({"t":1,"node":"c1","kind":"election.started","prevote":1})"), 2,
       "prevote", "expected true or false"},
      {"UnknownNodeInField", ev(R"({"t":1,"node":"lock","kind":"lock.granted","holder":"zz"})"), 2,
       "holder", "unknown node 'zz'"},
      {"UnknownMessage", ev(R"({"t":1,"node":"c1","kind":"net.send","to":"lock","msg":"grnt"})"), 2,
       "msg", "did you mean 'grant'"},
      {"NegativeMessageIndex", ev(R"({"t":1,"node":"c1","kind":"net.send","msg":-1})"), 2, "msg",
       "must not be negative"},
      {"TooManyFields",
       ev(R"({"t":1,"node":"c1","kind":"net.send","to":"c2","msg":0,"msg_id":1,"slot":2,"fault":3})"),
       2, "fault", "at most 4"},
      {"DuplicateField", ev(R"({"t":1,"node":"c1","kind":"lock.acquired","token":1,"token":2})"), 2,
       "token", "given twice"},
      {"TextNotAString", ev(R"({"t":1,"node":"c1","kind":"fault.pause","text":5})"), 2, "text",
       "expected a string"},
      // Issue 17: what a real trace can get wrong beyond one line's format.
      {"NullLockHolder", ev(R"({"t":1,"node":null,"kind":"lock.acquired","token":1})"), 2, "node",
       "null, but this kind of event happens on a node"},
      {"NullSender", ev(R"({"t":1,"node":null,"kind":"net.send","to":"lock","msg":0,"msg_id":1})"),
       2, "node", "null, but"},
      {"MessageIndexBeyondHeader", ev(R"({"t":1,"node":"c1","kind":"net.send","msg":5})"), 2, "msg",
       "message type index 5 is beyond the header's 2 messages"},
      {"ReusedMsgId",
       h + "\n" + R"({"t":1,"node":"c1","kind":"net.send","to":"lock","msg":0,"msg_id":1})" + "\n" +
           R"({"t":2,"node":"c2","kind":"net.send","to":"lock","msg":0,"msg_id":1})" + "\n",
       3, "msg_id", "1 was already used by the send on line 2"},
      {"ReusedLargeMsgId",  // beyond the ids kept by index: the same check, kept in a map
       h + "\n" +
           R"({"t":1,"node":"c1","kind":"net.send","to":"lock","msg":0,"msg_id":900000000000})" +
           "\n" +
           R"({"t":2,"node":"c2","kind":"net.send","to":"lock","msg":0,"msg_id":900000000000})" +
           "\n",
       3, "msg_id", "900000000000 was already used by the send on line 2"},
      {"DanglingLargeDelivery",
       ev(R"({"t":1,"node":"lock","kind":"net.deliver","from":"c1","msg":0,"msg_id":-3})"), 2,
       "msg_id", "-3 was never sent"},
      {"DanglingDelivery",
       ev(R"({"t":1,"node":"lock","kind":"net.deliver","from":"c1","msg":0,"msg_id":7})"), 2,
       "msg_id", "7 was never sent"},
      {"DuplicatedLine",
       h + "\n" + R"({"t":1,"node":"c1","kind":"lock.requested"})" + "\n" +
           R"({"t":1,"node":"c1","kind":"lock.requested"})" + "\n",
       3, "", "the same event as line 2 (a duplicated line)"},
      {"HundredsOfKeys", ev([] {
         std::string line = R"({"t":1,"node":"c1","kind":"lock.requested")";
         for (int i = 0; i < 100; ++i) line += ",\"k" + std::to_string(i) + "\":1";
         return line + "}";
       }()),
       2, "", "too many fields: an event line has at most 64"},
      // Not UTF-8 inside a string the message quotes: shown escaped, not a crash (fuzzer).
      {"StringLineNotUtf8", ev(std::string("\"t\x7f\"\0:\xba", 7)), 2, "",
       "got a string (\"\\\"t\\u007f\\\"\\u0000:\\ufffd\")"},
  };
}

class CorruptTrace : public ::testing::TestWithParam<Corrupt> {};

TEST_P(CorruptTrace, IsRejectedWithItsLineAndField) {
  const Corrupt& c = GetParam();
  try {
    read_all(c.text);
    FAIL() << c.name << " was accepted";
  } catch (const TraceError& e) {
    EXPECT_EQ(e.line(), c.line) << e.what();
    EXPECT_EQ(e.field(), c.field) << e.what();
    const std::string what = e.what();
    const std::string where = "t.jsonl:" + std::to_string(c.line) + ": ";
    EXPECT_EQ(what.rfind(where, 0), 0u) << what;
    if (*c.field != '\0') {
      EXPECT_EQ(what.find(where + "field '" + c.field + "': "), 0u) << what;
    }
    EXPECT_NE(what.find(c.message), std::string::npos) << what;
  }
}

INSTANTIATE_TEST_SUITE_P(Traces, CorruptTrace, ::testing::ValuesIn(corrupt_traces()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(TraceReader, ALineOverTheLimitIsRejectedBeforeItIsHeld) {
  TraceLimits limits;
  limits.max_line_bytes = 300;  // the header is shorter
  const std::string big =
      R"({"t":1,"node":"c1","kind":"fault.pause","text":")" + std::string(500, 'x') + "\"}";
  try {
    read_all(std::string(kHeader) + "\n" + big + "\n", limits);
    FAIL() << "a 500-byte line passed a 300-byte limit";
  } catch (const TraceError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(std::string(e.what()).find("longer than 300 bytes"), std::string::npos);
  }
}

TEST(TraceReader, MutatedTracesNeverCrashTheReader) {
  const std::string good =
      std::string(kHeader) + "\n" +
      R"({"t":1000,"node":"c1","mono":1000,"wall":1000,"kind":"lock.acquired","token":1,"lease_ns":10000000000})"
      "\n"
      R"({"t":2000,"node":null,"mono":0,"wall":0,"kind":"fault.partition","fault":0,"text":"a \"split\""})"
      "\n"
      R"({"t":3000,"node":"c2","mono":3000,"wall":3000,"kind":"net.send","to":"lock","msg":"acquire","msg_id":4})"
      "\n";
  uint64_t state = 7;
  int rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = good;
    mutate(text, state, 0);
    try {
      read_all(text);
    } catch (const TraceError& e) {
      ++rejected;
      EXPECT_EQ(std::string(e.what()).rfind("t.jsonl:", 0), 0u) << e.what();
    }
  }
  EXPECT_GT(rejected, 2000);  // most mutations break something, and each is reported
}

// Well-formed traces whose events make no sense together (a release nobody acquired, a crash of
// a node that never started, leaders of random terms) still only produce verdicts: `check` must
// not trip over what a real system's log may contain.
bool may_be_null(std::string_view kind) {
  return kind.starts_with("fault.") || kind.starts_with("net.link") || kind.starts_with("node.");
}

TEST(TraceReader, NonsensicalButWellFormedTracesOnlyProduceVerdicts) {
  const std::vector<sim::CheckerSpec> specs = checkers::checker_specs();
  const sim::Vocabulary& vocabulary = *the_catalog().vocabulary();
  uint64_t state = 11;
  for (int round = 0; round < 200; ++round) {
    std::string text = std::string(kHeader) + "\n";
    int64_t t = 0;
    for (int i = 0; i < 150; ++i) {
      t += static_cast<int64_t>(next(state) % 3) * 100'000'000;
      const auto kind = static_cast<sim::Kind>(next(state) % vocabulary.kind_count());
      const char* nodes[] = {"lock", "c1", "c2"};
      std::string line = "{\"t\":" + std::to_string(t) + ",\"node\":" +
                         (next(state) % 8 == 0 && may_be_null(vocabulary.name(kind))
                              ? std::string("null")
                              : "\"" + std::string(nodes[next(state) % 3]) + "\"") +
                         ",\"kind\":\"" + std::string(vocabulary.name(kind)) + "\"";
      const int fields = static_cast<int>(next(state) % 4);
      for (int f = 0; f < fields; ++f) {
        const auto key = static_cast<sim::Key>(next(state) % vocabulary.key_count());
        line += ",\"" + std::string(vocabulary.name(key)) + "\":";
        switch (vocabulary.type(key)) {
          case sim::FieldType::node:
            line += "\"" + std::string(nodes[next(state) % 3]) + "\"";
            break;
          case sim::FieldType::boolean:
            line += next(state) % 2 ? "true" : "false";
            break;
          case sim::FieldType::message_type:
            line += "\"grant\"";
            break;
          default:
            line += std::to_string(static_cast<int64_t>(next(state) % 5) - 1);
            break;
        }
      }
      text += line + "}\n";
    }
    std::istringstream in(text);
    std::vector<std::unique_ptr<checkers::Checker>> active;
    std::vector<sim::TraceSink*> sinks;
    for (const sim::CheckerSpec& spec : specs) {
      active.push_back(checkers::make_checker(parse_checker_arg(spec.name, specs)));
      sinks.push_back(active.back().get());
    }
    checkers::Metrics metrics;
    TimelineSink timeline;
    StoryLog story([](std::string_view) {});
    const std::string chrome =
        (std::filesystem::temp_directory_path() / ("lockstep-nonsense-" + std::to_string(getpid())))
            .string();
    PerfettoSink perfetto(chrome);
    sinks.insert(sinks.end(), {&metrics, &timeline, &story, &perfetto});
    try {
      TraceReader reader(in, "t.jsonl", &the_catalog());
      feed_trace(reader, sinks);
      EXPECT_NE(timeline.html({}, {}).find("timeline-data"), std::string::npos);
      EXPECT_TRUE(perfetto.commit());
      std::filesystem::remove(chrome);
      // Inside the try: the checkers' results read the reader's TraceInfo (node names), which
      // lives only as long as the reader.
      for (const auto& c : active) {
        const checkers::CheckResult r = c->result();
        EXPECT_FALSE(r.checker.empty());
      }
    } catch (const TraceError& e) {
      // A duplicate field, or a msg_id drawn at random that no send introduced or that a send
      // reuses, are the ways these lines can be malformed.
      const std::string what = e.what();
      EXPECT_TRUE(what.find("given twice") != std::string::npos ||
                  what.find("was never sent") != std::string::npos ||
                  what.find("was already used") != std::string::npos ||
                  what.find("a duplicated line") != std::string::npos)
          << what;
      continue;
    }
    EXPECT_FALSE(metrics.values().empty());
  }
}

// ---- --checker NAME:k=v ------------------------------------------------------------------------

class CheckerArg : public ::testing::Test {
 protected:
  std::vector<sim::CheckerSpec> specs_ = checkers::checker_specs();
  std::string error(const std::string& arg) {
    try {
      parse_checker_arg(arg, specs_);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "(accepted)";
  }
};

TEST_F(CheckerArg, ANameAloneTakesTheDefaults) {
  const sim::CheckerConfig c = parse_checker_arg("liveness", specs_);
  EXPECT_EQ(c.name, "liveness");
  EXPECT_EQ(c.params.duration("within"), sim::Duration::seconds(10));
}

TEST_F(CheckerArg, ParamsParseAsTheScenarioLoaderParsesThem) {
  const sim::CheckerConfig c = parse_checker_arg("liveness:within=1.5s", specs_);
  EXPECT_EQ(c.params.duration("within").ns, 1'500'000'000);
}

TEST_F(CheckerArg, MistakesAreNamedWithASuggestion) {
  EXPECT_NE(error("livenes").find("unknown checker 'livenes'; did you mean 'liveness'?"),
            std::string::npos);
  EXPECT_NE(error("liveness:witin=2s")
                .find("unknown param 'witin' for checker liveness; did you "
                      "mean 'within'?"),
            std::string::npos);
  EXPECT_NE(error("liveness:within=15").find("durations need a unit"), std::string::npos);
  EXPECT_NE(error("liveness:within").find("expected param=value"), std::string::npos);
  EXPECT_NE(error("liveness:within=1s,within=2s").find("given twice"), std::string::npos);
  EXPECT_NE(error("mutual_exclusion:within=1s").find("it takes none"), std::string::npos);
  EXPECT_NE(error("liveness:within=-1s").find("must not be negative"), std::string::npos);
}

}  // namespace
}  // namespace lockstep::tools
