// Generated tables: the <!-- lockstep:KIND params --> ... <!-- /lockstep:KIND --> markers and
// their renderings (metrics and compare from explore results, params from the catalog, dashboard
// from a run's OpenMetrics families: a Grafana JSON file beside a short text on the page).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "tools/docs/evidence.hpp"

namespace lockstep::tools {

struct Marker {
  std::string kind;
  std::map<std::string, std::string> params;  // `key=value` words; bare flags map to ""
  int line = 0;                               // 1-based line of the opening marker

  // kind and params in a fixed order: how the page's record of tables names this one.
  std::string canonical() const;
};

std::optional<Marker> opening_marker(const std::string& line, int number);
bool closing_marker(const std::string& line, const std::string& kind);
// Parses `metrics scenario=... seeds=200` (a record entry) into a marker.
Marker marker_from_words(const std::string& words, int number);

// The scenarios a marker names (relative to the root); empty for catalog tables.
std::vector<std::string> marker_scenarios(const Marker& m);

// A file a block writes besides its text (a dashboard's JSON); `path` is relative to the root.
struct GeneratedFile {
  std::string path;
  std::string content;
  // Text an existing file must hold before render replaces it (the dashboard's uid): a file
  // without it was not written by this block (out=docs/scenario.schema.json), so it is kept.
  std::string mark;
};

struct RenderedBlock {
  std::string text;                  // what goes between the markers
  std::vector<GeneratedFile> files;  // docs check compares them, docs render writes them
  // Set when the marker's params name something unusable (a bad out= path): reported at the
  // marker's line; text and files are then empty and nothing is written.
  std::string problem;
};

// Throws sim::InputError for a malformed marker (unknown kind or parameter).
RenderedBlock render_block(const Marker& m, const std::string& page, Evidence& ev);

}  // namespace lockstep::tools
