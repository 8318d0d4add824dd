// The `<!-- lockstep:dashboard scenario=F out=PATH -->` block: docs render writes a Grafana
// dashboard of exactly the metric families `lockstep run F --metrics` exports (checked against
// that text, parsed here), byte for byte the same on every rendering; docs check names the
// page and line when the JSON is hand-edited, stale or gone, when out= is unusable, and when
// the page's text about it is stale.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/support.hpp"
#include "tools/docs/dashboard.hpp"
#include "tools/docs/docs.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr const char* kScenario = "scenarios/lease-lock/clean.yaml";
constexpr const char* kOut = "docs/dashboards/example.json";
constexpr int kMarkerLine = 7;

constexpr const char* kPage = R"(# Example pattern

## 7. Observability

### Dashboard

<!-- lockstep:dashboard scenario=scenarios/lease-lock/clean.yaml out=docs/dashboards/example.json -->
<!-- /lockstep:dashboard -->
)";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

void replace(const fs::path& p, const std::string& from, const std::string& to) {
  std::string text = read(p);
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  write(p, text);
}

// One family of the OpenMetrics text, as a scraper reads it.
struct Family {
  std::string name;
  std::string unit;  // the # UNIT, "" without one
  std::string help;
};

// The families of `lockstep run --metrics` output, in order (what cmd_run writes).
std::vector<Family> parse_openmetrics(const std::string& text) {
  static const std::regex meta(R"(^# (TYPE|UNIT|HELP) (\S+) (.*)$)");
  std::vector<Family> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, meta)) continue;
    if (m[1] == "TYPE") out.push_back({m[2], "", ""});
    EXPECT_FALSE(out.empty()) << line;
    if (out.empty()) continue;
    EXPECT_EQ(out.back().name, m[2]) << line;
    if (m[1] == "UNIT") out.back().unit = m[3];
    if (m[1] == "HELP") out.back().help = m[3];  // no \\ or \n in this project's help texts
  }
  return out;
}

class Dashboard : public ::testing::Test {
 protected:
  void SetUp() override {
    // The root sits one level down, so a bad out= that escapes it lands in base_, which is ours.
    base_ = fs::temp_directory_path() / ("lockstep-dashboard-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    root_ = base_ / "root";
    page_ = root_ / "docs/patterns/example.md";
    json_ = root_ / kOut;
    write(root_ / kScenario, read(kScenario));
    write(page_, kPage);
  }
  void TearDown() override { fs::remove_all(base_); }

  DocsReport render() { return render_docs(root_.string(), catalog_); }
  DocsReport check() { return check_docs(root_.string(), catalog_); }

  // What `lockstep run kScenario --metrics out.prom` writes, run as a user runs it.
  std::string exported() const {
    const fs::path prom = base_ / "out.prom";
    const testing::CliResult r = testing::run_lockstep("run " + (root_ / kScenario).string() +
                                                       " --metrics " + prom.string());
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return read(prom);
  }

  // `lockstep docs check` on the root, as a user runs it: exit code 1 and `page:line: what`.
  void expect_cli_problem(const std::string& what) {
    const testing::CliResult r =
        testing::run_lockstep("docs check --no-cache --root " + root_.string());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("docs/patterns/example.md:" + std::to_string(kMarkerLine) + ": " + what),
              std::string::npos)
        << r.out;
  }

  // Exactly one problem, on the marker's line, saying `what`.
  void expect_one(const DocsReport& r, const std::string& what) {
    std::string all;
    for (const DocProblem& p : r.problems) all += std::to_string(p.line) + ": " + p.what + "\n";
    ASSERT_EQ(r.problems.size(), 1u) << all;
    EXPECT_EQ(r.problems[0].page, "docs/patterns/example.md");
    EXPECT_EQ(r.problems[0].line, kMarkerLine) << r.problems[0].what;
    EXPECT_NE(r.problems[0].what.find(what), std::string::npos) << r.problems[0].what;
  }

  sim::Catalog catalog_ = make_catalog();
  fs::path base_;
  fs::path root_;
  fs::path page_;
  fs::path json_;
};

// Two rectangles of Grafana's grid share a cell.
bool overlap(const Json& a, const Json& b) {
  const int ax = a["x"], ay = a["y"], aw = a["w"], ah = a["h"];
  const int bx = b["x"], by = b["y"], bw = b["w"], bh = b["h"];
  return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}

TEST_F(Dashboard, RenderWritesOnePanelPerExportedFamilyInTheExportersOrder) {
  const DocsReport r = render();
  ASSERT_TRUE(r.problems.empty()) << r.problems.front().what;
  const std::vector<Family> families = parse_openmetrics(exported());
  ASSERT_GE(families.size(), 5u);
  const Json d = Json::parse(read(json_));
  const Json& panels = d["panels"];
  ASSERT_EQ(panels.size(), families.size());
  static const std::regex expr(R"(^(lockstep_[a-z0-9_]+)\{scenario="\$scenario",seed=~"\$seed"\}$)");
  std::set<int> ids;
  for (size_t i = 0; i < panels.size(); ++i) {
    const Json& p = panels[i];
    const Family& f = families[i];
    const std::string e = p["targets"][0]["expr"];
    std::smatch m;
    ASSERT_TRUE(std::regex_match(e, m, expr)) << e;
    EXPECT_EQ(m[1], f.name) << "panel " << i << " queries another family than the exporter's";
    EXPECT_TRUE(ids.insert(p["id"].get<int>()).second) << "panel id twice: " << p["id"];
    EXPECT_EQ(p["description"], f.help) << f.name;
    EXPECT_EQ(p["fieldConfig"]["defaults"]["unit"], f.unit == "seconds" ? "s" : "none") << f.name;
    EXPECT_EQ(p["type"], f.unit.empty() ? "stat" : "timeseries") << f.name;
    const Json& g = p["gridPos"];
    EXPECT_GE(g["x"].get<int>(), 0);
    EXPECT_LE(g["x"].get<int>() + g["w"].get<int>(), 24) << "off Grafana's 24-column grid";
    for (size_t k = 0; k < i; ++k) {
      EXPECT_FALSE(overlap(g, panels[k]["gridPos"])) << "panels " << k << " and " << i;
    }
  }
  bool seconds = false, count = false;
  for (const Family& f : families) seconds |= f.unit == "seconds", count |= f.unit.empty();
  EXPECT_TRUE(seconds && count) << "the scenario should export both kinds of unit";
}

TEST_F(Dashboard, TheDashboardNamesTheScenarioAndTemplatesItsLabels) {
  render();
  const Json d = Json::parse(read(json_));
  const RunReport r = run_scenario(sim::load_scenario(kScenario, catalog_), {});
  EXPECT_EQ(d["title"], "lockstep: " + r.scenario);
  EXPECT_EQ(d["uid"], dashboard_uid(kOut));
  EXPECT_LE(d["uid"].get<std::string>().size(), 40u);
  EXPECT_TRUE(d["schemaVersion"].is_number_integer());
  std::map<std::string, Json> vars;
  for (const Json& v : d["templating"]["list"]) vars[v["name"]] = v;
  ASSERT_TRUE(vars.count("scenario"));
  ASSERT_TRUE(vars.count("seed"));
  EXPECT_EQ(vars["scenario"]["current"]["value"], r.scenario);
  // The label value the exporter writes for this scenario is what the variable selects.
  EXPECT_NE(exported().find("{scenario=\"" + r.scenario + "\""), std::string::npos);
}

TEST_F(Dashboard, RenderingIsByteForByteStable) {
  render();
  const std::string first = read(json_);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first.back(), '\n');
  EXPECT_EQ(nlohmann::ordered_json::parse(first).dump(2) + "\n", first) << "2-space indent";
  fs::remove(json_);
  const DocsReport again = render();
  EXPECT_EQ(read(json_), first);
  EXPECT_EQ(again.rendered, std::vector<std::string>{kOut}) << "only the missing file rewritten";
  EXPECT_TRUE(render().rendered.empty()) << "a fresh rendering changes nothing";
}

TEST_F(Dashboard, ThePageLinksTheJsonAndListsThePanels) {
  render();
  const std::string page = read(page_);
  EXPECT_NE(page.find("](../dashboards/example.json)"), std::string::npos) << page;
  for (const Family& f : parse_openmetrics(exported())) {
    EXPECT_NE(page.find("| `" + f.name + "` | " + (f.unit.empty() ? "count" : f.unit) + " |"),
              std::string::npos)
        << f.name << "\n"
        << page;
  }
  EXPECT_NE(page.find("<!-- lockstep:tables\ndashboard out=docs/dashboards/example.json "
                      "scenario=scenarios/lease-lock/clean.yaml\n-->"),
            std::string::npos)
      << page;
  const DocsReport r = check();
  EXPECT_TRUE(r.problems.empty()) << r.problems.front().what;
  EXPECT_EQ(r.tables, 1u);
}

TEST_F(Dashboard, AHandEditedByteFailsCheckNamingPageAndLine) {
  render();
  std::string text = read(json_);
  const size_t at = text.find("\"stat\"");
  ASSERT_NE(at, std::string::npos);
  text[at + 1] = 'S';  // one byte: "Stat"
  write(json_, text);
  expect_one(check(), "file docs/dashboards/example.json is stale or was edited by hand");
  expect_cli_problem("the generated dashboard file docs/dashboards/example.json is stale");
}

TEST_F(Dashboard, ADeletedJsonFailsCheckNamingPageAndLine) {
  render();
  fs::remove(json_);
  expect_one(check(), "file docs/dashboards/example.json does not exist");
  expect_cli_problem("the generated dashboard file docs/dashboards/example.json does not exist");
}

TEST_F(Dashboard, AStaleTextOnThePageFails) {
  render();
  replace(page_, "| `lockstep_lock_acquisitions` |", "| `lockstep_lock_acquired` |");
  expect_one(check(), "stale or was edited by hand (run lockstep docs render)");
}

// A scenario whose metrics changed (here: a different protocol exports other families) leaves
// the committed JSON stale.
TEST_F(Dashboard, AScenarioChangedUnderTheDashboardMakesItStale) {
  render();
  write(root_ / kScenario, read("scenarios/bully/clean.yaml"));
  const DocsReport r = check();
  ASSERT_EQ(r.problems.size(), 2u);
  for (const DocProblem& p : r.problems) EXPECT_EQ(p.line, kMarkerLine) << p.what;
  EXPECT_NE(r.problems[0].what.find("table is stale"), std::string::npos) << r.problems[0].what;
  EXPECT_NE(r.problems[1].what.find("file docs/dashboards/example.json is stale"),
            std::string::npos)
      << r.problems[1].what;
}

TEST_F(Dashboard, AMissingScenarioFails) {
  render();
  fs::remove(root_ / kScenario);
  expect_one(check(), "names scenarios/lease-lock/clean.yaml, which does not exist");
}

TEST_F(Dashboard, ABadOutIsAProblemAndNothingIsWritten) {
  const std::string absolute = (base_ / "outside.json").string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"../outside.json", "leaves the root"},
      {"docs/../../outside.json", "leaves the root"},
      {absolute, "is absolute"},
      {"docs/dashboards/example.txt", "is not a .json file"},
      {"docs/dashboards/", "is not a .json file"},
  };
  for (const auto& [out, why] : cases) {
    SCOPED_TRACE(out);
    write(page_, kPage);
    replace(page_, "out=docs/dashboards/example.json", "out=" + out);
    expect_one(render(), why);
    expect_one(check(), why);
    expect_cli_problem("the generated dashboard: out=" + out + " ");
    EXPECT_FALSE(fs::exists(base_ / "outside.json"));
    EXPECT_FALSE(fs::exists(root_ / "docs/dashboards"));
  }
}

// A file the block did not write (another tool's JSON) is never replaced; a hand-edited
// dashboard still carries its uid, so render repairs it.
TEST_F(Dashboard, RenderKeepsAFileItDidNotWriteAndRepairsAnEditedOne) {
  write(json_, "{\"$schema\": \"someone else's\"}\n");
  expect_one(render(), "exists and was not written by this dashboard block");
  EXPECT_EQ(read(json_), "{\"$schema\": \"someone else's\"}\n");
  fs::remove(json_);
  render();
  const std::string fresh = read(json_);
  replace(json_, "\"stat\"", "\"Stat\"");
  const DocsReport r = render();
  EXPECT_TRUE(r.problems.empty()) << r.problems.front().what;
  EXPECT_EQ(read(json_), fresh);
}

TEST_F(Dashboard, TwoBlocksWritingOneFileFail) {
  replace(page_, "<!-- /lockstep:dashboard -->\n",
          "<!-- /lockstep:dashboard -->\n\n<!-- lockstep:dashboard "
          "scenario=scenarios/lease-lock/clean.yaml out=docs/dashboards/example.json -->\n"
          "<!-- /lockstep:dashboard -->\n");
  const DocsReport r = render();
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].line, kMarkerLine + 3);
  EXPECT_NE(r.problems[0].what.find("also writes"), std::string::npos) << r.problems[0].what;
}

TEST_F(Dashboard, UnknownOrMissingParamsAreInputErrors) {
  replace(page_, "out=docs", "colour=red out=docs");
  EXPECT_THROW(check(), sim::InputError);
  write(page_, kPage);
  replace(page_, " out=docs/dashboards/example.json", "");
  EXPECT_THROW(check(), sim::InputError);
}

TEST(DashboardUnits, SecondsAndCountsMapToGrafanaUnits) {
  EXPECT_EQ(grafana_unit("seconds"), "s");
  EXPECT_EQ(grafana_unit(""), "none");
  EXPECT_EQ(grafana_unit("ratio"), "none");
}

}  // namespace
}  // namespace lockstep::tools
