// The protocol table: what it declares about each protocol, and that `make` builds every role.
#include "protocols/registry.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "protocols/lease_lock/config.hpp"
#include "sim/scenario/catalog.hpp"
#include "tests/protocols/lease_lock_fixture.hpp"

namespace lockstep::protocols::testing {
namespace {

const sim::ProtocolSpec& find(const std::vector<sim::ProtocolSpec>& specs, std::string_view name) {
  for (const auto& s : specs) {
    if (s.name == name) return s;
  }
  ADD_FAILURE() << "no protocol " << name;
  return specs.front();
}

// Reads the scalar defaults the way a scenario value would be read (the distributions are
// compared as text: parsing them is the loader's job).
sim::Params params_from_defaults(const std::vector<sim::ParamSpec>& specs) {
  sim::Params p;
  for (const sim::ParamSpec& spec : specs) {
    const std::string text(spec.default_yaml);
    switch (spec.type) {
      case sim::ParamType::duration: {
        const auto d = sim::parse_duration(text);
        EXPECT_TRUE(d.has_value()) << spec.name;
        p.set(std::string(spec.name), d.value_or(sim::Duration::zero()));
        break;
      }
      case sim::ParamType::boolean:
        EXPECT_TRUE(text == "true" || text == "false") << spec.name;
        p.set(std::string(spec.name), text == "true");
        break;
      case sim::ParamType::choice:
        EXPECT_NE(("|" + std::string(spec.choices) + "|").find("|" + text + "|"), std::string::npos)
            << spec.name;
        p.set(std::string(spec.name), text);
        break;
      case sim::ParamType::integer:
        p.set(std::string(spec.name), int64_t{std::stoll(text)});
        break;
      default:
        break;
    }
  }
  return p;
}

TEST(Registry, Registry_ListsEveryProtocolOnceWithMeanings) {
  const auto specs = protocol_specs();
  std::set<std::string_view> names;
  for (const auto& s : specs) {
    EXPECT_TRUE(names.insert(s.name).second) << "duplicate " << s.name;
    EXPECT_FALSE(s.summary.empty());
    EXPECT_FALSE(s.roles.empty());
    EXPECT_FALSE(s.messages.empty());
    EXPECT_TRUE(s.make) << s.name;
    for (const auto& p : s.params) EXPECT_FALSE(p.meaning.empty()) << p.name;
    for (const auto& p : s.workload) EXPECT_FALSE(p.meaning.empty()) << p.name;
    for (const auto& r : s.roles) EXPECT_FALSE(r.meaning.empty()) << r.name;
  }
  // A new protocol adds itself here by its registry line alone; these must stay.
  for (std::string_view name : {"lease_lock", "heartbeat", "raft", "bully", "lease_election"}) {
    EXPECT_EQ(names.count(name), 1u) << name;
  }
}

TEST(Registry, Registry_EverySpecIsConsistentSoTheCatalogBuilds) {
  // Observations name declared fields, claims name observed kinds, roles name declared claims.
  EXPECT_NO_THROW(sim::Catalog(protocol_specs(), {}));
  sim::ProtocolSpec bad = protocol_specs().front();
  bad.observations.push_back({"lock.odd", "client", {"no_such_field"}, "x"});
  EXPECT_THROW(sim::Catalog({bad}, {}), std::invalid_argument);
}

TEST(Registry, Registry_LeaseLock_DeclaresRolesParamsAndMessages) {
  const auto specs = protocol_specs();
  const sim::ProtocolSpec& ll = find(specs, "lease_lock");
  ASSERT_EQ(ll.roles.size(), 3u);
  EXPECT_EQ(ll.roles[0].name, "client") << "the default role comes first";
  EXPECT_EQ(ll.roles[1].name, "server");
  EXPECT_EQ(ll.roles[2].name, "resource");
  ASSERT_EQ(ll.claims.size(), 1u);
  EXPECT_EQ(ll.claims[0].role, "holder");
  EXPECT_EQ(ll.messages,
            (std::vector<std::string_view>{"acquire", "grant", "deny", "renew", "renew_ok",
                                           "renew_fail", "release", "write"}));

  std::vector<std::pair<std::string_view, std::string_view>> defaults;
  for (const auto& p : ll.params) defaults.emplace_back(p.name, p.default_yaml);
  EXPECT_EQ(defaults, (std::vector<std::pair<std::string_view, std::string_view>>{
                          {"lease", "10s"},
                          {"renew_every", "3s"},
                          {"fencing", "false"},
                          {"expiry_clock", "monotonic"},
                          {"restart_grace", "0s"},
                          {"safety_margin", "0s"},
                          {"durable_state", "false"},
                          {"retry_every", "500ms"},
                          {"token_start", "1"},
                      }));
  defaults.clear();
  for (const auto& p : ll.workload) defaults.emplace_back(p.name, p.default_yaml);
  EXPECT_EQ(defaults, (std::vector<std::pair<std::string_view, std::string_view>>{
                          {"acquire_every", "{exponential: 2s}"},
                          {"hold", "{uniform: [1s, 4s]}"},
                          {"write_every", "500ms"},
                      }));
}

TEST(Registry, Registry_LeaseLock_DefaultsReadBackAsTheDocumentedValues) {
  const auto specs = protocol_specs();
  const auto config =
      lease_lock::Config::from(params_from_defaults(find(specs, "lease_lock").params));
  EXPECT_EQ(config.lease, sec(10));
  EXPECT_EQ(config.renew_every, sec(3));
  EXPECT_FALSE(config.fencing);
  EXPECT_EQ(config.expiry_clock, sim::ClockKind::monotonic);
  EXPECT_EQ(config.restart_grace, sim::Duration::zero());
  EXPECT_EQ(config.safety_margin, sim::Duration::zero());
  EXPECT_FALSE(config.durable_state);
  EXPECT_EQ(config.retry_every, ms(500));
  EXPECT_EQ(config.token_start, 1u);
}

TEST(Registry, Registry_LeaseLock_MakeBuildsEveryRole) {
  const auto specs = protocol_specs();
  const sim::ProtocolSpec& ll = find(specs, "lease_lock");
  const sim::Directory dir(lock_nodes());
  const sim::Params params = default_lock_params();
  const sim::Params workload = constant_workload();
  for (sim::NodeIndex i = 0; i < dir.size(); ++i) {
    EXPECT_NE(ll.make({i, dir[i], dir, params, workload}), nullptr) << dir[i].id;
  }
  const sim::NodeInfo stranger{"x", "leader"};
  EXPECT_THROW(ll.make({0, stranger, dir, params, workload}), std::invalid_argument);
}

TEST(Registry, Registry_LeaseLock_ClientNeedsExactlyOneServerAndResource) {
  const auto specs = protocol_specs();
  const sim::ProtocolSpec& ll = find(specs, "lease_lock");
  const sim::Params params = default_lock_params();
  const sim::Params workload = constant_workload();
  const sim::Directory two_servers(
      {{"a", "server"}, {"b", "server"}, {"c", "client"}, {"r", "resource"}});
  EXPECT_THROW(ll.make({2, two_servers[2], two_servers, params, workload}), std::invalid_argument);
  const sim::Directory no_resource({{"a", "server"}, {"c", "client"}});
  EXPECT_THROW(ll.make({1, no_resource[1], no_resource, params, workload}), std::invalid_argument);
}

TEST(Registry, Registry_LeaseLock_ZeroPeriodsAreRejected) {
  for (std::string name : {"lease", "renew_every", "retry_every"}) {
    sim::Params params = default_lock_params();
    params.set(name, sim::Duration::zero());
    EXPECT_THROW(lease_lock::Config::from(params), std::invalid_argument) << name;
  }
}

TEST(Registry, Registry_Heartbeat_DeclaresNodeRoleAndInterval) {
  const auto specs = protocol_specs();
  const sim::ProtocolSpec& hb = find(specs, "heartbeat");
  ASSERT_EQ(hb.roles.size(), 1u);
  EXPECT_EQ(hb.roles[0].name, "node");
  ASSERT_EQ(hb.params.size(), 1u);
  EXPECT_EQ(hb.params[0].name, "interval");
  EXPECT_EQ(hb.params[0].default_yaml, "10ms");
  EXPECT_EQ(hb.messages, (std::vector<std::string_view>{"beat"}));
  EXPECT_TRUE(hb.workload.empty());

  const sim::Directory dir({{"n1", "node"}, {"n2", "node"}});
  const sim::Params params = params_from_defaults(hb.params);
  EXPECT_NE(hb.make({1, dir[1], dir, params, sim::Params{}}), nullptr);
}

}  // namespace
}  // namespace lockstep::protocols::testing
