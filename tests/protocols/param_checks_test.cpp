// A param value that parses but cannot run is refused by the loader at the value's
// file:line:col with its key path (ParamSpec::check), for the protocols that declare checks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::testing {
namespace {

struct Case {
  std::string text;
  std::string want;  // the whole message
};

std::string error_of(const std::string& text) {
  try {
    sim::load_scenario_text(text, "t.yaml", ::lockstep::testing::protocol_catalog());
  } catch (const sim::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ParamChecks, EveryUnusableValue_IsReportedAtItsPosition) {
  const std::vector<Case> cases = {
      {"protocol: {name: redlock, params: {ttl: 0s}}\nnodes: 1\n",
       "t.yaml:1:41: protocol.params.ttl: must be greater than 0s"},
      {"protocol: {name: redlock, params: {server_timeout: 0s}}\nnodes: 1\n",
       "t.yaml:1:52: protocol.params.server_timeout: must be greater than 0s"},
      {"protocol: {name: redlock, params: {drift_factor: 1.5}}\nnodes: 1\n",
       "t.yaml:1:50: protocol.params.drift_factor: must be in [0, 1)"},
      {"protocol: {name: redlock, params: {retry_delay: [0s, 1s]}}\nnodes: 1\n",
       "t.yaml:1:49: protocol.params.retry_delay: the low end must be greater than 0s"},
      {"protocol: {name: redlock}\nnodes: 1\nworkload: {write_every: 0s}\n",
       "t.yaml:3:25: workload.write_every: must be greater than 0s"},
      {"protocol: {name: zk_lock, params: {session_timeout: 0s}}\nnodes: 1\n",
       "t.yaml:1:53: protocol.params.session_timeout: must be greater than 0s"},
      {"protocol: {name: zk_lock, params: {ping_every: 0s}}\nnodes: 1\n",
       "t.yaml:1:48: protocol.params.ping_every: must be greater than 0s"},
      {"protocol: {name: zk_lock, params: {request_timeout: 0s}}\nnodes: 1\n",
       "t.yaml:1:53: protocol.params.request_timeout: must be greater than 0s"},
      {"protocol: {name: zk_lock}\nnodes: [{id: c1, params: {ping_every: 0s}}]\n",
       "t.yaml:2:39: nodes[0].params.ping_every: must be greater than 0s"},
      {"protocol: {name: lease_lock, params: {token_start: 0}}\nnodes: 1\n",
       "t.yaml:1:52: protocol.params.token_start: must be at least 1"},
  };
  for (const Case& c : cases) EXPECT_EQ(error_of(c.text), c.want) << c.text;
}

TEST(ParamChecks, UsableValues_Load) {
  EXPECT_EQ(error_of("protocol: {name: redlock, params: {ttl: 1ms, drift_factor: 0}}\nnodes: 1\n"),
            "");
  EXPECT_EQ(error_of("protocol: {name: lease_lock, params: {token_start: 33}}\nnodes: 1\n"), "");
}

}  // namespace
}  // namespace lockstep::protocols::testing
