// The timeline page: it holds the story of a run (lanes, holdings, the pause, the lease expiry,
// the stale write, the violations), stands alone (no network), and stays bounded for big runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tools/engine/runner.hpp"
#include "tools/render/timeline.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;

struct Page {
  std::string html;
  nlohmann::json data;
  RunReport report;
};

nlohmann::json embedded_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"timeline-data\">";
  const size_t a = html.find(open);
  EXPECT_NE(a, std::string::npos);
  const size_t b = html.find("</script>", a);
  return nlohmann::json::parse(html.substr(a + open.size(), b - a - open.size()));
}

Page timeline_of(const std::string& scenario_text, const std::string& file) {
  const sim::Catalog catalog = make_catalog();
  const sim::Scenario s = file.empty() ? sim::load_scenario_text(scenario_text, "t.yaml", catalog)
                                       : sim::load_scenario(file, catalog);
  TimelineSink sink;
  RunOptions options;
  options.extra_sinks.push_back(&sink);
  Page p;
  p.report = run_scenario(s, options);
  p.html = sink.html(p.report.results, {s.summary, sim::hash_hex(p.report.hash), "replay"});
  p.data = embedded_data(p.html);
  return p;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int node_index(const nlohmann::json& d, const std::string& id) {
  for (size_t i = 0; i < d["nodes"].size(); ++i) {
    if (d["nodes"][i]["id"] == id) return static_cast<int>(i);
  }
  return -1;
}

class PauseWithoutFencing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    page_ = new Page(timeline_of("", "scenarios/lease-lock/pause-without-fencing.yaml"));
  }
  static void TearDownTestSuite() { delete page_; }
  static Page* page_;
};
Page* PauseWithoutFencing::page_ = nullptr;

TEST_F(PauseWithoutFencing, TheDataHoldsEveryPartOfTheStory) {
  const nlohmann::json& d = page_->data;
  ASSERT_EQ(d["nodes"].size(), 4u);
  const int c1 = node_index(d, "c1"), c2 = node_index(d, "c2"), lock = node_index(d, "lock");
  bool pause = false, second_holder = false, expiry = false, stale = false;
  for (const auto& s : d["spans"]) {
    pause = pause || (s["node"] == c1 && s["kind"] == "pause" && s["t0"] == 5'000'000'000 &&
                      s["t1"] == 20'000'000'000);
  }
  for (const auto& b : d["bars"]) {
    second_holder = second_holder || (b["node"] == c2 && b["kind"] == "lock" && b["value"] == 2);
  }
  for (const auto& m : d["marks"]) {
    expiry = expiry || (m["node"] == lock && m["kind"] == "lease-ended" && m["holder"] == c1 &&
                        m["token"] == 1);
  }
  for (const auto& w : d["writes"]) {
    stale = stale || (w["writer"] == c1 && w["token"] == 1 && w["status"] == "stale");
  }
  EXPECT_TRUE(pause) << "c1 paused from 5s to 20s";
  EXPECT_TRUE(second_holder) << "c2 holds with token 2";
  EXPECT_TRUE(expiry) << "the server ends c1's lease";
  EXPECT_TRUE(stale) << "the store accepts c1's stale write";
}

TEST_F(PauseWithoutFencing, TheDataIsVersionedAndEvidenceCarriesItsFields) {
  EXPECT_EQ(page_->data["version"], kTimelineDataVersion);
  bool stale_write_fields = false;
  for (const auto& v : page_->data["verdicts"]) {
    if (v["checker"] != "fenced_writes" || v["verdict"] != "violated") continue;
    const auto& deciding = v["evidence"][v["at"].get<size_t>()];
    stale_write_fields = deciding["fields"].value("token", -1) == 1 &&
                         deciding["fields"].value("writer", -1) == node_index(page_->data, "c1");
  }
  EXPECT_TRUE(stale_write_fields) << "the stale write's evidence names its token and writer";
}

TEST_F(PauseWithoutFencing, ViolationsCarryTheirDecidingEventAndExplanation) {
  const nlohmann::json& d = page_->data;
  int numbered = 0;
  for (const auto& v : d["verdicts"]) {
    if (v["verdict"] != "violated") {
      EXPECT_FALSE(v.contains("n")) << v.dump();
      continue;
    }
    ++numbered;
    EXPECT_FALSE(v["explanation"].get<std::string>().empty());
    const auto& deciding = v["evidence"][v["at"].get<size_t>()];
    if (v["checker"] == "mutual_exclusion") {
      EXPECT_EQ(deciding["kind"], "lock.acquired");
      EXPECT_EQ(deciding["t"], 14'157'243'942);  // c2's acquisition, to the nanosecond
      EXPECT_EQ(deciding["node"], node_index(d, "c2"));
    }
    if (v["checker"] == "fenced_writes") {
      EXPECT_EQ(deciding["kind"], "resource.write");
      EXPECT_EQ(deciding["t"], 20'001'572'178);
    }
  }
  EXPECT_EQ(numbered, 2);
}

TEST_F(PauseWithoutFencing, ThePageStandsAlone) {
  const std::string& html = page_->html;
  EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("://"), std::string::npos) << "the page names a URL";
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_LT(html.size(), 200'000u);
}

TEST_F(PauseWithoutFencing, EveryDrawnEventCarriesItsClockReadingsAndFields) {
  // The hover and the details panel read these; a system-wide event has no node's clock.
  const nlohmann::json& d = page_->data;
  size_t checked = 0;
  for (const char* list : {"marks", "writes", "drops", "bars"}) {
    for (const auto& item : d[list]) {
      ASSERT_TRUE(item.contains("ev")) << list << ": " << item.dump();
      const auto& ev = item["ev"];
      ASSERT_TRUE(ev.is_object()) << list << ": " << item.dump();
      EXPECT_TRUE(ev["kind"].is_string());
      EXPECT_TRUE(ev["mono"].is_number_integer());
      EXPECT_TRUE(ev["wall"].is_number_integer());
      EXPECT_TRUE(ev["fields"].is_object());
      ++checked;
    }
  }
  EXPECT_GT(checked, 10u);
  for (const auto& m : d["msgs"]) {
    for (const char* k : {"id", "mono0", "wall0", "mono1", "wall1"}) {
      EXPECT_TRUE(m[k].is_number_integer()) << k << ": " << m.dump();
    }
  }
}

TEST(Timeline, RejectedWritesCarryWriterTokenAndHighest) {
  // pause-with-fencing: the resumed c1 writes with token 1 after c2's token 2 was accepted.
  const Page p = timeline_of("", "scenarios/lease-lock/pause-with-fencing.yaml");
  int rejected = 0;
  for (const auto& w : p.data["writes"]) {
    if (w["status"] != "rejected") continue;
    ++rejected;
    EXPECT_EQ(w["writer"], node_index(p.data, "c1"));
    EXPECT_EQ(w["token"], 1);
    EXPECT_EQ(w["highest"], 2);
    EXPECT_EQ(w["ev"]["kind"], "resource.rejected");
    EXPECT_EQ(w["ev"]["fields"]["writer"], "c1");
    EXPECT_EQ(w["ev"]["fields"]["highest"], "2");
  }
  EXPECT_GE(rejected, 1);
  for (const auto& w : p.data["writes"]) {
    if (w["status"] != "rejected") {
      EXPECT_TRUE(w["highest"].is_null()) << w.dump();
    }
  }
}

TEST(Timeline, CutSpansNameTheirFaultAndClocksDrift) {
  // raft/partial-partition: n1's links to n3, n4 and n5 are cut for the whole run, and every
  // clock drifts by up to 100ppm.
  const Page p = timeline_of("", "scenarios/raft/partial-partition.yaml");
  const nlohmann::json& d = p.data;
  std::set<int> cut_nodes;
  for (const auto& s : d["spans"]) {
    if (s["kind"] != "cut") continue;
    cut_nodes.insert(s["node"].get<int>());
    ASSERT_TRUE(s.contains("faults")) << s.dump();
    ASSERT_EQ(s["faults"].size(), 1u) << s.dump();
    EXPECT_EQ(s["faults"][0].get<std::string>().rfind("cut n1->n3", 0), 0u) << s.dump();
    EXPECT_EQ(s["ev"]["kind"], "fault.cut");
  }
  EXPECT_EQ(cut_nodes, (std::set<int>{node_index(d, "n1"), node_index(d, "n3"), node_index(d, "n4"),
                                      node_index(d, "n5")}));
  bool drifted = false;
  for (const auto& m : d["msgs"]) {
    drifted = drifted || m["wall0"] != m["t0"] || m["mono1"] != m["t1"];
  }
  EXPECT_TRUE(drifted) << "the drawn arrows carry the drifting clocks' readings";
}

TEST(Timeline, TextCannotCloseTheDataScript) {
  TimelineSink sink;
  sim::TraceInfo info;
  info.scenario = "</script><script>alert(1)</script>";
  info.duration_ns = 1'000'000'000;
  info.node_ids = {"a"};
  info.node_roles = {"x"};
  sink.begin(info);
  sim::Event e;
  e.at = sim::Instant{5};
  e.node = 0;
  e.kind = sim::Kind::fault_pause;
  e.text = "</script>";
  sink.on_event(e);
  sink.end(sim::Instant{info.duration_ns});
  const std::string html = sink.html({}, {"</script>", "", ""});
  const size_t open = html.find("id=\"timeline-data\">");
  const size_t close = html.find("</script>", open);
  const std::string data = html.substr(open, close - open);
  EXPECT_EQ(data.find('<'), std::string::npos);
  EXPECT_EQ(embedded_data(html)["scenario"], info.scenario);  // still readable
}

TEST(Timeline, ABusyRunIsSampledAndStaysSmall) {
  // 50 nodes each sending to every other every 200ms for 20s: about 245 thousand messages.
  const Page p = timeline_of(
      "duration: 20s\nprotocol: {name: heartbeat, params: {interval: 200ms}}\nnodes: 50\n"
      "network: {latency: 1ms, loss: 0.01}\n",
      "");
  const nlohmann::json& c = p.data["counts"];
  EXPECT_GT(c["sent"].get<int64_t>(), 100'000);
  EXPECT_LE(c["shown"].get<int64_t>(), 2000);
  EXPECT_GT(c["shown"].get<int64_t>(), 1000);  // every stretch of the run keeps its arrows
  EXPECT_LE(p.data["drops"].size(), 2000u);
  EXPECT_EQ(p.data["nodes"].size(), 50u);
  EXPECT_LT(p.html.size(), 1'500'000u);
}

TEST(Timeline, WriteIsAtomic) {
  TimelineSink sink;
  sim::TraceInfo info;
  info.duration_ns = 10;
  info.node_ids = {"a"};
  sink.begin(info);
  sink.end(sim::Instant{10});
  const fs::path dir = fs::temp_directory_path() / ("lockstep-tl-" + std::to_string(getpid()));
  fs::create_directories(dir);
  // A reader that opened the old page (here: a second name for its inode) keeps reading it
  // whole: the new page replaces it by rename, it is never rewritten in place.
  { std::ofstream(dir / "t.html") << "old page"; }
  fs::create_hard_link(dir / "t.html", dir / "reader.html");
  EXPECT_TRUE(sink.write((dir / "t.html").string(), {}, {}));
  EXPECT_NE(slurp(dir / "t.html").find("timeline-data"), std::string::npos);
  EXPECT_EQ(slurp(dir / "reader.html"), "old page");
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(name == "t.html" || name == "reader.html") << "left behind: " << name;
  }
  EXPECT_FALSE(sink.write((dir / "missing" / "t.html").string(), {}, {}));
  EXPECT_FALSE(fs::exists(dir / "missing"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lockstep::tools
