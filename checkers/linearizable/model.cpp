#include "checkers/linearizable/model.hpp"

#include <cassert>
#include <string>

namespace lockstep::checkers::linearizable {

std::string_view model_name(Model m) {
  switch (m) {
    case Model::lock:
      return "lock";
    case Model::register_:
      return "register";
    case Model::cas:
      return "cas";
    case Model::mixed:
      return "mixed";
  }
  return "?";
}

std::optional<Model> model_from_name(std::string_view name) {
  if (name == "lock") return Model::lock;
  if (name == "register") return Model::register_;
  if (name == "cas") return Model::cas;
  if (name == "mixed") return Model::mixed;
  return std::nullopt;
}

bool model_knows(Model m, Fn f) {
  switch (m) {
    case Model::lock:
      return f == Fn::acquire || f == Fn::release;
    case Model::register_:
      return f == Fn::read || f == Fn::write;
    case Model::cas:
      return f == Fn::read || f == Fn::write || f == Fn::cas;
    case Model::mixed:
      return true;
  }
  return false;
}

Model key_model(Model m, Fn f) {
  if (m != Model::mixed) return m;
  return f == Fn::acquire || f == Fn::release ? Model::lock : Model::cas;
}

std::string describe_state(Model m, int64_t state, const History& h) {
  if (m == Model::lock) {
    if (state == kNil) return "free";
    assert(state >= 0 && static_cast<size_t>(state) < h.processes.size());
    return "held by " + h.processes[static_cast<size_t>(state)];
  }
  return state == kNil ? std::string("nil (never written)") : std::to_string(state);
}

}  // namespace lockstep::checkers::linearizable
