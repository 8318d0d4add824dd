#include "protocols/lease_lock/observations.hpp"

#include "protocols/common/fenced_resource.hpp"
#include "protocols/common/fields.hpp"

namespace lockstep::protocols::lease_lock {

Observations Observations::resolve(const sim::Vocabulary& v) {
  return {kind_id(v, "lock.requested"), kind_id(v, "lock.acquired"), kind_id(v, "lock.renewed"),
          kind_id(v, "lock.lost"),      kind_id(v, "lock.expired"),  kind_id(v, "lock.released"),
          kind_id(v, "lock.granted"),   kind_id(v, "lock.denied"),   kind_id(v, "lock.lease_ended"),
          key_id(v, "token"),           key_id(v, "holder"),         key_id(v, "client"),
          key_id(v, "lease_ns")};
}

std::vector<sim::FieldSpec> field_specs() {
  using sim::FieldType;
  return {
      {"token", FieldType::integer, "the fencing token of a lease; only grows, per lock"},
      {"holder", FieldType::node, "the client a lock server granted, or whose lease it ended"},
      {"client", FieldType::node, "the client a lock server denied"},
      FencedResource::writer_field(),
      FencedResource::highest_field(),
      {"lease_ns", FieldType::duration_ns, "the lease length a client was granted"},
  };
}

std::vector<sim::ObservationSpec> observation_specs() {
  std::vector<sim::ObservationSpec> out = {
      {"lock.requested", "client", {}, "the client starts waiting for the lock"},
      {"lock.acquired",
       "client",
       {"token", "lease_ns"},
       "the client believes it holds the lock from now (with this token)"},
      {"lock.renewed", "client", {"token"}, "the client's lease was extended"},
      {"lock.lost",
       "client",
       {"token"},
       "the client learned it no longer holds the lock (renewal refused)"},
      {"lock.expired", "client", {"token"}, "the client's own clock says its lease ran out"},
      {"lock.released", "client", {"token"}, "the client gave the lock back"},
      {"lock.granted", "lock server", {"holder", "token"}, "the server granted the lock"},
      {"lock.denied",
       "lock server",
       {"client"},
       "the server refused a request; `text` says why when it is not that another client holds "
       "the lock (`restart_grace`)"},
      {"lock.lease_ended",
       "lock server",
       {"holder", "token"},
       "the server stopped counting a lease (`text`: `expired`, `released`, `superseded`): from "
       "now it may grant the lock again"},
  };
  for (sim::ObservationSpec& o : FencedResource::observations()) out.push_back(std::move(o));
  return out;
}

std::vector<sim::ClaimSpec> claim_specs() {
  return {{"holder",
           {"lock.acquired"},
           {"lock.released", "lock.expired", "lock.lost"},
           "the client that most recently came to believe it holds the lock"}};
}

}  // namespace lockstep::protocols::lease_lock
