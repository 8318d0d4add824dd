// The log side of a Raft node (replicate: true): AppendEntries with entries, the consistency
// check and conflict truncation (§5.3), commit by a majority of current-term entries (§5.4.2),
// apply in order, and the log persisted before a reply depends on it (Fig. 2, "Persistent
// state ... updated on stable storage before responding to RPCs").
#include <algorithm>
#include <cassert>
#include <cstring>
#include <functional>

#include "protocols/common/fields.hpp"
#include "protocols/raft/node.hpp"

namespace lockstep::protocols::raft {
namespace {

// At most this many entries in one AppendEntries: a bound on a message's payload.
constexpr size_t kMaxBatch = 64;
constexpr sim::TimerSlot kPropose = static_cast<sim::TimerSlot>(NodeTimer::propose);

Entry decode_entry(const sim::LogRecord& record) {
  Entry e{};
  assert(record.bytes.size() == sizeof(Entry));
  std::memcpy(&e, record.bytes.data(), sizeof(Entry));
  return e;
}

}  // namespace

LogObservations LogObservations::resolve(const sim::Vocabulary& v) {
  LogObservations o;
  o.applied = v.find_kind("log.applied").value_or(sim::kNoKind);
  o.index = v.find_key("index").value_or(sim::kNoKey);
  o.term = v.find_key("term").value_or(sim::kNoKey);
  o.entry = v.find_key("entry").value_or(sim::kNoKey);
  return o;
}

std::vector<sim::FieldSpec> log_fields() {
  using sim::FieldType;
  return {{"index", FieldType::integer, "a Raft log index, >= 1"},
          {"entry", FieldType::integer,
           "the id of a log entry (its proposer and sequence; with `term` it names the entry)"}};
}

std::vector<sim::ObservationSpec> log_observations() {
  return {{"log.applied",
           "Raft member",
           {"index", "term", "entry"},
           "the node applied the committed entry `entry` of `term` at log `index` to its state "
           "machine (in index order, once per process lifetime)"}};
}

// The log that survived on disk; a torn last record is dropped with everything after it. With
// replicate: false (or an empty disk) `log_length` entries of term 0 stand in for a history.
void Node::load_log(sim::Context& ctx) {
  assert(log_.last_index() == 0);
  if (config_.replicate) {
    sim::Storage& store = ctx.durable();
    const size_t n = store.log_size(kLogName);
    for (size_t i = 0; i < n; ++i) {
      const sim::LogRecord& record = store.record(kLogName, i);
      if (record.torn || record.bytes.size() != sizeof(Entry)) {
        store.truncate(kLogName, i);
        break;
      }
      log_.append(decode_entry(record));
    }
    durable_index_ = log_.last_index();
    if (log_.last_index() > 0) return;
  }
  for (int64_t i = 0; i < config_.log_length; ++i) log_.append(Entry{});
  if (config_.replicate && log_.last_index() > 0) persist_log(ctx, 1);
}

void Node::persist_log(sim::Context& ctx, uint64_t from) {
  assert(config_.replicate);
  assert(from >= 1 && from <= log_.last_index() + 1);
  sim::Storage& store = ctx.durable();
  if (store.log_size(kLogName) >= from) store.truncate(kLogName, from - 1);
  for (uint64_t i = from; i <= log_.last_index(); ++i) {
    store.append(kLogName, std::as_bytes(std::span<const Entry>(&log_.at(i), 1)));
  }
  const sim::StorageTicket ticket = store.sync();
  outbox_.synced(ticket);
  durable_index_ = std::min(durable_index_, from - 1);
  if (store.durable(ticket)) {
    durable_index_ = log_.last_index();
  } else {
    unsynced_.emplace_back(ticket, log_.last_index());
  }
}

void Node::start_leader_log(sim::Context& ctx) {
  assert(role_ == Role::leader);
  for (sim::NodeIndex i : members_) {
    next_[i] = log_.last_index() + 1;
    match_[i] = 0;
  }
  // §8: a new leader appends a no-op of its term so entries of earlier terms can commit
  // (§5.4.2) without waiting for a client. The heartbeat round that follows carries it.
  log_.append(Entry{term_, (uint64_t{ctx.self()} + 1) << 48 | ++proposed_, 0, {0, 0, 0}});
  persist_log(ctx, log_.last_index());
  if (config_.propose_every > sim::Duration::zero()) ctx.set_timer(kPropose, config_.propose_every);
}

uint64_t Node::propose(sim::Context& ctx, Entry entry) {
  assert(config_.replicate && "proposals need the log");
  if (role_ != Role::leader) return 0;
  entry.term = term_;
  if (entry.id == 0) entry.id = (uint64_t{ctx.self()} + 1) << 48 | ++proposed_;
  log_.append(entry);
  const uint64_t index = log_.last_index();
  persist_log(ctx, index);
  // Peers that are caught up get it now; the others catch up with the heartbeat round.
  for (sim::NodeIndex to : members_) {
    if (to != ctx.self() && next_[to] == index) send_append(ctx, to);
  }
  advance_commit(ctx);
  return index;
}

void Node::on_propose_timer(sim::Context& ctx) {
  if (role_ != Role::leader) return;
  propose(ctx, Entry{0, 0, 1, {0, 0, 0}});
  ctx.set_timer(kPropose, config_.propose_every);
}

// Entries from next_[to] on (at most kMaxBatch), after the entry they follow. next_ moves past
// what was sent (pipelining); a mismatch answer moves it back.
void Node::send_append(sim::Context& ctx, sim::NodeIndex to) {
  assert(role_ == Role::leader);
  assert(next_[to] >= 1 && next_[to] <= log_.last_index() + 1);
  const uint64_t prev = next_[to] - 1;
  const std::span<const Entry> entries = log_.slice(next_[to], kMaxBatch);
  sim::Message m = make_message(MsgType::append_entries,
                                AppendEntries{term_, round_, prev, log_.term_at(prev), commit_});
  if (entries.empty()) {
    outbox_.send(ctx, to, m, config_.ack_before_fsync);
    return;
  }
  m.payload = ctx.payload_of(entries);
  ctx.send(to, m);
  next_[to] += entries.size();
}

void Node::on_replicated_append(sim::Context& ctx, sim::NodeIndex from, const AppendEntries& append,
                                std::span<const Entry> entries) {
  assert(append.term == term_);
  if (role_ == Role::leader) return on_append_entries(ctx, from, append);  // refuses
  role_ = Role::follower;
  leader_ = from;
  heard_leader_at_ = ctx.now();
  reset_election_timer(ctx);
  AppendResponse r{term_, 1, append.round, 0, 0};
  if (!log_.matches(append.prev_log_index, append.prev_log_term)) {
    // Fig. 2 rule 2: reply false; the hint is where our log could still match.
    assert(append.prev_log_index >= 1 && "index 0 always matches");
    r.mismatch = 1;
    r.match = std::min(log_.last_index(), append.prev_log_index - 1);
  } else {
    const uint64_t changed = log_.merge(append.prev_log_index, entries);
    if (changed <= log_.last_index()) persist_log(ctx, changed);
    r.match = append.prev_log_index + entries.size();
    // Rule 5: commitIndex = min(leaderCommit, index of last new entry).
    if (append.leader_commit > commit_) {
      commit_ = std::min(append.leader_commit, r.match);
      apply_committed(ctx);
    }
  }
  outbox_.send(ctx, from, make_message(MsgType::append_response, r), config_.ack_before_fsync);
}

void Node::on_replication_response(sim::Context& ctx, sim::NodeIndex from,
                                   const AppendResponse& response) {
  assert(role_ == Role::leader);
  if (response.mismatch != 0) {
    const uint64_t hint = std::min(response.match, log_.last_index());
    next_[from] = std::max(match_[from], std::min(hint, next_[from] - 1)) + 1;
    return send_append(ctx, from);
  }
  if (response.match > log_.last_index()) return;  // from a log we no longer have
  if (response.match > match_[from]) {
    match_[from] = response.match;
    advance_commit(ctx);
  }
  next_[from] = std::max(next_[from], match_[from] + 1);
  if (next_[from] <= log_.last_index()) send_append(ctx, from);
}

// §5.4.2: the highest index a majority stores, committed only if its entry is of the current
// term (Figure 8 shows why an older-term entry must not be committed by counting replicas).
void Node::advance_commit(sim::Context& ctx) {
  if (role_ != Role::leader) return;
  match_scratch_.clear();
  for (sim::NodeIndex i : members_) {
    const uint64_t own = config_.ack_before_fsync ? log_.last_index() : durable_index_;
    match_scratch_.push_back(i == ctx.self() ? own : match_[i]);
  }
  const size_t k = majority() - 1;
  assert(k < match_scratch_.size());
  std::nth_element(match_scratch_.begin(), match_scratch_.begin() + static_cast<std::ptrdiff_t>(k),
                   match_scratch_.end(), std::greater<>());
  const uint64_t n = match_scratch_[k];
  if (n <= commit_ || log_.term_at(n) != term_) return;
  commit_ = n;
  apply_committed(ctx);
}

void Node::apply_committed(sim::Context& ctx) {
  const uint64_t upto = std::min(commit_, log_.last_index());
  while (applied_ < upto) {
    ++applied_;
    const Entry e = log_.at(applied_);  // a copy: the machine may propose, growing the log
    ctx.observe(log_obs_.applied, {{log_obs_.index, as_field(applied_)},
                                   {log_obs_.term, as_field(e.term)},
                                   {log_obs_.entry, as_field(e.id)}});
    if (machine_ != nullptr) machine_->apply(ctx, applied_, e);
  }
}

}  // namespace lockstep::protocols::raft
