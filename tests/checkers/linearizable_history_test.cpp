// The JSONL history reader (docs/history-format.md): what it accepts, and the exact
// "FILE:LINE: field 'x': problem" it gives for every malformed line.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "checkers/linearizable/history_jsonl.hpp"
#include "checkers/linearizable/search.hpp"

namespace lockstep::checkers::linearizable {
namespace {

History read(const std::string& text, Model m = Model::cas) {
  std::istringstream in(text);
  return read_history(in, "h.jsonl", m);
}

// The message reading `text` gives, or "" when it reads.
std::string error_of(const std::string& text, Model m = Model::cas) {
  try {
    read(text, m);
  } catch (const HistoryError& e) {
    return e.what();
  }
  return "";
}

constexpr const char* kInvokeWrite =
    R"({"process":0,"type":"invoke","f":"write","key":"x","value":1,"time":10})"
    "\n";

TEST(HistoryJsonl, ReadsInvocationsAndCompletions) {
  const History h =
      read(std::string(kInvokeWrite) +
           R"({"process":0,"type":"ok","f":"write","key":"x","value":1,"time":20})"
           "\n\n"
           R"({"process":"c2","type":"invoke","f":"read","key":"x","time":30})"
           "\n"
           R"({"process":"c2","type":"ok","f":"read","key":"x","value":1,"time":40})"
           "\n"
           R"({"process":3,"type":"invoke","f":"cas","value":5,"expect":null,"time":50})"
           "\n");
  ASSERT_EQ(h.ops.size(), 3u);
  EXPECT_EQ(h.processes, (std::vector<std::string>{"0", "c2", "3"}));
  EXPECT_EQ(h.keys, (std::vector<std::string>{"x", "default"}));
  EXPECT_EQ(h.ops[1].value, 1);
  EXPECT_EQ(h.ops[1].invoke_ref, 4) << "refs are file lines (the blank line counts)";
  EXPECT_EQ(h.ops[2].outcome, Outcome::info) << "an op still open at the end is unknown";
  EXPECT_EQ(h.ops[2].expect, kNil);
  EXPECT_EQ(check(h, Model::cas).result, Result::linearizable);
}

struct BadLine {
  const char* line;
  const char* message;
};

TEST(HistoryJsonl, EveryMalformedLine_IsNamedWithItsField) {
  const BadLine cases[] = {
      {R"({"process":0,"type":"invoke","f":"write","value":1)", "h.jsonl:2: not valid JSON"},
      {R"([1,2])", "h.jsonl:2: expected a JSON object"},
      {R"({"process":1,"type":"invoke","f":"read","time":1e999})", "h.jsonl:2: not valid JSON"},
      {R"({"type":"invoke","f":"read","time":1})", "h.jsonl:2: field 'process': is missing"},
      {R"({"process":1.5,"type":"invoke","f":"read","time":1})",
       "h.jsonl:2: field 'process': must be a string or an integer, got number"},
      {R"({"process":1,"f":"read","time":1})", "h.jsonl:2: field 'type': is missing"},
      {R"({"process":1,"type":"start","f":"read","time":1})",
       "h.jsonl:2: field 'type': unknown type 'start' (the types are invoke, ok, fail, info)"},
      {R"({"process":1,"type":"invoke","f":"reed","time":1})",
       "h.jsonl:2: field 'f': unknown operation 'reed' (the operations are acquire, release, "
       "read, write, cas)"},
      {R"({"process":1,"type":"invoke","time":1})", "h.jsonl:2: field 'f': is missing"},
      {R"({"process":1,"type":"invoke","f":"read"})", "h.jsonl:2: field 'time': is missing"},
      {R"({"process":1,"type":"invoke","f":"read","time":-4})",
       "h.jsonl:2: field 'time': must be a non-negative integer (nanoseconds)"},
      {R"({"process":1,"type":"invoke","f":"read","time":"1s"})",
       "h.jsonl:2: field 'time': must be an integer or null, got string"},
      {R"({"process":1,"type":"invoke","f":"write","time":1})",
       "h.jsonl:2: field 'value': a write invocation needs the integer value it writes"},
      {R"({"process":1,"type":"invoke","f":"cas","value":2,"time":1})",
       "h.jsonl:2: field 'expect': a cas invocation needs the value it compares against (null "
       "for none)"},
      {R"({"process":1,"type":"invoke","f":"read","expect":2,"time":1})",
       "h.jsonl:2: field 'expect': only a cas has one"},
      {R"({"process":1,"type":"invoke","f":"read","time":1,"vale":3})",
       "h.jsonl:2: field 'vale': unknown field (the fields are process, type, f, key, value, "
       "expect, time)"},
      {R"({"process":0,"type":"invoke","f":"read","time":12})",
       "h.jsonl:2: field 'process': '0' invokes a read while its write invoked at 0.000s is "
       "still open (at most one open op per process)"},
      {R"({"process":0,"type":"ok","f":"read","time":12})",
       "h.jsonl:2: field 'f': '0' completes a read but its open op is a write"},
      {R"({"process":0,"type":"ok","key":"y","time":12})",
       "h.jsonl:2: field 'key': '0' completes an op on 'y' but its open op is on 'x'"},
      {R"({"process":0,"type":"ok","time":5})",
       "h.jsonl:2: field 'time': completes before its invocation"},
      {R"({"process":7,"type":"fail","time":12})",
       "h.jsonl:2: field 'type': '7' completes an op (fail) it never invoked"},
  };
  for (const BadLine& c : cases) {
    const std::string message = error_of(std::string(kInvokeWrite) + c.line + "\n");
    EXPECT_EQ(message.substr(0, std::string(c.message).size()), c.message) << c.line;
  }
}

TEST(HistoryJsonl, AReadOkMustSayWhatItRead) {
  EXPECT_EQ(error_of(R"({"process":0,"type":"invoke","f":"read","time":1})"
                     "\n"
                     R"({"process":0,"type":"ok","time":2})"
                     "\n"),
            "h.jsonl:2: field 'value': a read's ok must carry the value read (null for none)");
  const History h = read(R"({"process":0,"type":"invoke","f":"read","time":1})"
                         "\n"
                         R"({"process":0,"type":"ok","value":null,"time":2})"
                         "\n");
  EXPECT_EQ(h.ops[0].value, kNil);
}

TEST(HistoryJsonl, AnOperationTheModelDoesNotKnow_IsRefused) {
  EXPECT_EQ(error_of(kInvokeWrite, Model::lock),
            "h.jsonl:1: field 'f': the lock model has no 'write' (it knows acquire, release)");
  EXPECT_EQ(error_of(R"({"process":0,"type":"invoke","f":"cas","value":1,"expect":0,"time":1})"
                     "\n",
                     Model::register_),
            "h.jsonl:1: field 'f': the register model has no 'cas' (it knows read, write)");
}

TEST(HistoryJsonl, AnEmptyHistory_IsRefused) {
  EXPECT_EQ(error_of("\n  \n"), "h.jsonl: holds no operations");
}

TEST(HistoryJsonl, ALongLine_IsRefusedBeforeParsing) {
  std::istringstream in(std::string(100, ' ') + "x\n");
  HistoryLimits limits;
  limits.max_line_bytes = 50;
  try {
    read_history(in, "h.jsonl", Model::cas, limits);
    ADD_FAILURE() << "read a line over the limit";
  } catch (const HistoryError& e) {
    EXPECT_EQ(std::string(e.what()), "h.jsonl:1: line longer than 50 bytes");
  }
}

// The worked example of docs/history-format.md reads and has the verdict the page states.
TEST(HistoryJsonl, TheWorkedExamples_HaveTheirDocumentedVerdicts) {
  struct Example {
    const char* file;
    Model model;
    Result result;
  };
  const Example examples[] = {
      {"tests/data/histories/register-ok.jsonl", Model::register_, Result::linearizable},
      {"tests/data/histories/register-stale-read.jsonl", Model::register_,
       Result::not_linearizable},
      {"tests/data/histories/lock-two-holders.jsonl", Model::lock, Result::not_linearizable},
  };
  for (const Example& e : examples) {
    std::ifstream in(e.file);
    ASSERT_TRUE(in) << e.file << " (run from the source root)";
    const History h = read_history(in, e.file, e.model);
    EXPECT_EQ(check(h, e.model).result, e.result) << e.file;
  }
}

}  // namespace
}  // namespace lockstep::checkers::linearizable
