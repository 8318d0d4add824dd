// Sweeps (issue 16, item 3): the grid of points, the overrides each point applies to the file,
// the `sweep:` section's errors, the table and the plot's scales.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "tools/engine/sweep.hpp"
#include "tools/render/sweep_plot.hpp"
#include "tools/results/sweep_table.hpp"

namespace lockstep::tools {
namespace {

constexpr const char* kSweepFile = "scenarios/lease-lock/sweep-lease-against-pause.yaml";

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

sim::SweepAxis axis(std::string key, std::vector<std::string> values) {
  sim::SweepAxis a{std::move(key), std::move(values), {}, {}};
  a.value_pos.assign(a.values.size(), sim::SourcePos{});
  return a;
}

TEST(SweepGrid, EveryCombinationWithTheFirstKeyVaryingSlowest) {
  const auto grid = sweep_grid({axis("protocol.params.lease", {"5s", "10s"}),
                                axis("protocol.params.renew_every", {"1s", "2s", "3s"})});
  ASSERT_EQ(grid.size(), 6u);
  EXPECT_EQ(point_label(grid[0]), "lease=5s, renew_every=1s");
  EXPECT_EQ(point_label(grid[2]), "lease=5s, renew_every=3s");
  EXPECT_EQ(point_label(grid[3]), "lease=10s, renew_every=1s");
  EXPECT_EQ(point_label(grid[5]), "lease=10s, renew_every=3s");
  EXPECT_TRUE(sweep_grid({}).empty());
}

TEST(SweepGrid, RefusesAGridPastTheLimit) {
  std::vector<std::string> many(200, "1s");
  EXPECT_THROW(sweep_grid({axis("a.b", many), axis("a.c", many)}), sim::InputError);
}

TEST(SweepArg, SplitsAtCommasOutsideBrackets) {
  const sim::SweepAxis a = parse_sweep_arg("network.latency=1ms, {uniform: [1ms, 5ms]},[2ms, 3ms]");
  EXPECT_EQ(a.key, "network.latency");
  EXPECT_EQ(a.values, (std::vector<std::string>{"1ms", "{uniform: [1ms, 5ms]}", "[2ms, 3ms]"}));
  EXPECT_THROW(parse_sweep_arg("no-equals-sign"), sim::InputError);
  EXPECT_THROW(parse_sweep_arg("protocol.params.lease=5s,,10s"), sim::InputError);
  EXPECT_THROW(parse_sweep_arg("=5s"), sim::InputError);
}

TEST(SweepAxes, TheCommandLineReplacesTheFilesAxisOnTheSameKey) {
  const auto axes = sweep_axes({axis("protocol.params.lease", {"5s"}), axis("duration", {"9s"})},
                               {axis("protocol.params.lease", {"7s", "8s"})});
  ASSERT_EQ(axes.size(), 2u);
  EXPECT_EQ(axes[0].values, (std::vector<std::string>{"7s", "8s"}));
  EXPECT_EQ(axes[1].key, "duration");
  EXPECT_THROW(sweep_axes({}, {axis("a.b", {"1"}), axis("a.b", {"2"})}), sim::InputError);
}

class SweepLoad : public ::testing::Test {
 protected:
  sim::Catalog catalog_ = make_catalog();
};

TEST_F(SweepLoad, APointSetsTheValueEveryNodeReads) {
  const std::string text = read(kSweepFile);
  const sim::Scenario base = sim::load_scenario_text(text, kSweepFile, catalog_);
  ASSERT_EQ(base.sweep.size(), 1u);
  EXPECT_EQ(base.sweep[0].key, "protocol.params.lease");
  EXPECT_EQ(base.sweep[0].values, (std::vector<std::string>{"5s", "10s", "15s", "20s", "30s"}));
  EXPECT_EQ(base.sweep[0].value_pos[0].line, 32);
  const sim::Scenario p =
      load_point(text, kSweepFile, catalog_, base.sweep, {{"protocol.params.lease", "20s"}});
  for (const sim::NodeSpec& n : p.nodes) {
    EXPECT_EQ(n.params.duration("lease"), sim::Duration::seconds(20)) << n.id;
  }
  EXPECT_EQ(p.name, base.name + "@lease=20s");
  EXPECT_EQ(base.nodes[0].params.duration("lease"), sim::Duration::seconds(10));
}

TEST_F(SweepLoad, CreatesMissingMappingsAndIndexesLists) {
  const std::string text =
      "protocol: {name: lease_lock}\nnodes:\n  - {id: lock, role: server}\n"
      "  - {id: c1, role: client}\n  - {id: store, role: resource}\n"
      "faults:\n  - {at: 5s, pause: c1, for: 1s}\n";
  const sim::Scenario s = sim::load_scenario_text(
      text, "x.yaml", catalog_,
      {{"protocol.params.lease", "7s"}, {"faults.0.for", "3s"}, {"nodes.0.id", "srv"}});
  EXPECT_EQ(s.nodes[0].params.duration("lease"), sim::Duration::seconds(7));
  EXPECT_EQ(s.nodes[0].id, "srv");
  ASSERT_EQ(s.faults.size(), 1u);
  ASSERT_TRUE(s.faults[0].length_ns.has_value());
  EXPECT_DOUBLE_EQ(s.faults[0].length_ns->upper_hint(), 3e9);
  EXPECT_THROW(sim::load_scenario_text(text, "x.yaml", catalog_, {{"faults.4.for", "3s"}}),
               sim::InputError);
  EXPECT_THROW(sim::load_scenario_text(text, "x.yaml", catalog_, {{"name", "x"}}), sim::InputError);
}

// A bad value is reported where the sweep: section gave it, with what the loader said.
TEST_F(SweepLoad, ABadValueIsBlamedAtItsPositionInTheSweepSection) {
  std::string text = read(kSweepFile);
  text.replace(text.find("[5s, 10s"), 4, "[5q,");
  const sim::Scenario base = sim::load_scenario_text(text, kSweepFile, catalog_);
  try {
    load_point(text, kSweepFile, catalog_, base.sweep, sweep_grid(base.sweep)[0]);
    FAIL() << "5q loaded";
  } catch (const sim::InputError& e) {
    EXPECT_EQ(e.file(), kSweepFile);
    EXPECT_EQ(e.line(), 32);
    EXPECT_EQ(e.column(), 27);
    EXPECT_NE(std::string(e.what()).find("sweep.protocol.params.lease: at lease=5q"),
              std::string::npos)
        << e.what();
  }
}

struct BadSweep {
  const char* section;
  const char* message;
  int line;
  int column;
};

class SweepSection : public ::testing::TestWithParam<BadSweep> {};

TEST_P(SweepSection, BadFormsAreErrorsAtTheirPosition) {
  const sim::Catalog catalog = make_catalog();
  const std::string text =
      std::string("protocol: {name: lease_lock}\nnodes: 2\nsweep:") + GetParam().section + "\n";
  try {
    sim::load_scenario_text(text, "s.yaml", catalog);
    FAIL() << "loaded: " << GetParam().section;
  } catch (const sim::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam().message), std::string::npos) << e.what();
    EXPECT_EQ(e.line(), GetParam().line) << e.what();
    EXPECT_EQ(e.column(), GetParam().column) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Forms, SweepSection,
    ::testing::Values(
        BadSweep{" [5s, 10s]", "expected a mapping KEY.PATH: [value, value, ...]", 3, 8},
        BadSweep{"\n  protocol.params.lease: 5s", "expected the list of values", 4, 26},
        BadSweep{"\n  protocol.params.lease: []", "at least one value", 4, 26},
        BadSweep{"\n  protocol..lease: [1s]", "has an empty part", 4, 3},
        BadSweep{"\n  name: [a, b]", "'name' cannot be swept", 4, 3},
        BadSweep{"\n  protocol.params.lease: [5s, ~]", "must not be empty", 4, 26}));

// A synthetic sweep: two points, three seeds each, one metric.
SweepResult two_points() {
  SweepResult s;
  s.axes = {axis("protocol.params.lease", {"5s", "10s"})};
  s.metric = "lock.wait_time.max";
  MetricNames names;
  for (const char* lease : {"5s", "10s"}) {
    ExploreResult r;
    r.scenario = std::string("x@lease=") + lease;
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      SeedResult run;
      run.seed = seed;
      const bool violated = std::string(lease) == "5s" ? seed != 3 : seed == 1;
      run.violated = violated ? "mutual_exclusion" : "";
      run.expectations_met = !violated;
      run.verdicts = {
          {"mutual_exclusion", violated ? sim::Verdict::violated : sim::Verdict::holds}};
      run.set_metrics({{"lock.wait_time.max", "s", static_cast<double>(seed)}}, names);
      r.runs.push_back(run);
    }
    s.points.push_back({{{"protocol.params.lease", lease}}, r});
  }
  return s;
}

TEST(SweepTable, RowsCountViolationsAndTakeTheMetricAcrossSeeds) {
  const std::vector<SweepRow> rows = sweep_rows(two_points());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].values, (std::vector<std::string>{"5s"}));
  EXPECT_EQ(rows[0].violated, 2u);
  EXPECT_NEAR(rows[0].violation_rate, 2.0 / 3.0, 1e-12);
  EXPECT_EQ(rows[1].violated, 1u);
  EXPECT_EQ(rows[1].failures, 1u);
  EXPECT_EQ(*rows[0].metric_p50, 2.0);
  EXPECT_EQ(*rows[0].metric_p90, 3.0);
  EXPECT_EQ(*rows[0].metric_mean, 2.0);
}

TEST(SweepTable, MarkdownCsvAndJsonCarryTheSameRows) {
  const SweepResult s = two_points();
  const std::string md = sweep_markdown(s);
  EXPECT_NE(md.find("| protocol.params.lease | seeds | violated | violation rate | failed | "
                    "lock.wait_time.max [s] p50 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| 5s | 3 | 2 | 0.667 | 2 | 2.000 | 3.000 | 2.000 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 10s | 3 | 1 | 0.333 | 1 |"), std::string::npos) << md;
  const std::string csv = sweep_csv(s);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "protocol.params.lease,seeds,violated,violation_rate,failures,lock.wait_time.max p50,"
            "lock.wait_time.max p90,lock.wait_time.max mean");
  EXPECT_NE(csv.find("\n10s,3,1,0.333333,1,"), std::string::npos) << csv;
  const nlohmann::json j = sweep_json(s);
  EXPECT_EQ(j["rows"][0]["values"]["protocol.params.lease"], "5s");
  EXPECT_EQ(j["rows"][1]["violated"], 1);
  EXPECT_EQ(j["unit"], "s");
  EXPECT_EQ(j["rows"][0]["metric"]["p90"], 3.0);
}

TEST(SweepTable, AnUnknownMetricIsAnErrorNamingTheKnownOnes) {
  try {
    check_sweep_metric(two_points(), "lock.wiat");
    FAIL();
  } catch (const sim::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("lock.wait_time.max"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(check_sweep_metric(two_points(), "lock.wait_time.max"));
  EXPECT_EQ(default_sweep_metric(two_points()), "lock.wait_time.max");
}

TEST(SweepPlot, PlacesDurationsAndNumbersToScale) {
  EXPECT_EQ(plot_position("5s"), 5.0);
  EXPECT_EQ(plot_position("150ms"), 0.15);
  EXPECT_EQ(plot_position("0.25"), 0.25);
  EXPECT_FALSE(plot_position("fifo").has_value());
  EXPECT_EQ(nice_ticks(0, 1, 4), (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
  const std::vector<double> t = nice_ticks(0, 27, 5);
  EXPECT_EQ(t.front(), 0);
  EXPECT_GE(t.back(), 27);
  EXPECT_LE(t.size(), 8u);
}

TEST(SweepPlot, HasAPointPerValueInEachPanelAndNoExternalReference) {
  const std::string svg = sweep_svg(two_points());
  size_t points = 0;
  for (size_t at = svg.find("class=\"point\""); at != std::string::npos;
       at = svg.find("class=\"point\"", at + 1)) {
    ++points;
  }
  EXPECT_EQ(points, 4u);
  EXPECT_NE(svg.find("data-panel=\"violation_rate\" data-x=\"5s\" data-y=\"0.666667\""),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("sweep over protocol.params.lease"), std::string::npos);
  EXPECT_EQ(svg.find("href"), std::string::npos);
}

}  // namespace
}  // namespace lockstep::tools
