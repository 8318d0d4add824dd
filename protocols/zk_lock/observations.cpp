#include "protocols/zk_lock/observations.hpp"

#include "protocols/common/fenced_resource.hpp"
#include "protocols/common/fields.hpp"

namespace lockstep::protocols::zk_lock {

Observations Observations::resolve(const sim::Vocabulary& v) {
  Observations o;
  o.requested = kind_id(v, "lock.requested");
  o.acquired = kind_id(v, "lock.acquired");
  o.released = kind_id(v, "lock.released");
  o.expired = kind_id(v, "lock.expired");
  o.lost = kind_id(v, "lock.lost");
  o.session_lost = kind_id(v, "zk.session_lost");
  o.jeopardy = kind_id(v, "zk.jeopardy");
  o.session_opened = kind_id(v, "zk.session_opened");
  o.session_expired = kind_id(v, "zk.session_expired");
  o.node_created = kind_id(v, "zk.node_created");
  o.node_deleted = kind_id(v, "zk.node_deleted");
  o.enqueued = kind_id(v, "lock.enqueued");
  o.watch_fired = kind_id(v, "watch.fired");
  o.write = kind_id(v, "resource.write");
  o.rejected = kind_id(v, "resource.rejected");
  o.token = key_id(v, "token");
  o.client = key_id(v, "client");
  o.session = key_id(v, "session");
  o.seq = key_id(v, "seq");
  o.writer = key_id(v, "writer");
  o.highest = key_id(v, "highest");
  return o;
}

std::vector<sim::FieldSpec> field_specs() {
  using sim::FieldType;
  return {
      {"token", FieldType::integer, "the fencing token of a lease; only grows, per lock"},
      {"client", FieldType::node, "the client a lock server denied"},
      {"session", FieldType::integer, "a coordination-service session id"},
      {"seq", FieldType::integer, "a lock node's sequence number under the lock path"},
      FencedResource::writer_field(),
      FencedResource::highest_field(),
  };
}

std::vector<sim::ObservationSpec> observation_specs() {
  std::vector<sim::ObservationSpec> out = {
      {"lock.requested", "client", {}, "the client starts waiting for the lock"},
      {"lock.acquired",
       "client",
       {"token"},
       "the client's node is the lowest: it believes it holds the lock; token = the node's czxid"},
      {"lock.released", "client", {"token"}, "the client deleted its lock node"},
      {"lock.expired",
       "client",
       {"token"},
       "the client's own view of its session (plus `grace`) ran out while it held the lock"},
      {"lock.lost", "client", {"token"}, "the server said the session had expired"},
      {"zk.session_lost", "client", {"session"}, "the client gave up its session"},
      {"zk.jeopardy",
       "client",
       {"session"},
       "the client's view of its session ran out; it keeps its belief for `grace`"},
      {"zk.session_opened", "coordination server", {"client", "session"}, "a session began"},
      {"zk.session_expired",
       "coordination server",
       {"client", "session"},
       "the server heard nothing for the session timeout and ended the session"},
      {"zk.node_created",
       "coordination server",
       {"client", "seq", "token"},
       "an ephemeral node under the lock path; token = its czxid"},
      {"zk.node_deleted",
       "coordination server",
       {"client", "seq"},
       "a lock node went (`text`: `released`, `session_expired`, `lock_delay`)"},
      {"lock.enqueued",
       "coordination server",
       {"client"},
       "the server saw the client's request for the lock: the order fairness is judged by"},
      {"watch.fired",
       "coordination server",
       {"client", "seq"},
       "a one-shot watch on node `seq` fired and the server notified the client"},
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

}  // namespace lockstep::protocols::zk_lock
