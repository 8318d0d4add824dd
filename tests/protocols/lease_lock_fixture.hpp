// Shared setup for the lease-lock tests: a four-node directory, the protocol's default params and
// a workload with constant draws so that timings in the tests are exact.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocols/lease_lock/config.hpp"
#include "protocols/lease_lock/messages.hpp"
#include "tests/protocols/fake_context.hpp"

namespace lockstep::protocols::testing {

inline constexpr sim::NodeIndex kServer = 0;
inline constexpr sim::NodeIndex kC1 = 1;
inline constexpr sim::NodeIndex kC2 = 2;
inline constexpr sim::NodeIndex kResource = 3;

inline std::vector<sim::NodeInfo> lock_nodes() {
  return {{"lock", "server"}, {"c1", "client"}, {"c2", "client"}, {"store", "resource"}};
}

inline sim::Duration ms(int64_t v) { return sim::Duration::millis(v); }
inline sim::Duration sec(int64_t v) { return sim::Duration::seconds(v); }
inline sim::LocalTime at(sim::Duration d) { return sim::LocalTime{d.ns}; }

// The defaults as param_specs() declares them (the loader fills these in a real run).
inline sim::Params default_lock_params() {
  sim::Params p;
  p.set("lease", sec(10));
  p.set("renew_every", sec(3));
  p.set("fencing", false);
  p.set("expiry_clock", std::string("monotonic"));
  p.set("restart_grace", sim::Duration::zero());
  p.set("safety_margin", sim::Duration::zero());
  p.set("durable_state", false);
  p.set("retry_every", ms(500));
  p.set("token_start", int64_t{1});
  return p;
}

inline lease_lock::Config default_config() {
  return lease_lock::Config::from(default_lock_params());
}

// Constant draws: acquire after 1s, hold for 3.9s (so that no write ties with the release).
inline sim::Params constant_workload(sim::Duration hold = ms(3900)) {
  sim::Params w;
  w.set("acquire_every", sim::Distribution::constant_of(static_cast<double>(sec(1).ns)));
  w.set("hold", sim::Distribution::constant_of(static_cast<double>(hold.ns)));
  w.set("write_every", ms(500));
  return w;
}

template <class T>
T body_of(const Sent& sent, lease_lock::MsgType type) {
  // A wrong type fails the test instead of tripping Message::as's size assertion.
  if (sent.message.type != static_cast<uint16_t>(type)) {
    ADD_FAILURE() << "expected message type " << static_cast<int>(type) << ", got "
                  << sent.message.type;
    return T{};
  }
  return sent.message.as<T>();
}

template <class T>
sim::Message msg(lease_lock::MsgType type, const T& body) {
  return lease_lock::make_message(type, body);
}

}  // namespace lockstep::protocols::testing
