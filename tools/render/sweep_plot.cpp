#include "tools/render/sweep_plot.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

#include "sim/core/time.hpp"
#include "tools/render/timeline.hpp"

namespace lockstep::tools {
namespace {

constexpr double kWidth = 760;
constexpr double kLeft = 80;
constexpr double kRight = 190;  // room for the legend
constexpr double kTop = 70;
constexpr double kPanel = 230;  // one panel's plotting height
constexpr double kGap = 80;     // between panels: the x labels of the first
constexpr const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                   "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string tick_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::abs(v) < 1e-12 ? 0.0 : v);
  return buf;
}

struct Point {
  double x;           // plot position of the first key's value
  std::string label;  // the first key's value as written
  std::optional<double> y;
  std::string series;
};

// A panel: its y range, heading, and the points.
struct Panel {
  std::string name;  // data-panel
  std::string title;
  std::string axis;  // the y axis's label
  double top;
  std::vector<double> y_ticks;
  std::vector<Point> points;
};

struct Frame {
  double x_lo, x_hi;
  std::vector<std::pair<double, std::string>> x_ticks;  // position, label
  std::string x_title;
};

double px(const Frame& f, double x) {
  const double span = f.x_hi - f.x_lo;
  return kLeft + (span <= 0 ? 0.5 : (x - f.x_lo) / span) * (kWidth - kLeft - kRight);
}

double py(const Panel& p, double y) {
  const double lo = p.y_ticks.front();
  const double hi = p.y_ticks.back();
  return p.top + kPanel - (hi <= lo ? 0.5 : (y - lo) / (hi - lo)) * kPanel;
}

void draw_axes(std::string& out, const Frame& f, const Panel& p) {
  const double bottom = p.top + kPanel;
  const double right = kWidth - kRight;
  out += "<g class=\"axis x\" data-panel=\"" + p.name + "\"><line x1=\"" + num(kLeft) + "\" y1=\"" +
         num(bottom) + "\" x2=\"" + num(right) + "\" y2=\"" + num(bottom) + "\" stroke=\"#333\"/>";
  for (const auto& [x, label] : f.x_ticks) {
    const double at = px(f, x);
    out += "<g class=\"tick\" data-value=\"" + html_escape(label) + "\"><line x1=\"" + num(at) +
           "\" y1=\"" + num(bottom) + "\" x2=\"" + num(at) + "\" y2=\"" + num(bottom + 5) +
           "\" stroke=\"#333\"/><text x=\"" + num(at) + "\" y=\"" + num(bottom + 18) +
           "\" text-anchor=\"middle\">" + html_escape(label) + "</text></g>";
  }
  out += "<text class=\"axis-label\" x=\"" + num((kLeft + right) / 2) + "\" y=\"" +
         num(bottom + 38) + "\" text-anchor=\"middle\">" + html_escape(f.x_title) + "</text></g>";
  out += "<g class=\"axis y\" data-panel=\"" + p.name + "\"><line x1=\"" + num(kLeft) + "\" y1=\"" +
         num(p.top) + "\" x2=\"" + num(kLeft) + "\" y2=\"" + num(bottom) + "\" stroke=\"#333\"/>";
  for (double y : p.y_ticks) {
    const double at = py(p, y);
    out += "<g class=\"tick\" data-value=\"" + tick_text(y) + "\"><line x1=\"" + num(kLeft - 5) +
           "\" y1=\"" + num(at) + "\" x2=\"" + num(right) + "\" y2=\"" + num(at) +
           "\" stroke=\"#ddd\"/><text x=\"" + num(kLeft - 8) + "\" y=\"" + num(at + 4) +
           "\" text-anchor=\"end\">" + tick_text(y) + "</text></g>";
  }
  out += "<text class=\"axis-label\" transform=\"translate(" + num(kLeft - 55) + "," +
         num(p.top + kPanel / 2) + ") rotate(-90)\" text-anchor=\"middle\">" + html_escape(p.axis) +
         "</text></g>";
}

void draw_series(std::string& out, const Frame& f, const Panel& p,
                 const std::vector<std::string>& series) {
  for (size_t s = 0; s < series.size(); ++s) {
    const std::string color = kColors[s % std::size(kColors)];
    std::string line;
    std::string dots;
    for (const Point& pt : p.points) {
      if (pt.series != series[s] || !pt.y) continue;
      const double x = px(f, pt.x);
      const double y = py(p, *pt.y);
      line += num(x) + "," + num(y) + " ";
      dots += "<circle class=\"point\" data-panel=\"" + p.name + "\" data-x=\"" +
              html_escape(pt.label) + "\" data-y=\"" + tick_text(*pt.y) + "\" data-series=\"" +
              html_escape(pt.series) + "\" cx=\"" + num(x) + "\" cy=\"" + num(y) +
              "\" r=\"4\" fill=\"" + color + "\"><title>" +
              html_escape(pt.label + (pt.series.empty() ? "" : " (" + pt.series + ")") + ": " +
                          tick_text(*pt.y)) +
              "</title></circle>";
    }
    out += "<polyline class=\"series\" data-panel=\"" + p.name + "\" data-series=\"" +
           html_escape(series[s]) + "\" fill=\"none\" stroke=\"" + color +
           "\" stroke-width=\"2\" points=\"" + line + "\"/>" + dots;
  }
  out += "<text class=\"panel-title\" x=\"" + num(kLeft) + "\" y=\"" + num(p.top - 10) +
         "\" font-weight=\"bold\">" + html_escape(p.title) + "</text>";
}

}  // namespace

std::optional<double> plot_position(const std::string& value) {
  if (const std::optional<sim::Duration> d = sim::parse_duration(value)) return d->seconds_f();
  double v = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec == std::errc() && end == value.data() + value.size() && std::isfinite(v)) return v;
  return std::nullopt;
}

std::vector<double> nice_ticks(double lo, double hi, int count) {
  assert(count > 0);
  if (!(hi > lo)) hi = lo + 1;
  const double raw = (hi - lo) / count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  std::vector<double> out;
  for (double t = std::floor(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    out.push_back(t);
    if (out.back() >= hi - step * 1e-9) break;
  }
  if (out.back() < hi) out.push_back(out.back() + step);
  return out;
}

namespace {

// The x frame over the first key's values: to scale when they are all numbers or durations.
Frame x_frame(const SweepResult& sweep, std::vector<double>& positions) {
  const sim::SweepAxis& axis = sweep.axes.front();
  Frame f{0, 0, {}, axis.key};
  bool numeric = true;
  for (const std::string& v : axis.values) numeric = numeric && plot_position(v).has_value();
  for (size_t i = 0; i < axis.values.size(); ++i) {
    positions.push_back(numeric ? *plot_position(axis.values[i]) : static_cast<double>(i));
    f.x_ticks.push_back({positions.back(), axis.values[i]});
  }
  f.x_lo = *std::min_element(positions.begin(), positions.end());
  f.x_hi = *std::max_element(positions.begin(), positions.end());
  const double pad = f.x_hi > f.x_lo ? (f.x_hi - f.x_lo) * 0.05 : 0.5;
  f.x_lo -= pad;
  f.x_hi += pad;
  return f;
}

// "renew_every=2s" for the keys after the first: which line a point is on.
std::string series_of(const SweepPointResult& p) {
  std::vector<sim::Override> rest(p.point.begin() + 1, p.point.end());
  return point_label(rest);
}

std::vector<double> metric_ticks(const std::vector<Point>& points) {
  double lo = 0;
  double hi = 0;
  bool any = false;
  for (const Point& p : points) {
    if (!p.y) continue;
    lo = any ? std::min(lo, *p.y) : std::min(0.0, *p.y);
    hi = any ? std::max(hi, *p.y) : *p.y;
    any = true;
  }
  return nice_ticks(lo, hi > lo ? hi : lo + 1, 5);
}

void draw_legend(std::string& out, const std::vector<std::string>& series) {
  if (series.size() < 2) return;
  double y = kTop + 10;
  const double x = kWidth - kRight + 20;
  out += "<g class=\"legend\">";
  for (size_t s = 0; s < series.size(); ++s, y += 20) {
    out += "<g class=\"legend-item\" data-series=\"" + html_escape(series[s]) + "\"><circle cx=\"" +
           num(x) + "\" cy=\"" + num(y - 4) + "\" r=\"4\" fill=\"" +
           kColors[s % std::size(kColors)] + "\"/><text x=\"" + num(x + 10) + "\" y=\"" + num(y) +
           "\">" + html_escape(series[s]) + "</text></g>";
  }
  out += "</g>";
}

}  // namespace

std::string sweep_svg(const SweepResult& sweep) {
  assert(!sweep.axes.empty() && !sweep.points.empty());
  std::vector<double> positions;
  const Frame frame = x_frame(sweep, positions);
  const std::vector<SweepRow> rows = sweep_rows(sweep);
  Panel rate{"violation_rate",        "violation rate (share of seeds with a violated checker)",
             "violation rate",        kTop,
             {0, 0.25, 0.5, 0.75, 1}, {}};
  const std::string unit = sweep_json(sweep).value("unit", "");
  const std::string unit_text = unit.empty() || unit == "count" ? "" : " (" + unit + ")";
  Panel metric{"metric",
               sweep.metric + unit_text + ", median over seeds",
               sweep.metric + unit_text,
               kTop + kPanel + kGap,
               {},
               {}};
  std::vector<std::string> series;
  const std::vector<std::string>& first = sweep.axes.front().values;
  for (size_t i = 0; i < sweep.points.size(); ++i) {
    const std::string& value = sweep.points[i].point.front().value;
    const size_t at =
        static_cast<size_t>(std::find(first.begin(), first.end(), value) - first.begin());
    const std::string s = series_of(sweep.points[i]);
    if (std::find(series.begin(), series.end(), s) == series.end()) series.push_back(s);
    rate.points.push_back({positions[at], value, rows[i].violation_rate, s});
    metric.points.push_back({positions[at], value, rows[i].metric_p50, s});
  }
  metric.y_ticks = metric_ticks(metric.points);
  const double height = metric.top + kPanel + 60;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sweep-plot\" width=\"" +
                    num(kWidth) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(kWidth) +
                    " " + num(height) + "\" font-family=\"sans-serif\" font-size=\"12\">";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>";
  const uint64_t seeds = rows.empty() ? 0 : rows.front().seeds;
  const std::string& scenario = sweep.points.front().result.scenario;
  out += "<text class=\"title\" x=\"" + num(kLeft) + "\" y=\"20\" font-size=\"15\">" +
         html_escape(scenario.substr(0, scenario.find('@'))) + "</text>";
  out += "<text class=\"subtitle\" x=\"" + num(kLeft) + "\" y=\"38\">sweep over " +
         html_escape(sweep.axes.front().key) + ", " + std::to_string(seeds) +
         " seeds per point</text>";
  for (const Panel* p : {&rate, &metric}) {
    draw_axes(out, frame, *p);
    draw_series(out, frame, *p, series);
  }
  draw_legend(out, series);
  out += "</svg>\n";
  return out;
}

}  // namespace lockstep::tools
