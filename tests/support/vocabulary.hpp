// The catalog's vocabulary for tests that build events by hand: the protocol words (lock.*,
// leader.*, ...) are looked up by name once, as a checker or a renderer does, so tests read
// `obs::lock_acquired` and `fld::token` where the kernel's own kinds stay `sim::Kind::...`.
#pragma once

#include <memory>
#include <string_view>

#include "protocols/registry.hpp"
#include "sim/core/vocabulary.hpp"
#include "sim/scenario/catalog.hpp"

namespace lockstep::testing {

// Every protocol of the registry; no checkers (tests that need them build the catalog whole).
inline const sim::Catalog& protocol_catalog() {
  static const sim::Catalog kCatalog(protocols::protocol_specs(), {});
  return kCatalog;
}
inline const std::shared_ptr<const sim::Vocabulary>& catalog_vocabulary() {
  return protocol_catalog().vocabulary();
}
inline sim::Kind kind_named(std::string_view name) {
  return catalog_vocabulary()->find_kind(name).value();
}
inline sim::Key key_named(std::string_view name) {
  return catalog_vocabulary()->find_key(name).value();
}

namespace obs {
inline const sim::Kind lock_requested = kind_named("lock.requested");
inline const sim::Kind lock_acquired = kind_named("lock.acquired");
inline const sim::Kind lock_renewed = kind_named("lock.renewed");
inline const sim::Kind lock_lost = kind_named("lock.lost");
inline const sim::Kind lock_expired = kind_named("lock.expired");
inline const sim::Kind lock_released = kind_named("lock.released");
inline const sim::Kind lock_granted = kind_named("lock.granted");
inline const sim::Kind lock_denied = kind_named("lock.denied");
inline const sim::Kind lock_lease_ended = kind_named("lock.lease_ended");
inline const sim::Kind resource_write = kind_named("resource.write");
inline const sim::Kind resource_rejected = kind_named("resource.rejected");
inline const sim::Kind election_started = kind_named("election.started");
inline const sim::Kind vote_granted = kind_named("vote.granted");
inline const sim::Kind leader_elected = kind_named("leader.elected");
inline const sim::Kind leader_confirmed = kind_named("leader.confirmed");
inline const sim::Kind leader_stepped_down = kind_named("leader.stepped_down");
inline const sim::Kind term_changed = kind_named("term.changed");
}  // namespace obs

namespace fld {
inline const sim::Key token = key_named("token");
inline const sim::Key holder = key_named("holder");
inline const sim::Key client = key_named("client");
inline const sim::Key writer = key_named("writer");
inline const sim::Key highest = key_named("highest");
inline const sim::Key lease_ns = key_named("lease_ns");
inline const sim::Key term = key_named("term");
inline const sim::Key candidate = key_named("candidate");
inline const sim::Key prevote = key_named("prevote");
}  // namespace fld

}  // namespace lockstep::testing

// The same names inside the other test namespaces.
namespace lockstep::checkers::testing {
namespace obs = ::lockstep::testing::obs;
namespace fld = ::lockstep::testing::fld;
}  // namespace lockstep::checkers::testing
namespace lockstep::protocols::testing {
namespace obs = ::lockstep::testing::obs;
namespace fld = ::lockstep::testing::fld;
}  // namespace lockstep::protocols::testing
namespace lockstep::tools::testing {
namespace obs = ::lockstep::testing::obs;
namespace fld = ::lockstep::testing::fld;
}  // namespace lockstep::tools::testing
