// The lock server's own view of each lease, for `run --perfetto`: from the server's grant to a
// client until the server's own end of it (release, expiry, revoke), a slice on a child track of
// the server's process, one track per client and kind of lease. A client's belief is drawn on its
// own "lock held" track; the two side by side show where they disagree (a paused holder still
// believing in a lease its server already ended).
//
// Worked out from event kinds, not per protocol: a kind in kLeaseWords that the trace's protocol
// declares, observed on a node, opens or ends the lease keyed by (that node, the client it names,
// the word's family). Which servers emit which words:
//  - lease_lock's server: lock.granted (holder, token), lock.lease_ended (holder, token; `text`
//    expired / released / superseded);
//  - redlock's servers, each its own view: lock.granted (holder, token), redlock.unlocked (holder),
//    redlock.key_expired (holder);
//  - consensus_lock's leader: lock.granted (holder, token) only. It emits nothing when a lease is
//    revoked through the log, so its slice ends at the next grant to another holder on that
//    server, when that server steps down or crashes, or at the run's end (`ended_by` says which);
//  - zk_lock's server: zk.session_opened / zk.session_expired (client, session), and its lock
//    nodes zk.node_created (client, seq, token) / zk.node_deleted (client, seq; `text` why). Its
//    client holds the lock while its node is the lowest, which the server does not announce.
// A server's crash ends every lease it was counting (its memory of them is gone); leases still
// open at the run's end close there.
#include <cassert>

#include "sim/io/jsonl.hpp"
#include "tools/render/perfetto.hpp"

namespace lockstep::tools {

struct LeaseWord {
  std::string_view kind;
  bool opens = false;
  std::string_view who;       // the field naming the client
  std::string_view id;        // the field telling this lease from the client's others ("": none)
  std::string_view family;    // the track's name before the client's: "lease", "session", ...
  std::string_view ended_by;  // why an ending word ends it ("": the event's text, else its kind)
  bool exclusive = false;     // a lock grant: the server grants one holder at a time
};

namespace {

constexpr LeaseWord kLeaseWords[] = {
    {"lock.granted", true, "holder", "token", "lease", "", true},
    {"lock.lease_ended", false, "holder", "token", "lease", "", false},
    {"redlock.unlocked", false, "holder", "", "lease", "unlocked", false},
    {"redlock.key_expired", false, "holder", "", "lease", "key expired", false},
    {"zk.session_opened", true, "client", "session", "session", "", false},
    {"zk.session_expired", false, "client", "session", "session", "expired", false},
    {"zk.node_created", true, "client", "seq", "lock node", "", false},
    {"zk.node_deleted", false, "client", "seq", "lock node", "", false},
};

}  // namespace

void PerfettoSink::resolve_lease_words() {
  lease_words_.clear();
  const sim::Vocabulary& v = *info_.vocabulary;
  const auto key = [&](std::string_view name) {
    if (name.empty()) return sim::kNoKey;
    return v.find_key(name).value_or(sim::kNoKey);
  };
  for (const LeaseWord& w : kLeaseWords) {
    const std::optional<sim::Kind> kind = v.find_kind(w.kind);
    if (!kind.has_value() || key(w.who) == sim::kNoKey) continue;
    lease_words_.push_back({*kind, &w, key(w.who), key(w.id), key("token")});
  }
  assert(lease_words_.size() <= std::size(kLeaseWords));
}

int PerfettoSink::lease_track(const LeaseKey& key) {
  const auto& [server, client, family] = key;
  const std::string name = family + " " + info_.node_name(static_cast<sim::NodeIndex>(client));
  const auto [it, added] = lease_tracks_.try_emplace({server, name}, 0);
  if (!added) return it->second;
  if (lease_tracks_used_.size() <= server) lease_tracks_used_.resize(server + 1, 0);
  it->second = kLeases + lease_tracks_used_[server]++;
  // Metadata may come anywhere in the array: a track is named when its first lease opens.
  name_thread(pid(server), it->second, name);
  return it->second;
}

void PerfettoSink::close_lease(const LeaseKey& key, int64_t t, std::string_view ended_by) {
  const auto it = leases_.find(key);
  assert(it != leases_.end());
  Open open = std::move(it->second.open);
  leases_.erase(it);
  assert(open.args.size() >= 2 && open.args.back() == '}');
  open.args.pop_back();
  open.args += std::string(open.args.size() > 1 ? "," : "") + "\"ended_by\":";
  sim::append_json_string(open.args, ended_by);
  open.args += "}";
  complete(pid(std::get<0>(key)), lease_track(key), open, t);
}

void PerfettoSink::close_leases_of(sim::NodeIndex server, int64_t t, std::string_view ended_by,
                                   bool exclusive_only) {
  std::vector<LeaseKey> closing;  // collected first: closing edits the map
  for (const auto& [key, lease] : leases_) {
    if (std::get<0>(key) == server && (lease.exclusive || !exclusive_only)) closing.push_back(key);
  }
  for (const LeaseKey& key : closing) close_lease(key, t, ended_by);
}

void PerfettoSink::on_lease(const sim::Event& e) {
  assert(e.node < nodes_.size());
  for (const ResolvedLeaseWord& r : lease_words_) {
    if (r.kind != e.kind) continue;
    const LeaseWord& w = *r.word;
    const std::optional<int64_t> who = e.get(r.who);
    if (!who.has_value() || *who < 0 || static_cast<size_t>(*who) >= nodes_.size()) return;
    const LeaseKey key{e.node, *who, std::string(w.family)};
    const std::optional<int64_t> id = r.id == sim::kNoKey ? std::nullopt : e.get(r.id);
    const auto it = leases_.find(key);
    const int64_t t = e.at.ns;
    if (!w.opens) {
      if (it == leases_.end()) return;
      // An end naming another lease than the open one (a late release of an older token).
      if (id.has_value() && it->second.id.has_value() && *id != *it->second.id) return;
      const std::string why = !w.ended_by.empty() ? std::string(w.ended_by)
                              : !e.text.empty()   ? std::string(e.text)
                                                  : std::string(info_.kind_name(e.kind));
      close_lease(key, t, why);
      return;
    }
    if (it != leases_.end() && it->second.id == id) return;  // the same lease granted again
    if (it != leases_.end()) close_lease(key, t, "granted again");
    if (w.exclusive) {
      std::vector<LeaseKey> others;
      for (const auto& [k, lease] : leases_) {
        if (std::get<0>(k) == e.node && lease.exclusive && std::get<2>(k) == w.family) {
          others.push_back(k);
        }
      }
      const std::string why = "granted to " + info_.node_name(static_cast<sim::NodeIndex>(*who));
      for (const LeaseKey& k : others) close_lease(k, t, why);
    }
    std::string name = info_.node_name(static_cast<sim::NodeIndex>(*who));
    if (id.has_value()) name += " " + std::string(w.id) + " " + std::to_string(*id);
    const std::optional<int64_t> token = r.token == r.id ? std::nullopt : e.get(r.token);
    if (token.has_value()) name += " token " + std::to_string(*token);
    leases_[key] = Lease{Open{t, name, args_of(e)}, id, w.exclusive};
    return;
  }
}

}  // namespace lockstep::tools
