// Hand-written client histories for the linearizability tests: one call per operation, with the
// true times (in nanoseconds) between which it ran and how it ended.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "checkers/linearizable/history.hpp"

namespace lockstep::checkers::linearizable::testing {

class Hist {
 public:
  Hist& write(const std::string& p, int64_t v, int64_t t0, int64_t t1, Outcome o = Outcome::ok,
              const std::string& key = "x") {
    return add(p, Fn::write, key, v, kNil, kNil, t0, t1, o);
  }
  // A read that returned `v` (kNil: nothing written).
  Hist& read(const std::string& p, int64_t v, int64_t t0, int64_t t1, Outcome o = Outcome::ok,
             const std::string& key = "x") {
    return add(p, Fn::read, key, kNil, kNil, v, t0, t1, o);
  }
  Hist& cas(const std::string& p, int64_t expect, int64_t v, int64_t t0, int64_t t1,
            Outcome o = Outcome::ok, const std::string& key = "x") {
    return add(p, Fn::cas, key, v, expect, kNil, t0, t1, o);
  }
  Hist& acquire(const std::string& p, int64_t t0, int64_t t1, Outcome o = Outcome::ok,
                const std::string& key = "l") {
    return add(p, Fn::acquire, key, kNil, kNil, kNil, t0, t1, o);
  }
  Hist& release(const std::string& p, int64_t t0, int64_t t1, Outcome o = Outcome::ok,
                const std::string& key = "l") {
    return add(p, Fn::release, key, kNil, kNil, kNil, t0, t1, o);
  }
  History done() { return b_.finish(); }

 private:
  Hist& add(const std::string& p, Fn f, const std::string& key, int64_t value, int64_t expect,
            int64_t result, int64_t t0, int64_t t1, Outcome o) {
    const size_t pi = b_.process(p);
    const size_t ki = b_.key(key);
    const HistoryBuilder::Problem in = b_.invoke(pi, f, ki, value, expect, t0, next_ref_++);
    EXPECT_TRUE(in.ok()) << in.field << ": " << in.text;
    const HistoryBuilder::Problem out = b_.complete(pi, o, f, ki, result, t1, next_ref_++);
    EXPECT_TRUE(out.ok()) << out.field << ": " << out.text;
    return *this;
  }
  HistoryBuilder b_;
  int64_t next_ref_ = 0;
};

}  // namespace lockstep::checkers::linearizable::testing
