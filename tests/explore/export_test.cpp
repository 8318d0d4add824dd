// explore --metrics and --csv (issue 16, item 2): the aggregate as OpenMetrics text and a CSV row
// per seed, checked against the exploration they were rendered from.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "tools/render/explore_export.hpp"
#include "tools/render/openmetrics.hpp"
#include "tools/results/explore_json.hpp"

namespace lockstep::tools {
namespace {

ExploreResult explored(uint64_t seeds) {
  const sim::Catalog catalog = make_catalog();
  const sim::Scenario s = sim::load_scenario("scenarios/lease-lock/clean.yaml", catalog);
  ExploreOptions o;
  o.seeds = seeds;
  return explore(s, o);
}

double metric_of(const SeedResult& s, const std::string& name) {
  for (const checkers::Metric& m : s.metrics()) {
    if (m.name == name) return m.value;
  }
  ADD_FAILURE() << "no " << name;
  return 0;
}

TEST(ExploreMetrics, CountsAreCountersOtherValuesSummaries) {
  EXPECT_TRUE(is_counter("lock.acquisitions", "count"));
  EXPECT_TRUE(is_counter("net.messages_sent", "count"));
  EXPECT_FALSE(is_counter("lock.herd.max", "count"));
  EXPECT_FALSE(is_counter("lock.wait_time.p50", "s"));
  EXPECT_FALSE(is_counter("lock.herd.per_release", "ratio"));
}

TEST(ExploreMetrics, SumsCountersAndGivesQuantilesAcrossSeeds) {
  const ExploreResult r = explored(10);
  const std::string text = explore_openmetrics(r);
  double acquisitions = 0;
  std::vector<double> waits;
  for (const SeedResult& s : r.runs) {
    acquisitions += metric_of(s, "lock.acquisitions");
    waits.push_back(metric_of(s, "lock.wait_time.max"));
  }
  std::sort(waits.begin(), waits.end());
  const std::string labels = "{scenario=\"lease-lock/clean\"}";
  EXPECT_NE(text.find("# TYPE lockstep_lock_acquisitions counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("lockstep_lock_acquisitions_total" + labels + " " +
                      openmetrics_number(acquisitions) + "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE lockstep_lock_wait_time_max_seconds summary\n"
                      "# UNIT lockstep_lock_wait_time_max_seconds seconds\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lockstep_lock_wait_time_max_seconds{scenario=\"lease-lock/clean\","
                      "quantile=\"0.5\"} " +
                      openmetrics_number(waits[4]) + "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lockstep_lock_wait_time_max_seconds_count" + labels + " 10\n"),
            std::string::npos);
  EXPECT_NE(text.find("lockstep_explore_seeds_total" + labels + " 10\n"), std::string::npos);
  EXPECT_NE(text.find("lockstep_checker_verdicts_total{scenario=\"lease-lock/clean\",checker="
                      "\"mutual_exclusion\",verdict=\"holds\"} 10\n"),
            std::string::npos);
  ASSERT_GE(text.size(), 6u);
  EXPECT_EQ(text.substr(text.size() - 6), "# EOF\n");
  // Each family is described once (OpenMetrics forbids a family appearing twice).
  std::map<std::string, int> types;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# TYPE ", 0) == 0) ++types[line.substr(7, line.find(' ', 7) - 7)];
  }
  for (const auto& [family, n] : types) EXPECT_EQ(n, 1) << family;
}

TEST(ExploreCsv, OneRowPerSeedWithVerdictsHashAndMetrics) {
  const ExploreResult r = explored(5);
  const std::string csv = explore_csv(r);
  std::istringstream lines(csv);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("seed,expectations_met,violated,mutual_exclusion,fenced_writes,liveness,"
                         "trace_hash,events,lock.acquisitions [count],",
                         0),
            0u)
      << header;
  size_t rows = 0;
  for (std::string line; std::getline(lines, line); ++rows) {
    const SeedResult& s = r.runs.at(rows);
    EXPECT_EQ(line.rfind(std::to_string(s.seed) + ",true,,holds,holds,holds," +
                             sim::hash_hex(s.hash) + "," + std::to_string(s.events) + ",",
                         0),
              0u)
        << line;
  }
  EXPECT_EQ(rows, 5u);
}

}  // namespace
}  // namespace lockstep::tools
