#include "tools/render/openmetrics.hpp"

#include <cassert>
#include <charconv>
#include <cmath>
#include <span>

namespace lockstep::tools {
namespace {

using Help = KnownMetric;

// Short meanings; docs/metrics.md has the long ones with healthy and alarming values.
constexpr Help kHelp[] = {
    {"lock.acquisitions", "count", "Times a client came to believe it held the lock."},
    {"lock.wait_time.p50", "s", "Median time from lock.requested to lock.acquired."},
    {"lock.wait_time.p99", "s",
     "99th percentile of the time from lock.requested to lock.acquired."},
    {"lock.wait_time.max", "s", "Longest completed wait for the lock."},
    {"lock.hold_time.p50", "s", "Median time a client believed it held the lock."},
    {"lock.hold_time.max", "s", "Longest time a client believed it held the lock."},
    {"lock.expirations", "count", "Leases a client saw expire before it released them."},
    {"lock.lost", "count", "Leases a client learned it had lost (renewal refused)."},
    {"lock.messages_per_acquisition", "ratio",
     "Messages sent in the run per lock acquisition (0 without acquisitions)."},
    {"resource.writes", "count", "Writes the guarded resource accepted."},
    {"resource.rejected", "count", "Writes the resource rejected for a stale fencing token."},
    {"resource.stale_writes", "count",
     "Accepted writes whose token was older than one already accepted."},
    {"lock.herd.per_release", "ratio",
     "Watch notifications per lock-node deletion that woke anyone."},
    {"lock.herd.max", "count", "The most watch notifications one lock-node deletion caused."},
    {"net.messages_sent", "count", "Messages sent."},
    {"net.messages_delivered", "count", "Messages delivered (duplicates count twice)."},
    {"net.messages_dropped", "count",
     "Messages dropped by loss, partitions, cuts or a down receiver."},
    {"faults.injected", "count",
     "Faults injected (crash, pause, partition, cut, isolate, clock step)."},
    {"leader.rotation_time.p50", "s",
     "Median failover time, from losing a leader to the next one."},
    {"leader.rotation_time.max", "s",
     "Longest failover time, from losing a leader to the next one."},
    {"leader.tenure.p50", "s", "Median time a node believed it led."},
    {"leader.tenure.max", "s", "Longest time a node believed it led."},
    {"leader.time_without", "s", "Time after the first election with no node believing it led."},
    {"leader.elections", "count", "Elections started (not counting pre-votes)."},
    {"leader.terms", "count", "Distinct terms seen."},
    {"leader.split_votes", "count", "Terms whose election elected nobody."},
    {"leader.prevotes", "count", "Pre-vote rounds started."},
};

std::string sanitized(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out.push_back(ok ? c : '_');
  }
  return out;
}

}  // namespace

std::string openmetrics_label_value(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

std::string openmetrics_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  assert(ec == std::errc());
  return std::string(buf, end);
}

namespace {

std::string escaped_help(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace

std::string openmetrics_unit(std::string_view unit) {
  if (unit == "s") return "seconds";
  if (unit == "count" || unit.empty()) return "";
  return sanitized(unit);
}

std::string openmetrics_name(std::string_view metric, std::string_view unit) {
  std::string out = "lockstep_" + sanitized(metric);
  const std::string u = openmetrics_unit(unit);
  // OpenMetrics: a family with a unit carries it as the name's suffix.
  if (!u.empty() && !out.ends_with("_" + u)) out += "_" + u;
  return out;
}

std::span<const KnownMetric> known_metrics() { return kHelp; }

std::string openmetrics_help(std::string_view metric) {
  for (const Help& h : kHelp) {
    if (h.name == metric) return std::string(h.meaning);
  }
  return "lockstep metric " + std::string(metric) + " (see docs/metrics.md).";
}

std::vector<OpenMetricsFamily> openmetrics_families(const std::vector<checkers::Metric>& metrics) {
  std::vector<OpenMetricsFamily> out;
  out.reserve(metrics.size());
  for (const checkers::Metric& m : metrics) {
    out.push_back({m.name, openmetrics_name(m.name, m.unit), openmetrics_unit(m.unit),
                   openmetrics_help(m.name), m.value});
  }
  assert(out.size() == metrics.size());
  return out;
}

std::string render_openmetrics(const std::vector<checkers::Metric>& metrics,
                               std::string_view scenario, uint64_t seed) {
  const std::string labels = "{scenario=\"" + openmetrics_label_value(scenario) + "\",seed=\"" +
                             std::to_string(seed) + "\"}";
  std::string out;
  for (const OpenMetricsFamily& f : openmetrics_families(metrics)) {
    out += "# TYPE " + f.name + " gauge\n";
    if (!f.unit.empty()) out += "# UNIT " + f.name + " " + f.unit + "\n";
    out += "# HELP " + f.name + " " + escaped_help(f.help) + "\n";
    out += f.name + labels + " " + openmetrics_number(f.value) + "\n";
  }
  out += "# EOF\n";
  return out;
}

}  // namespace lockstep::tools
