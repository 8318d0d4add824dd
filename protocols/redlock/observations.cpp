#include "protocols/redlock/observations.hpp"

#include "protocols/common/fenced_resource.hpp"
#include "protocols/common/fields.hpp"

namespace lockstep::protocols::redlock {

Observations Observations::resolve(const sim::Vocabulary& v) {
  return {kind_id(v, "lock.requested"),
          kind_id(v, "lock.acquired"),
          kind_id(v, "lock.released"),
          kind_id(v, "lock.expired"),
          kind_id(v, "redlock.failed"),
          kind_id(v, "lock.granted"),
          kind_id(v, "lock.denied"),
          kind_id(v, "redlock.key_expired"),
          kind_id(v, "redlock.unlocked"),
          key_id(v, "token"),
          key_id(v, "holder"),
          key_id(v, "client"),
          key_id(v, "validity_ns"),
          key_id(v, "granted")};
}

std::vector<sim::FieldSpec> field_specs() {
  using sim::FieldType;
  return {
      {"token", FieldType::integer, "the fencing token of a lease; only grows, per lock"},
      {"holder", FieldType::node, "the client a lock server granted, or whose lease it ended"},
      {"client", FieldType::node, "the client a lock server denied"},
      FencedResource::writer_field(),
      FencedResource::highest_field(),
      {"validity_ns", FieldType::duration_ns,
       "how long a Redlock client may act on the lock: ttl - elapsed - drift"},
      {"granted", FieldType::integer, "how many servers granted a Redlock attempt"},
  };
}

std::vector<sim::ObservationSpec> observation_specs() {
  std::vector<sim::ObservationSpec> out = {
      {"lock.requested", "client", {}, "the client starts waiting for the lock"},
      {"lock.acquired",
       "client",
       {"token", "validity_ns"},
       "a majority granted and validity is left: the client believes it holds the lock (token 0 "
       "unless `token` is on)"},
      {"lock.released", "client", {"token"}, "the client gave the lock back on every server"},
      {"lock.expired", "client", {"token"}, "the client's validity time ran out"},
      {"redlock.failed",
       "client",
       {"granted"},
       "an attempt got no majority or no validity left; the client unlocks every server and "
       "retries after a random delay"},
      {"lock.granted", "lock server", {"holder", "token"}, "a server set the key for the client"},
      {"lock.denied",
       "lock server",
       {"client"},
       "a server refused (`text`: `held`, or `restart_delay` while it stays unavailable after a "
       "restart)"},
      {"redlock.key_expired",
       "lock server",
       {"holder"},
       "a server found its key past its expiry on its own clock and dropped it"},
      {"redlock.unlocked",
       "lock server",
       {"holder"},
       "a server deleted its key on a compare-and-delete with the holder's value"},
  };
  for (sim::ObservationSpec& o : FencedResource::observations()) out.push_back(std::move(o));
  return out;
}

std::vector<sim::ClaimSpec> claim_specs() {
  return {{"holder",
           {"lock.acquired"},
           {"lock.released", "lock.expired"},
           "the client that most recently came to believe it holds the lock"}};
}

}  // namespace lockstep::protocols::redlock
