#include "tools/docs/claims.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <regex>

#include "sim/core/time.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;

struct Claim {
  enum Kind { plain, counted, metric, param } kind = plain;
  std::string text;     // the span as written
  std::string name;     // checker, metric or param path
  std::string verdict;  // holds | violated | inconclusive
  std::string stat;     // min | max | mean | pNN
  std::string op;       // <=, >=, <, >, =
  std::string value;    // count or value to compare with
  uint64_t seeds = 0;
};

std::optional<double> as_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (*end == '%' && end[1] == '\0') return v / 100;
  if (*end != '\0') return std::nullopt;
  return v;
}

bool compare(double actual, const std::string& op, double wanted) {
  if (op == "<=") return actual <= wanted;
  if (op == ">=") return actual >= wanted;
  if (op == "<") return actual < wanted;
  if (op == ">") return actual > wanted;
  return actual == wanted;  // "=" or "=="
}

std::string known_checkers(const sim::Catalog& c) {
  std::string out;
  for (const sim::CheckerSpec& s : c.checkers())
    out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

// Parses one span; nullopt when it is not meant as a claim; throws std::string (the problem)
// when it is meant as one but is malformed or names nothing this build knows.
std::optional<Claim> parse_claim(const std::string& t, const sim::Catalog& catalog) {
  static const std::regex verdict_form(
      R"(^([a-z_][a-z0-9_]*):\s*(holds|violated|inconclusive)\b(.*)$)");
  static const std::regex count_form(R"(^\s+on\s+(\d+)\s*/\s*(\d+)\s+seeds$)");
  static const std::regex op_form(R"(^\s+on\s+(>=|<=|>|<|==?)\s*(\d+)\s+of\s+(\d+)\s+seeds$)");
  static const std::regex metric_form(R"(^(min|max|mean|p\d+(?:\.\d+)?)\(([^)]*)\)(.*)$)");
  static const std::regex metric_rest(R"(^\s*(>=|<=|>|<|==?)\s*(\S+)\s+over\s+(\d+)\s+seeds$)");
  static const std::regex param_form(R"(^([a-z_][a-z0-9_]*(?:\.[A-Za-z0-9_-]+)*)\s*=\s*(\S+)$)");
  std::smatch m;
  Claim c;
  c.text = t;
  if (std::regex_match(t, m, verdict_form)) {
    c.name = m[1];
    c.verdict = m[2];
    if (catalog.checker(c.name) == nullptr) {
      throw "unknown checker '" + c.name + "' in `" + t + "` (known: " + known_checkers(catalog) +
          ")";
    }
    const std::string rest = m[3];
    std::smatch r;
    if (rest.empty()) return c;
    c.kind = Claim::counted;
    if (std::regex_match(rest, r, count_form)) {
      c.op = "=", c.value = r[1], c.seeds = std::stoull(r[2]);
    } else if (std::regex_match(rest, r, op_form)) {
      c.op = r[1], c.value = r[2], c.seeds = std::stoull(r[3]);
    } else {
      throw "malformed claim `" + t + "`: write `" + c.name + ": " + c.verdict +
          "`, `... on K/N seeds` or `... on >= K of N seeds`";
    }
  } else if (std::regex_match(t, m, metric_form)) {
    c.kind = Claim::metric;
    c.stat = m[1], c.name = m[2];
    const std::string rest = m[3];
    std::smatch r;
    if (!std::regex_match(rest, r, metric_rest)) {
      throw "malformed claim `" + t + "`: write `" + c.stat + "(" + c.name +
          ") <= VALUE over N seeds`";
    }
    c.op = r[1], c.value = r[2], c.seeds = std::stoull(r[3]);
  } else if (std::regex_match(t, m, param_form)) {
    c.kind = Claim::param;
    c.name = m[1], c.value = m[2];
    return c;
  } else {
    return std::nullopt;
  }
  if (c.seeds == 0 || c.seeds > 100'000) throw "`" + t + "`: seeds must be 1..100000";
  return c;
}

// A protocol default: `lease_lock.lease = 10s`. nullopt when the path does not start with a
// protocol name.
std::optional<std::string> protocol_default(const std::string& path, const sim::Catalog& catalog) {
  const size_t dot = path.find('.');
  if (dot == std::string::npos) return std::nullopt;
  const sim::ProtocolSpec* p = catalog.protocol(path.substr(0, dot));
  if (p == nullptr) return std::nullopt;
  const std::string param = path.substr(dot + 1);
  for (const sim::ParamSpec& s : p->params) {
    if (s.name == param) return std::string(s.default_yaml);
  }
  throw "protocol " + std::string(p->name) + " has no param '" + param + "'";
}

std::string scalar_text(const YAML::Node& n) {
  if (n.IsScalar()) return n.Scalar();
  if (n.IsSequence()) {
    std::string out = "[";
    for (size_t i = 0; i < n.size(); ++i) out += (i ? "," : "") + scalar_text(n[i]);
    return out + "]";
  }
  throw std::string("names a map, not a value");
}

// `within` of checker `name` as the scenario configures it, else the checker's default.
std::string checker_param(const YAML::Node& doc, const sim::CheckerSpec& spec,
                          const std::string& param, const std::string& rel) {
  for (const YAML::Node& entry : doc["checkers"]) {
    std::optional<YAML::Node> params;
    if (entry.IsScalar() && entry.Scalar() == spec.name) params = YAML::Node();
    if (entry.IsMap() && entry[std::string(spec.name)]) params = entry[std::string(spec.name)];
    if (!params) continue;
    if (params->IsMap() && (*params)[param]) return scalar_text((*params)[param]);
    for (const sim::ParamSpec& p : spec.params) {
      if (p.name == param) return std::string(p.default_yaml);
    }
    throw "checker " + std::string(spec.name) + " has no param '" + param + "'";
  }
  throw rel + " does not configure checker " + std::string(spec.name);
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1) {
    out.push_back(path.substr(start, dot - start));
  }
  out.push_back(path.substr(start));
  return out;
}

// The value a scenario gives `path` (see claims.hpp); throws std::string when there is none.
std::string scenario_value(const std::string& path, const std::string& rel, Evidence& ev) {
  const YAML::Node doc = YAML::LoadFile((fs::path(ev.root()) / rel).string());
  const std::vector<std::string> parts = split_path(path);
  const sim::Scenario& s = ev.scenario(rel);
  if (parts.size() == 1) {
    const YAML::Node params = doc["protocol"]["params"];
    if (params && params[path]) return scalar_text(params[path]);
    for (const sim::ParamSpec& p : s.protocol_spec->params) {
      if (p.name == path) return std::string(p.default_yaml);
    }
  }
  if (parts.size() == 2) {
    if (const sim::CheckerSpec* c = ev.catalog().checker(parts[0])) {
      return checker_param(doc, *c, parts[1], rel);
    }
  }
  YAML::Node n = doc;
  for (const std::string& part : parts) {
    const YAML::Node cur = n;  // const lookups never insert into the document
    std::optional<YAML::Node> next;
    if (cur.IsMap() && cur[part]) next = cur[part];
    if (cur.IsSequence()) {
      // Items by `id` (nodes), else unnamed ones (faults) by position: `faults.0.for`.
      for (size_t i = 0; i < cur.size() && !next; ++i) {
        const YAML::Node item = cur[i];
        if ((item.IsMap() && item["id"] && item["id"].Scalar() == part) ||
            std::to_string(i) == part) {
          next = item;
        }
      }
    }
    if (!next) throw rel + " has no '" + path + "' (no '" + part + "')";
    n.reset(*next);  // rebinds: `n = *next` would assign into the document
  }
  return scalar_text(n);
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double rank = std::max(1.0, std::ceil(p * static_cast<double>(v.size()) / 100.0 - 1e-9));
  return v[std::min(v.size(), static_cast<size_t>(rank)) - 1];
}

double statistic(const std::vector<double>& v, const std::string& stat) {
  if (stat == "min") return *std::min_element(v.begin(), v.end());
  if (stat == "max") return *std::max_element(v.begin(), v.end());
  if (stat == "mean") {
    double sum = 0;
    for (double x : v) sum += x;
    return sum / static_cast<double>(v.size());
  }
  return percentile(v, std::stod(stat.substr(1)));
}

// A metric claim's verdict: "" when it holds, else what was found.
std::string judge_metric(const Claim& c, const std::string& rel, Evidence& ev) {
  const ExploreResult& r = ev.explored(rel, c.seeds, false);
  std::vector<double> values;
  std::string unit;
  for (const SeedResult& s : r.runs) {
    for (size_t i = 0; i < s.metric_values.size(); ++i) {
      if ((*s.metric_names)[i].first != c.name) continue;
      unit = (*s.metric_names)[i].second;
      values.push_back(s.metric_values[i]);
    }
  }
  if (values.empty()) throw rel + " reports no metric '" + c.name + "' (see docs/metrics.md)";
  std::optional<double> wanted;
  if (unit == "s") {
    const std::optional<sim::Duration> d = sim::parse_duration(c.value);
    if (!d) throw "`" + c.text + "`: " + c.name + " is in seconds, so write a duration like 15s";
    wanted = static_cast<double>(d->ns) / 1e9;
  } else {
    wanted = as_number(c.value);
    if (!wanted) throw "`" + c.text + "`: " + c.name + " is a " + unit + ", so write a number";
  }
  const double actual = statistic(values, c.stat);
  if (compare(actual, c.op, *wanted)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g%s", actual, unit == "s" ? "s" : "");
  return "it is " + std::string(buf);
}

std::string judge_verdict_count(const Claim& c, const std::string& rel, Evidence& ev) {
  const ExploreResult& r = ev.explored(rel, c.seeds, false);
  uint64_t count = 0;
  bool configured = false;
  for (const SeedResult& s : r.runs) {
    for (const auto& [name, v] : s.verdicts) {
      if (name != c.name) continue;
      configured = true;
      if (sim::verdict_name(v) == c.verdict) ++count;
    }
  }
  if (!configured) throw rel + " does not configure checker " + c.name;
  if (compare(static_cast<double>(count), c.op, std::stod(c.value))) return "";
  return c.verdict + " on " + std::to_string(count) + " of " + std::to_string(c.seeds) + " seeds";
}

std::string judge_plain_verdict(const Claim& c, const std::string& rel, Evidence& ev) {
  const sim::Scenario& s = ev.scenario(rel);
  const bool configured =
      std::any_of(s.checkers.begin(), s.checkers.end(),
                  [&](const sim::CheckerConfig& k) { return k.name == c.name; });
  if (!configured) throw rel + " does not configure checker " + c.name;
  std::string expected = "no expectation";
  for (const sim::Expectation& e : s.expect) {
    if (e.checker == c.name) expected = std::string(sim::expected_name(e.verdict));
  }
  std::string actual = "not configured";
  for (const checkers::CheckResult& r : ev.run(rel).results) {
    if (r.checker == c.name) actual = std::string(sim::verdict_name(r.verdict));
  }
  if (expected == c.verdict && actual == c.verdict) return "";
  return "its expect: says " + expected + " and running it (seed " + std::to_string(s.seed) +
         ") gives " + actual;
}

// "" when `c` holds for scenario `rel`; else what was found. Throws std::string for a claim
// that cannot be judged there.
std::string judge(const Claim& c, const std::string& rel, Evidence& ev) {
  switch (c.kind) {
    case Claim::plain:
      return judge_plain_verdict(c, rel, ev);
    case Claim::counted:
      return judge_verdict_count(c, rel, ev);
    case Claim::metric:
      return judge_metric(c, rel, ev);
    case Claim::param: {
      const std::string v = scenario_value(c.name, rel, ev);
      return same_value(v, c.value) ? "" : "it is " + v;
    }
  }
  return "";
}

std::vector<std::string> linked_scenarios(const std::string& page_dir, const std::string& line) {
  static const std::regex link(R"(\]\(([^)\s]+\.ya?ml)\))");
  std::vector<std::string> targets;
  for (auto it = std::sregex_iterator(line.begin(), line.end(), link); it != std::sregex_iterator();
       ++it) {
    targets.push_back((fs::path(page_dir) / (*it)[1].str()).lexically_normal().generic_string());
  }
  return targets;
}

void judge_one(const Claim& c, const std::string& rel, const std::string& page, int number,
               Evidence& ev, DocsReport& report) {
  ++report.claims;
  try {
    const std::string found = judge(c, rel, ev);
    if (!found.empty()) {
      report.problems.push_back(
          {page, number, "claims `" + c.text + "` for " + rel + ", but " + found});
    }
  } catch (const std::string& why) {
    report.problems.push_back({page, number, "`" + c.text + "`: " + why});
  } catch (const std::exception& e) {  // a scenario that cannot load or run
    report.problems.push_back({page, number, "`" + c.text + "` on " + rel + ": " + e.what()});
  }
}

}  // namespace

bool same_value(const std::string& a, const std::string& b) {
  const std::optional<sim::Duration> da = sim::parse_duration(a), db = sim::parse_duration(b);
  if (da && db) return da->ns == db->ns;
  if (a.size() > 1 && a.front() == '[' && b.size() > 1 && b.front() == '[') {
    auto items = [](const std::string& s) {
      std::vector<std::string> out;
      std::string cur;
      for (char ch : s.substr(1, s.size() - 2)) {
        if (ch == ',')
          out.push_back(cur), cur.clear();
        else if (ch != ' ')
          cur += ch;
      }
      out.push_back(cur);
      return out;
    };
    const auto ia = items(a), ib = items(b);
    if (ia.size() != ib.size()) return false;
    for (size_t i = 0; i < ia.size(); ++i) {
      if (!same_value(ia[i], ib[i])) return false;
    }
    return true;
  }
  const std::optional<double> na = as_number(a), nb = as_number(b);
  if (na && nb) return std::fabs(*na - *nb) <= 1e-12 * std::max(1.0, std::fabs(*na));
  return a == b;
}

void check_line_claims(const std::string& page, const std::string& page_dir, int number,
                       const std::string& line, Evidence& ev, DocsReport& report) {
  static const std::regex span(R"(`([^`]+)`)");
  const std::vector<std::string> targets = linked_scenarios(page_dir, line);
  std::vector<std::string> present;
  for (const std::string& t : targets) {
    if (ev.exists(t)) {
      present.push_back(t);
    } else {
      report.problems.push_back({page, number, "links " + t + ", which does not exist"});
    }
  }
  for (auto it = std::sregex_iterator(line.begin(), line.end(), span); it != std::sregex_iterator();
       ++it) {
    const std::string text = (*it)[1];
    try {
      const std::optional<Claim> c = parse_claim(text, ev.catalog());
      if (!c) continue;
      if (c->kind == Claim::param) {
        if (const std::optional<std::string> d = protocol_default(c->name, ev.catalog())) {
          ++report.claims;
          if (!same_value(*d, c->value)) {
            report.problems.push_back(
                {page, number, "claims `" + text + "`, but the default is " + *d});
          }
          continue;
        }
      }
      if (targets.empty()) {
        report.problems.push_back(
            {page, number, "the claim `" + text + "` links no scenario on its line"});
        continue;
      }
      for (const std::string& t : present) judge_one(*c, t, page, number, ev, report);
    } catch (const std::string& why) {
      report.problems.push_back({page, number, why});
    }
  }
}

}  // namespace lockstep::tools
