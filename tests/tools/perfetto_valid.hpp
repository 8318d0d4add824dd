// What every Perfetto file must be: the structure the Chrome trace-event format requires of each
// phase, flows that pair up, and timestamps that never go back on one track (shared by the
// every-scenario test and the Perfetto tests).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

namespace lockstep::tools {

inline void expect_valid_perfetto(const nlohmann::json& j, const std::string& where) {
  ASSERT_TRUE(j.is_object()) << where;
  ASSERT_TRUE(j.contains("traceEvents") && j["traceEvents"].is_array()) << where;
  std::set<int64_t> named_pids;
  std::set<int64_t> used_pids;
  std::map<int64_t, double> flow_start;
  std::map<int64_t, int> flow_ends;
  std::map<std::pair<int64_t, int64_t>, double> last_ts;
  for (const nlohmann::json& e : j["traceEvents"]) {
    ASSERT_TRUE(e.is_object()) << where;
    ASSERT_TRUE(e.contains("ph") && e["ph"].is_string()) << where << ": " << e.dump();
    ASSERT_TRUE(e.contains("pid") && e["pid"].is_number_integer()) << e.dump();
    ASSERT_TRUE(e.contains("tid") && e["tid"].is_number_integer()) << e.dump();
    ASSERT_TRUE(e.contains("name") && e["name"].is_string()) << e.dump();
    const std::string ph = e["ph"];
    const int64_t pid = e["pid"];
    if (ph == "M") {
      ASSERT_TRUE(e.contains("args") && e["args"].is_object()) << e.dump();
      if (e["name"] == "process_name") named_pids.insert(pid);
      continue;
    }
    used_pids.insert(pid);
    ASSERT_TRUE(e.contains("ts") && e["ts"].is_number()) << e.dump();
    const double ts = e["ts"];
    EXPECT_GE(ts, 0) << e.dump();
    const auto track = std::make_pair(pid, e["tid"].get<int64_t>());
    if (last_ts.count(track) != 0) {
      EXPECT_GE(ts, last_ts[track]) << where << ": " << e.dump();
    }
    last_ts[track] = ts;
    if (ph == "X") {
      ASSERT_TRUE(e.contains("dur") && e["dur"].is_number()) << e.dump();
      EXPECT_GE(e["dur"].get<double>(), 0) << e.dump();
    } else if (ph == "i") {
      ASSERT_TRUE(e.contains("s")) << e.dump();
      EXPECT_TRUE(e["s"] == "g" || e["s"] == "p" || e["s"] == "t") << e.dump();
    } else if (ph == "s" || ph == "f") {
      ASSERT_TRUE(e.contains("id") && e["id"].is_number_integer()) << e.dump();
      ASSERT_TRUE(e.contains("cat")) << e.dump();
      const int64_t id = e["id"];
      if (ph == "s") {
        EXPECT_EQ(flow_start.count(id), 0u) << "flow id used twice: " << e.dump();
        flow_start[id] = ts;
      } else {
        EXPECT_EQ(e.value("bp", ""), "e") << e.dump();
        ASSERT_EQ(flow_start.count(id), 1u) << "a flow end before its start: " << e.dump();
        EXPECT_GE(ts, flow_start[id]) << e.dump();
        ++flow_ends[id];
      }
    } else {
      ADD_FAILURE() << "unexpected phase " << ph << " in " << where;
    }
  }
  for (const auto& [id, ts] : flow_start) {
    EXPECT_EQ(flow_ends[id], 1) << where << ": flow " << id << " does not end exactly once";
  }
  for (const int64_t pid : used_pids) {
    EXPECT_EQ(named_pids.count(pid), 1u) << where << ": process " << pid << " has no name";
  }
}

}  // namespace lockstep::tools
