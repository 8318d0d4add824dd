#include "tools/render/scenario_schema.hpp"

#include <cassert>
#include <nlohmann/json.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/io/scenario_keys.hpp"
#include "sim/io/yaml_util.hpp"

namespace lockstep::tools {
namespace {

using Json = nlohmann::ordered_json;
using sim::keys::Form;

// A duration as parse_duration reads it (sim/core/time.cpp): digits with an optional point and a
// unit, or a bare 0.
constexpr const char* kDurationPattern = "^[0-9]*\\.?[0-9]+(ns|us|ms|s|m|h)$";
constexpr const char* kSignedDurationPattern = "^-?[0-9]*\\.?[0-9]+(ns|us|ms|s|m|h)$";

Json ref(std::string_view def) { return {{"$ref", "#/$defs/" + std::string(def)}}; }

Json one_of_words(std::span<const std::string_view> words) {
  Json e = Json::array();
  for (std::string_view w : words) e.push_back(std::string(w));
  return {{"enum", e}};
}

std::vector<std::string_view> split_choices(std::string_view choices) {
  std::vector<std::string_view> out;
  for (size_t start = 0; start <= choices.size();) {
    const size_t bar = std::min(choices.find('|', start), choices.size());
    out.push_back(choices.substr(start, bar - start));
    start = bar + 1;
  }
  return out;
}

Json array_of(Json item) { return {{"type", "array"}, {"items", std::move(item)}}; }
Json pair_of(Json item) {
  return {{"type", "array"}, {"items", std::move(item)}, {"minItems", 2}, {"maxItems", 2}};
}

// A value form that stands alone (a scalar or a distribution), or null for the others.
Json plain_form(const sim::keys::Key& key) {
  switch (key.form) {
    case Form::text:
      return {{"type", "string"}};
    case Form::seed:
      return {{"type", "integer"}, {"minimum", 0}};
    case Form::nodes:
      return {{"anyOf",
               Json::array({Json{{"type", "integer"}, {"minimum", 1}},
                            Json{{"type", "array"}, {"minItems", 1}, {"items", ref("node")}}})}};
    case Form::duration:
      return ref("duration");
    case Form::signed_duration:
      return ref("signed_duration");
    case Form::duration_or_range:
      return {{"anyOf", Json::array({ref("duration"), pair_of(ref("duration"))})}};
    case Form::probability:
      return ref("probability");
    case Form::number:
      return {{"type", "number"}};
    case Form::integer:
      return {{"type", "integer"}};
    case Form::boolean:
      return {{"type", "boolean"}};
    case Form::hash:
      return ref("hash");
    case Form::choice:
      return one_of_words(split_choices(key.detail));
    case Form::duration_dist:
      return ref("duration_distribution");
    case Form::signed_duration_dist:
      return ref("signed_duration_distribution");
    case Form::ppm_dist:
      return ref("ppm_distribution");
    default:
      return nullptr;
  }
}

// A key's value by its form; `amount` names the def a distribution's values are (inside one).
Json form_schema(const sim::keys::Key& key, std::string_view amount) {
  if (Json plain = plain_form(key); !plain.is_null()) return plain;
  switch (key.form) {
    case Form::node:
      return ref("node_id");
    case Form::target:
      return ref("node_id");
    case Form::targets: {
      Json out = array_of(ref("node_id"));
      out["minItems"] = 1;  // "a nemesis needs at least one target"
      return out;
    }
    case Form::groups:
      return array_of(array_of(ref("node_id")));
    case Form::section:
      return ref(key.detail);
    case Form::sections:
      return array_of(ref(key.detail));
    case Form::cuts:
      return array_of({{"anyOf", Json::array({ref("cut"), pair_of(ref("node_id"))})}});
    case Form::nemesis_kinds: {
      Json out = array_of(one_of_words(sim::keys::kNemesisKinds));
      out["uniqueItems"] = true;  // "'crash' is listed twice"
      out["minItems"] = 1;        // "the nemesis needs at least one fault kind"
      return out;
    }
    case Form::params:
      return {{"type", "object"}};
    case Form::workload:
      return {{"type", "object"}};
    case Form::checkers:
      return array_of(ref("checker"));
    case Form::expect:
      return ref("expect");
    case Form::faults:
      return array_of(ref("fault"));
    case Form::where:
      return {{"type", "object"},
              {"additionalProperties", {{"type", Json::array({"string", "number", "boolean"})}}}};
    case Form::kind:
      return ref("event_kind");
    case Form::message:
      return {{"type", "string"}};
    case Form::hashes:
      return array_of(ref("hash"));
    case Form::duration_pair:
      return pair_of(ref("duration"));
    case Form::signed_duration_pair:
      return pair_of(ref("signed_duration"));
    case Form::probability_pair:
      return pair_of(ref("probability"));
    case Form::ppm_pair:
      return pair_of(ref("ppm"));
    case Form::amount:
      return ref(amount);
    case Form::sweep:
      return {{"type", "object"},
              {"additionalProperties",
               {{"type", "array"}, {"minItems", 1}, {"items", {{"not", {{"type", "null"}}}}}}}};
    default:
      break;
  }
  throw std::logic_error("scenario schema: a key form without a schema");
}

Json mapping(std::span<const sim::keys::Key> keys, std::span<const std::string_view> required,
             std::string_view amount = {}) {
  Json props = Json::object();
  for (const sim::keys::Key& k : keys) props[std::string(k.name)] = form_schema(k, amount);
  Json out = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (!required.empty()) {
    Json r = Json::array();
    for (std::string_view k : required) r.push_back(std::string(k));
    out["required"] = r;
  }
  return out;
}

// A distribution of `amount`: a plain value, or one of the loader's distribution kinds.
Json distribution(std::string_view amount) {
  Json props = Json::object();
  for (std::string_view kind : sim::keys::kDistributions) {
    Json shape;
    if (kind == "uniform") shape = pair_of(ref(amount));
    if (kind == "exponential") shape = ref(amount);
    if (kind == "normal") shape = mapping(sim::keys::kNormal, {}, amount);
    if (kind == "lognormal") shape = mapping(sim::keys::kLognormal, {}, amount);
    if (shape.is_null()) throw std::logic_error("scenario schema: unknown distribution kind");
    props[std::string(kind)] = shape;
  }
  // Both keys of normal and lognormal are required (yaml_util.hpp's read_normal, read_lognormal).
  for (Json* m : {&props["normal"], &props["lognormal"]}) {
    Json r = Json::array();
    for (const auto& [k, v] : (*m)["properties"].items()) r.push_back(k);
    (*m)["required"] = r;
  }
  const Json object = {{"type", "object"},
                       {"properties", props},
                       {"additionalProperties", false},
                       {"minProperties", 1},
                       {"maxProperties", 1}};
  return {{"anyOf", Json::array({ref(amount), object})}};
}

Json param_value(const sim::ParamSpec& p) {
  Json out;
  switch (p.type) {
    case sim::ParamType::boolean:
      out = {{"type", "boolean"}};
      break;
    case sim::ParamType::integer:
      out = {{"type", "integer"}};
      break;
    case sim::ParamType::number:
      out = {{"type", "number"}};
      break;
    case sim::ParamType::duration:
      out = ref("duration");
      break;
    case sim::ParamType::duration_range:
      out = pair_of(ref("duration"));
      break;
    case sim::ParamType::distribution:
      out = ref("duration_distribution");
      break;
    case sim::ParamType::choice:
      out = one_of_words(split_choices(p.choices));
      break;
  }
  out["description"] = std::string(p.meaning) + " (default " + std::string(p.default_yaml) + ")";
  return out;
}

Json params(const std::vector<sim::ParamSpec>& specs) {
  Json props = Json::object();
  for (const sim::ParamSpec& p : specs) props[std::string(p.name)] = param_value(p);
  return {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
}

// The catalog's part: checker entries and expectations by checker name.
Json checker_entry(const sim::Catalog& catalog) {
  Json names = Json::array();
  Json props = Json::object();
  for (const sim::CheckerSpec& c : catalog.checkers()) {
    names.push_back(std::string(c.name));
    props[std::string(c.name)] = params(c.params);
    props[std::string(c.name)]["description"] = std::string(c.meaning);
  }
  const Json configured = {{"type", "object"},
                           {"properties", props},
                           {"additionalProperties", false},
                           {"minProperties", 1},
                           {"maxProperties", 1}};
  return {{"anyOf", Json::array({Json{{"enum", names}}, configured})}};
}

Json expect_schema(const sim::Catalog& catalog) {
  Json names = Json::array();
  for (const sim::CheckerSpec& c : catalog.checkers()) names.push_back(std::string(c.name));
  return {{"type", "object"},
          {"propertyNames", {{"enum", names}}},
          {"additionalProperties", one_of_words(sim::keys::kExpectations)}};
}

Json event_kinds(const sim::Catalog& catalog) {
  Json names = Json::array();
  const sim::Vocabulary& v = *catalog.vocabulary();
  for (size_t i = 0; i < v.kind_count(); ++i) {
    names.push_back(std::string(v.name(static_cast<sim::Kind>(i))));
  }
  return {{"enum", names}};
}

// What depends on the protocol named: its params (scenario-wide and per node), its roles, its
// workload keys and its message names.
Json protocol_rule(const sim::ProtocolSpec& p) {
  Json roles = Json::array();
  for (const sim::RoleSpec& r : p.roles) roles.push_back(std::string(r.name));
  Json messages = Json::array();
  for (std::string_view m : p.messages) messages.push_back(std::string(m));
  const Json node = {{"properties", {{"params", params(p.params)}, {"role", {{"enum", roles}}}}}};
  const Json drop = {{"properties", {{"message", {{"enum", messages}}}}}};
  const Json fault = {{"properties", {{"drop", drop}}}};
  const Json when = {
      {"properties",
       {{"protocol", {{"properties", {{"name", {{"const", std::string(p.name)}}}}}}}}},
      {"required", Json::array({"protocol"})}};
  const Json then = {{"properties",
                      {{"protocol", {{"properties", {{"params", params(p.params)}}}}},
                       {"nodes", {{"items", node}}},
                       {"workload", params(p.workload)},
                       {"faults", {{"items", fault}}}}}};
  return {{"if", when}, {"then", then}};
}

Json value_defs() {
  Json defs = Json::object();
  defs["duration"] = {
      {"description", "a duration such as 500ms or 2s (units ns, us, ms, s, m, h), or 0"},
      {"anyOf",
       Json::array({Json{{"type", "string"}, {"pattern", kDurationPattern}}, Json{{"const", 0}}})}};
  defs["signed_duration"] = {
      {"description", "a duration that may be negative, such as -2s"},
      {"anyOf", Json::array({Json{{"type", "string"}, {"pattern", kSignedDurationPattern}},
                             Json{{"const", 0}}})}};
  defs["probability"] = {{"type", "number"}, {"minimum", 0}, {"maximum", 1}};
  defs["ppm"] = {{"type", "number"},
                 {"minimum", sim::yaml_util::kPpmAmount.lo},
                 {"maximum", sim::yaml_util::kPpmAmount.hi}};
  defs["hash"] = {{"type", "string"}, {"pattern", "^[0-9a-f]{16}$"}};
  defs["node_id"] = {{"type", "string"}, {"description", "a node id, or a role target"}};
  defs["duration_distribution"] = distribution("duration");
  defs["signed_duration_distribution"] = distribution("signed_duration");
  defs["ppm_distribution"] = distribution("ppm");
  return defs;
}

}  // namespace

std::string scenario_schema(const sim::Catalog& catalog) {
  Json defs = value_defs();
  for (const sim::keys::Section& s : sim::keys::kSections) {
    if (s.name == "scenario") continue;
    defs[std::string(s.name)] = mapping(s.keys, s.required);
    defs[std::string(s.name)]["description"] = std::string(s.meaning);
  }
  // A fault entry names exactly one fault kind.
  Json kinds = Json::array();
  for (std::string_view k : sim::keys::kFaultKinds) {
    assert(defs["fault"]["properties"].contains(std::string(k)));
    kinds.push_back({{"required", Json::array({std::string(k)})}});
  }
  defs["fault"]["oneOf"] = kinds;
  Json protocols = Json::array();
  for (const sim::ProtocolSpec& p : catalog.protocols()) protocols.push_back(std::string(p.name));
  defs["protocol"]["properties"]["name"] = {{"enum", protocols}};
  defs["checker"] = checker_entry(catalog);
  defs["expect"] = expect_schema(catalog);
  defs["event_kind"] = event_kinds(catalog);

  const sim::keys::Section& top = sim::keys::kSections[0];
  assert(top.name == "scenario");
  Json root = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
               {"title", "lockstep scenario"},
               {"description", std::string(top.meaning) +
                                   "; generated by `lockstep schema` from the loader's key "
                                   "tables (sim/io/scenario_keys.hpp) and the catalog"}};
  root.update(mapping(top.keys, top.required));
  Json rules = Json::array();
  for (const sim::ProtocolSpec& p : catalog.protocols()) rules.push_back(protocol_rule(p));
  root["allOf"] = rules;
  root["$defs"] = defs;
  return root.dump(2) + "\n";
}

}  // namespace lockstep::tools
