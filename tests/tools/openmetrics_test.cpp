// OpenMetrics text: well-formed families (TYPE, UNIT for times and ratios, HELP, one labelled
// sample), names
// mapped as documented, and the `# EOF` terminator.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "tools/engine/runner.hpp"
#include "tools/render/openmetrics.hpp"

namespace lockstep::tools {
namespace {

TEST(OpenMetrics, NamesGetThePrefixUnderscoresAndTheirUnit) {
  EXPECT_EQ(openmetrics_name("lock.wait_time.p50", "s"), "lockstep_lock_wait_time_p50_seconds");
  EXPECT_EQ(openmetrics_name("lock.acquisitions", "count"), "lockstep_lock_acquisitions");
  EXPECT_EQ(openmetrics_name("x.share", "ratio"), "lockstep_x_share_ratio");
  EXPECT_EQ(openmetrics_unit("s"), "seconds");
  EXPECT_EQ(openmetrics_unit("count"), "");
}

TEST(OpenMetrics, ARunsMetricsAreWellFormedFamilies) {
  const sim::Catalog catalog = make_catalog();
  const sim::Scenario s =
      sim::load_scenario("scenarios/lease-lock/pause-without-fencing.yaml", catalog);
  const RunReport r = run_scenario(s, {});
  const std::string text = render_openmetrics(r.metrics, r.scenario, r.seed);
  ASSERT_GE(text.size(), 6u);
  EXPECT_EQ(text.substr(text.size() - 6), "# EOF\n");
  const std::regex sample(
      R"(^(lockstep_[a-z0-9_]+)\{scenario="lease-lock/pause-without-fencing",seed="1"\} )"
      R"((-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?)$)");
  const std::regex meta(R"(^# (TYPE|UNIT|HELP) (lockstep_[a-z0-9_]+) (.+)$)");
  std::istringstream in(text);
  std::string line, family;
  std::set<std::string> families;
  size_t samples = 0;
  bool unit_given = false;
  while (std::getline(in, line)) {
    if (line == "# EOF") break;
    std::smatch m;
    if (std::regex_match(line, m, meta)) {
      if (m[1] == "TYPE") {
        family = m[2];
        EXPECT_EQ(m[3], "gauge");
        EXPECT_TRUE(families.insert(family).second) << "family twice: " << family;
        unit_given = false;
      } else {
        EXPECT_EQ(m[2], family) << "metadata of another family: " << line;
      }
      if (m[1] == "UNIT") {
        EXPECT_TRUE(m[3] == "seconds" || m[3] == "ratio") << line;
        EXPECT_TRUE(family.ends_with("_" + m[3].str())) << family;
        unit_given = true;
      }
      continue;
    }
    ASSERT_TRUE(std::regex_match(line, m, sample)) << "not a sample: " << line;
    EXPECT_EQ(m[1], family) << "a sample outside its family: " << line;
    EXPECT_EQ(unit_given, family.ends_with("_seconds") || family.ends_with("_ratio")) << family;
    ++samples;
  }
  EXPECT_EQ(samples, r.metrics.size());
  EXPECT_NE(text.find("lockstep_resource_stale_writes{scenario=\"lease-lock/"
                      "pause-without-fencing\",seed=\"1\"} 1\n"),
            std::string::npos)
      << text;
  // A ratio is a unit too: its family carries the suffix and a UNIT line.
  EXPECT_NE(text.find("# UNIT lockstep_lock_messages_per_acquisition_ratio ratio\n"),
            std::string::npos)
      << text;
}

TEST(OpenMetrics, LabelValuesAreEscaped) {
  const std::string text = render_openmetrics({{"net.messages_sent", "count", 3}}, "a\"b\\c\nd", 7);
  EXPECT_NE(text.find(R"({scenario="a\"b\\c\nd",seed="7"} 3)"), std::string::npos) << text;
}

}  // namespace
}  // namespace lockstep::tools
