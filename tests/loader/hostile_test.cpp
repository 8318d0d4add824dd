// Hostile input to the scenario loader (issue 17): text that made yaml-cpp 0.7 loop, tags and
// quoted numbers that were silently accepted, values that overflowed, files that are not files.
// Each case ends in an InputError naming the position, never a hang, crash or silent accept.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "sim/io/yaml_guard.hpp"
#include "sim/scenario/scenario.hpp"

namespace lockstep::sim {
namespace {

const Catalog& catalog() {
  static const Catalog c = [] {
    ProtocolSpec toy;
    toy.name = "toy";
    toy.summary = "a fake protocol for hostile-input tests";
    toy.roles = {{"server", "grants"}, {"client", "asks"}};
    toy.params = {{"lease", ParamType::duration, "10s", "lease length"},
                  {"ratio", ParamType::number, "0.5", "a fraction"}};
    toy.observations = {{"lock.acquired", "client", {}, "holds"}};
    std::vector<CheckerSpec> checkers = {
        {"mutual_exclusion", "one holder at a time", {}},
        {"liveness",
         "progress",
         {{"within", ParamType::duration, "10s", "deadline", {}, nullptr, true}}}};
    return Catalog({std::move(toy)}, std::move(checkers));
  }();
  return c;
}

constexpr const char* kHead = "protocol: {name: toy}\nnodes: 2\n";

// The loader's error for `text`, or "" when it loads.
std::string error_of(const std::string& text) {
  try {
    load_scenario_text(text, "t.yaml", catalog());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string file_error_of(const std::string& path) {
  try {
    load_scenario(path, catalog());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

// yaml-cpp 0.7's scanner loops forever, growing memory, on these (jbeder/yaml-cpp#1040).
TEST(YamlGuard, ScannerLoopInputs_AreSyntaxErrorsWithAPosition) {
  for (const std::string& text :
       {std::string(","), std::string("!a,b"), std::string("\0,", 2), std::string("- a\n,")}) {
    const std::string what = error_of(text);
    EXPECT_HAS(what, "t.yaml:");
    EXPECT_HAS(what, "yaml syntax error");
  }
  EXPECT_EQ(error_of("- a\n,"),
            "t.yaml:2:1: yaml syntax error: did not find expected '-' "
            "indicator (while parsing a block collection)");
}

// libyaml ends the name `&tio:x` at the ':' and yaml-cpp does not, then loops on the ',' that
// follows: the guard refuses a name not followed by a space (both found by the fuzzer).
TEST(YamlGuard, AnchorNamesTheParsersReadDifferently_AreRefused) {
  for (const std::string& text :
       {std::string("&tio:eplying,3n"), std::string("&m4y:,r !>  rrhTo s"),
        std::string(kHead) + "x: &a 1\ny: [*a:b]\n"}) {
    const std::string what = error_of(text);
    EXPECT_HAS(what, "yaml syntax error: the ");
    EXPECT_HAS(what, "is followed by");
  }
  EXPECT_EQ(error_of(std::string(kHead) + "seed: &s:1 ,\n"),
            "t.yaml:3:9: yaml syntax error: the anchor name '&s' is followed by ':'; names are "
            "letters, digits, '-' and '_', and a space must follow them");
  // Names ended by a space or a flow indicator keep working.
  EXPECT_EQ(error_of(std::string(kHead) + "seed: &s 3\nx: [&a 1, *a]\n").find("followed by"),
            std::string::npos);
}

// libyaml continues `&- a` onto the next line's ',' (the scalar "a ,"); yaml-cpp reads a lone
// flow entry there and loops (found by the fuzzer). Inside brackets such a line is fine.
TEST(YamlGuard, APlainValueContinuedOnALineStartingWithAComma_IsRefused) {
  for (const std::string& text :
       {std::string("&- a\n,"), std::string("&x a\n,"), std::string(kHead) + "x: a\n  ,b\n"}) {
    EXPECT_HAS(error_of(text),
               "yaml syntax error: a line that continues a plain value starts with ','");
  }
  EXPECT_EQ(error_of("&- a\n,").substr(0, 10), "t.yaml:2:1");
  EXPECT_EQ(error_of(std::string(kHead) + "x: [a\n, b]\n").find("continues"), std::string::npos);
}

// Also when the continuation starts with an anchor, a tag or an alias: yaml-cpp reads the token,
// then a ',' after it as a lone flow entry, and loops (the fuzzer's `&- a\n&m2y:,v[---`).
TEST(YamlGuard, APlainValueContinuedOnALineStartingWithAnAnchorOrTag_IsRefused) {
  for (const char* start : {"&", "!", "*"}) {
    for (const std::string& text : {"&- a\n" + std::string(start) + "m2y:,v[-- a\n--,[",
                                    "&x a\n" + std::string(start) + "m,v",
                                    std::string(kHead) + "x: a\n  " + start + "m ,\n"}) {
      EXPECT_HAS(error_of(text), std::string("yaml syntax error: a line that continues a plain "
                                             "value starts with '") +
                                     start + "'");
    }
  }
  EXPECT_EQ(error_of("&x a\n&m,v").substr(0, 10), "t.yaml:2:1");
  // An anchor or a tag on a line of its own, or inside brackets, is still read as YAML reads it.
  EXPECT_EQ(error_of(std::string(kHead) + "x: [a,\n &m b]\n").find("continues"), std::string::npos);
  EXPECT_EQ(error_of(std::string(kHead) + "seed: &s 3\nduration: *s\n").find("continues"),
            std::string::npos);
}

TEST(YamlGuard, ExplicitTags_AreRefusedAtTheirPosition) {
  EXPECT_EQ(error_of(std::string(kHead) + "duration: !evil 10s\n"),
            "t.yaml:3:11: explicit tags such as '!evil' are not supported; write the value "
            "plainly");
  EXPECT_HAS(error_of(std::string(kHead) + "protocol_x: !!str 0.5\n"),
             "t.yaml:3:13: explicit tags");
}

TEST(ExactTypes, QuotedNumbers_AreStringsNotNumbers) {
  EXPECT_EQ(error_of(std::string(kHead) + "seed: \"7\"\n"),
            "t.yaml:3:7: seed: expected a non-negative integer, got the quoted string '7'; "
            "write it without quotes");
  EXPECT_HAS(error_of(std::string(kHead) + "duration: '10s'\n"), "t.yaml:3:11: duration:");
  EXPECT_HAS(error_of("protocol: {name: toy, params: {ratio: \"0.5\"}}\nnodes: 2\n"),
             "t.yaml:1:39: protocol.params.ratio: expected a number, got the quoted string");
}

TEST(YamlGuard, NullKey_IsReportedOnItsOwnLine) {
  std::string text = kHead;
  for (int i = 3; i < 10; ++i) text += "# line " + std::to_string(i) + "\n";
  text += "~: 1\n";
  EXPECT_EQ(error_of(text), "t.yaml:10:1: keys must be plain words, got an empty (null) key");
}

TEST(YamlGuard, LoneCarriageReturns_AreNotAnEmptyFile) {
  EXPECT_EQ(error_of("protocol: {name: toy}\rnodes: 2\r"),
            "t.yaml:1:22: a line ends with a lone carriage return; use LF or CRLF line ends");
  EXPECT_EQ(error_of("protocol: {name: toy}\r\nnodes: 2\r\n"), "");
}

TEST(YamlGuard, InvalidUtf8_IsASyntaxErrorAtItsByte) {
  const std::string what = error_of(std::string(kHead) + "name: \"caf\xC3\x28\"\n");
  EXPECT_HAS(what, "t.yaml:3:");
  EXPECT_HAS(what, "invalid");
}

TEST(YamlGuard, ManyKeys_AreCheckedInLinearTimeAndDuplicatesFound) {
  std::string text = kHead;
  for (int i = 0; i < 99'990; ++i) text += "k" + std::to_string(i) + ": 1\n";
  text += "k7: 2\n";
  // 100,000 distinct keys used to take minutes (a quadratic duplicate scan); now the duplicate
  // at the end is found at once.
  EXPECT_EQ(error_of(text), "t.yaml:99993:1: k7: duplicate key 'k7' (first given at line 10)");
  for (int i = 0; i < 20; ++i) text += "z" + std::to_string(i) + ": 1\n";
  EXPECT_EQ(error_of(text), "t.yaml:100001:1: too many keys in one mapping (the limit is 100000)");
}

TEST(YamlGuard, Limits_BoundDepthNodesAndBytes) {
  EXPECT_HAS(error_of(std::string(kHead) + "x: " + std::string(200, '[') + std::string(200, ']')),
             "nested too deeply (the limit is 64 levels)");
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    const char prev = static_cast<char>(c - 1);
    laughs += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) laughs += std::string(i ? ", " : "") + "*" + prev;
    laughs += "]\n";
  }
  EXPECT_HAS(error_of(laughs), "too large: more than 2000000 values (aliases counted as expanded)");
  YamlLimits small;
  small.max_bytes = 10;
  EXPECT_THROW(guard_yaml("a: 12345678901", "t.yaml", small), InputError);
}

TEST(Arithmetic, DurationsTooLargeForInt64_AreRefusedAsTooLarge) {
  for (const char* d : {"9223372039s", "2562048h", "99999999999999999999999ns"}) {
    const std::string what = error_of(std::string(kHead) + "duration: " + d + "\n");
    EXPECT_HAS(what, "t.yaml:3:11: duration: the duration");
    EXPECT_HAS(what, "is too large");
    EXPECT_EQ(what.find("negative"), std::string::npos) << what;
  }
  // Representable but beyond 100 years: a start plus a length could overflow, so refused too.
  EXPECT_HAS(error_of(std::string(kHead) + "duration: 2562047h\n"), "is too large");
  EXPECT_EQ(error_of(std::string(kHead) + "duration: 876000h\n"), "");
}

// `within: 0` used to escape as std::invalid_argument from checker construction, killing whole
// folder runs and explores; a `positive` param is now refused where it is written.
TEST(ExactTypes, PositiveParamAtZero_IsAnInputErrorAtTheKey) {
  EXPECT_EQ(error_of(std::string(kHead) + "checkers:\n  - liveness: {within: 0s}\n"),
            "t.yaml:4:24: checkers[0].liveness.within: must be greater than 0, got '0s'");
  EXPECT_EQ(error_of(std::string(kHead) + "checkers:\n  - liveness: {within: 1ms}\n"), "");
}

// A protocol refuses its params only when a run starts; the loader kept where each was given so
// that the refusal names the file, line and column of the key.
TEST(ProtocolErrors, Blame_PointsAtTheParamTheMessageNames) {
  const Scenario s = load_scenario_text(
      "protocol:\n  name: toy\n  params: {ratio: 0.5}\nnodes:\n  - {id: a, params: {lease: 0s}}\n",
      "t.yaml", catalog());
  const auto [pos, key] = blame_protocol_error(s, "toy: param 'lease' must be greater than 0s");
  EXPECT_EQ(key, "nodes[0].params.lease");
  EXPECT_EQ(pos.line, 5);
  EXPECT_EQ(pos.column, 22);
  EXPECT_EQ(blame_protocol_error(s, "toy: ratio must be below 1").first.line, 3);
  EXPECT_EQ(blame_protocol_error(s, "toy: expected exactly one node with role 'server'").second,
            "nodes");
  EXPECT_EQ(blame_protocol_error(s, "toy: something else").second, "protocol");
  EXPECT_EQ(blame_protocol_error(s, "toy: something else").first.line, 2);
}

class HostileFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("lockstep-hostile-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const char* name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(HostileFiles, Fifo_IsRefusedWithoutBlocking) {
  ASSERT_EQ(::mkfifo(path("f.yaml").c_str(), 0600), 0);
  EXPECT_EQ(file_error_of(path("f.yaml")),
            path("f.yaml") +
                ": cannot open scenario file: not a regular file (a device, FIFO or "
                "socket)");
}

TEST_F(HostileFiles, Devices_AreRefusedNotReadForever) {
  for (const char* dev : {"/dev/zero", "/dev/urandom", "/dev/null"}) {
    EXPECT_HAS(file_error_of(dev), "not a regular file");
  }
}

TEST_F(HostileFiles, SymlinkLoop_IsAnInputError) {
  std::filesystem::create_symlink(path("b.yaml"), path("a.yaml"));
  std::filesystem::create_symlink(path("a.yaml"), path("b.yaml"));
  EXPECT_HAS(file_error_of(path("a.yaml")), "cannot open scenario file: Too many levels");
}

TEST_F(HostileFiles, ProcMem_IsAReadErrorNotAnEmptyFile) {
  const std::string what = file_error_of("/proc/self/mem");
  EXPECT_HAS(what, "cannot read scenario file");
  EXPECT_EQ(what.find("empty"), std::string::npos) << what;
}

TEST_F(HostileFiles, OversizedFile_IsRefusedAfterTheLimit) {
  {
    std::FILE* f = std::fopen(path("big.yaml").c_str(), "w");
    ASSERT_NE(f, nullptr);
    const std::string line = "# " + std::string(1000, 'x') + "\n";
    for (int i = 0; i < 9000; ++i) std::fputs(line.c_str(), f);
    std::fclose(f);
  }
  EXPECT_HAS(file_error_of(path("big.yaml")),
             "cannot read scenario file: it is larger than the limit of 8388608 bytes");
}

}  // namespace
}  // namespace lockstep::sim
