// `run --log`: the run as a story, one semantic event per line in its node's column, in order.
#include <gtest/gtest.h>

#include <sstream>

#include "tools/engine/runner.hpp"
#include "tools/render/story_log.hpp"

namespace lockstep::tools {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// The column a line writes in: the index of the '|' that starts it, counted from the left.
int column_of(const std::string& line, const std::string& text) {
  const size_t at = line.find(text);
  if (at == std::string::npos) return -1;
  int bars = 0;
  for (size_t i = 0; i < at; ++i) bars += line[i] == '|' ? 1 : 0;
  return bars;
}

class Story : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const sim::Catalog catalog = make_catalog();
    const sim::Scenario s =
        sim::load_scenario("scenarios/lease-lock/pause-without-fencing.yaml", catalog);
    text_ = new std::string;
    StoryLog story([](std::string_view s) { text_->append(s); });
    RunOptions options;
    options.extra_sinks.push_back(&story);
    run_scenario(s, options);
  }
  static void TearDownTestSuite() { delete text_; }
  static std::string* text_;
};
std::string* Story::text_ = nullptr;

const std::string* find_line(const std::vector<std::string>& lines, const std::string& text) {
  for (const std::string& l : lines) {
    if (l.find(text) != std::string::npos) return &l;
  }
  return nullptr;
}

TEST_F(Story, EachEventIsWrittenInItsNodesColumn) {
  const std::vector<std::string> lines = lines_of(*text_);
  // Columns: 1 world, then lock, store, c1, c2 in declaration order.
  const std::string* head = find_line(lines, "lock (server)");
  ASSERT_NE(head, nullptr);
  EXPECT_EQ(column_of(*head, "c1 (client)"), 4);
  const struct {
    const char* text;
    int column;
  } expected[] = {{"PAUSED", 4},      {"lease c1 #1 ended", 2},
                  {"ACQUIRED #2", 5}, {"STALE WRITE c1 #1", 3},
                  {"EXPIRED #1", 4},  {"resumed", 4}};
  for (const auto& e : expected) {
    const std::string* line = find_line(lines, e.text);
    ASSERT_NE(line, nullptr) << e.text;
    EXPECT_EQ(column_of(*line, e.text), e.column) << *line;
    EXPECT_EQ(line->find('|'), head->find('|')) << "the time column is aligned: " << *line;
  }
}

TEST_F(Story, NetworkAndTimersAreLeftOutAndRepeatsFolded) {
  const std::string body = text_->substr(text_->find('\n'));  // the title names them
  EXPECT_EQ(body.find("net."), std::string::npos);
  EXPECT_EQ(body.find("timer."), std::string::npos);
  EXPECT_NE(body.find("write c2 #2 x"), std::string::npos) << "repeated writes fold";
  EXPECT_NE(body.find("deny c2 x"), std::string::npos) << "repeated denials fold";
  EXPECT_LT(lines_of(*text_).size(), 80u);
}

TEST_F(Story, LinesAreInTimeOrder) {
  double last = -1;
  for (const std::string& line : lines_of(*text_)) {
    if (line.empty() || !std::isdigit(static_cast<unsigned char>(line[0]))) continue;
    const double t = std::stod(line.substr(0, line.find('s')));
    EXPECT_GE(t, last) << line;
    last = t;
  }
  EXPECT_GT(last, 59.0);  // the closing line at the run's end
}

TEST(StoryLog, AKindItDoesNotKnowStillReads) {
  std::string out;
  StoryLog story([&](std::string_view s) { out.append(s); });
  sim::TraceInfo info;
  info.node_ids = {"a"};
  story.begin(info);
  sim::Event e;
  e.kind = sim::Kind::net_send;  // not a story event, but phrase() must still say something
  e.field_count = 1;
  e.fields[0] = {sim::Key::msg_id, 4};
  EXPECT_EQ(story.phrase(e), "net.send msg_id=4");
}

}  // namespace
}  // namespace lockstep::tools
