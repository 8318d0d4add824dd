#include "sim/scenario/catalog.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace lockstep::sim {
namespace {

bool contains(const std::vector<std::string_view>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::invalid_argument bad_spec(const ProtocolSpec& p, const std::string& what) {
  return std::invalid_argument("protocol " + std::string(p.name) + ": " + what);
}

// Adds the protocol's fields and kinds to `v`, checking that the spec is consistent.
void declare(const ProtocolSpec& p, Vocabulary& v) {
  std::vector<std::string_view> fields;
  for (const FieldSpec& f : p.fields) {
    v.declare_key(f.name, f.type);
    fields.push_back(f.name);
  }
  std::vector<std::string_view> kinds;
  for (const ObservationSpec& o : p.observations) {
    for (std::string_view f : o.fields) {
      if (!contains(fields, f)) {
        throw bad_spec(p, "observation " + std::string(o.kind) + " names undeclared field '" +
                              std::string(f) + "'");
      }
    }
    v.declare_kind(o.kind);
    kinds.push_back(o.kind);
  }
  std::vector<std::string_view> claims;
  for (const ClaimSpec& c : p.claims) {
    for (const auto* list : {&c.start, &c.end}) {
      for (std::string_view k : *list) {
        if (!contains(kinds, k)) {
          throw bad_spec(p, "claim " + std::string(c.role) + " names unobserved kind '" +
                                std::string(k) + "'");
        }
      }
    }
    claims.push_back(c.role);
  }
  for (const RoleSpec& r : p.roles) {
    for (std::string_view c : r.claims) {
      if (!contains(claims, c)) {
        throw bad_spec(
            p, "role " + std::string(r.name) + " makes undeclared claim '" + std::string(c) + "'");
      }
    }
  }
}

}  // namespace

Catalog::Catalog(std::vector<ProtocolSpec> protocols, std::vector<CheckerSpec> checkers)
    : protocols_(std::move(protocols)), checkers_(std::move(checkers)) {
  auto vocabulary = std::make_shared<Vocabulary>();
  for (size_t i = 0; i < protocols_.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (protocols_[j].name == protocols_[i].name) {
        throw std::invalid_argument("protocol " + std::string(protocols_[i].name) +
                                    " is listed twice");
      }
    }
    declare(protocols_[i], *vocabulary);
  }
  for (size_t i = 0; i < checkers_.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (checkers_[j].name == checkers_[i].name) {
        throw std::invalid_argument("checker " + std::string(checkers_[i].name) +
                                    " is listed twice");
      }
    }
  }
  vocabulary_ = std::move(vocabulary);
}

const ProtocolSpec* Catalog::protocol(std::string_view name) const {
  for (const ProtocolSpec& p : protocols_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const CheckerSpec* Catalog::checker(std::string_view name) const {
  for (const CheckerSpec& c : checkers_) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<RoleClaim> Catalog::claims_of(const ProtocolSpec& protocol) const {
  std::vector<RoleClaim> out;
  for (const ClaimSpec& c : protocol.claims) {
    RoleClaim claim{std::string(c.role), {}, {}};
    for (std::string_view k : c.start) claim.start.push_back(*vocabulary_->find_kind(k));
    for (std::string_view k : c.end) claim.end.push_back(*vocabulary_->find_kind(k));
    out.push_back(std::move(claim));
  }
  return out;
}

}  // namespace lockstep::sim
