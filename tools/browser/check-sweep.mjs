// Checks the DOM that headless Chromium parsed from a lockstep sweep plot (tools/browser/
// check-sweep runs it): the document is an SVG Chromium could load, with both panels' axes, a tick
// and a point per swept value, the labels, and points that agree with the sweep's CSV table.
//
// usage: node check-sweep.mjs DOM.html PLOT.svg TABLE.csv
import { readFileSync } from 'node:fs';

const [domPath, svgPath, csvPath] = process.argv.slice(2);
const dom = readFileSync(domPath, 'utf8');
const svg = readFileSync(svgPath, 'utf8');
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};

// Self-contained: no script, no external reference; the only URL is the SVG namespace.
check(!/<script/i.test(svg), 'the plot has a script');
check(!/href=/i.test(svg), 'the plot references another resource');
check(svg.replaceAll('http://www.w3.org/2000/svg', '').indexOf('://') < 0, 'the plot names a URL');

const elements = [];
for (const m of dom.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g)) {
  const attrs = {};
  for (const a of m[2].matchAll(/([\w:-]+)(?:="([^"]*)")?/g)) attrs[a[1]] = a[2] ?? '';
  elements.push({ tag: m[1].toLowerCase(), attrs });
}
const classes = (e) => (e.attrs.class || '').split(/\s+/);
const find = (cls, want = {}) => elements.filter((e) => classes(e).includes(cls) &&
    Object.entries(want).every(([k, v]) => e.attrs[k] === String(v)));
check(find('sweep-plot').length === 1 && find('sweep-plot')[0].tag === 'svg',
      'Chromium did not parse an <svg class="sweep-plot"> (is the file well-formed?)');

// The table the plot was drawn from.
const rows = readFileSync(csvPath, 'utf8').trim().split('\n').map((l) => l.split(','));
const header = rows.shift();
const lease = header.indexOf('protocol.params.lease');
const rate = header.indexOf('violation_rate');
check(lease >= 0 && rate >= 0, 'the CSV has lease and violation_rate columns: ' + header);
const values = rows.map((r) => r[lease]);
check(values.length === 5, '5 swept values in the table, got ' + values.length);

for (const panel of ['violation_rate', 'metric']) {
  const x = find('axis', { 'data-panel': panel }).filter((e) => classes(e).includes('x'));
  const y = find('axis', { 'data-panel': panel }).filter((e) => classes(e).includes('y'));
  check(x.length === 1, panel + ': one x axis, got ' + x.length);
  check(y.length === 1, panel + ': one y axis, got ' + y.length);
  const points = find('point', { 'data-panel': panel });
  check(points.length === values.length,
        panel + ': a point per swept value: ' + points.length + ' for ' + values.length);
  for (const v of values) {
    check(points.some((p) => p.attrs['data-x'] === v), panel + ': no point at ' + v);
  }
  check(find('series', { 'data-panel': panel }).length === 1, panel + ': one line');
}
const ticks = find('tick');
for (const v of values) {
  check(ticks.filter((t) => t.attrs['data-value'] === v).length === 2,
        'a tick labelled ' + v + ' on both x axes');
}
for (const v of ['0', '0.5', '1']) {
  check(ticks.some((t) => t.attrs['data-value'] === v), 'a violation-rate tick at ' + v);
}
// Labels: the title, both axis titles, the swept key.
const text = dom.replace(/<[^>]+>/g, ' ');
check(/sweep over protocol\.params\.lease/.test(text), 'the title names the swept key');
check(/violation rate/.test(text), 'the violation-rate axis is labelled');
check(/lock\.wait_time\.max/.test(text), 'the metric axis names the metric');
check(find('axis-label').length === 4, 'four axis labels, got ' + find('axis-label').length);

// The points say what the table says; a longer lease than any pause leaves no violation.
const rates = find('point', { 'data-panel': 'violation_rate' });
rows.forEach((r) => {
  const p = rates.find((e) => e.attrs['data-x'] === r[lease]);
  if (p) {
    check(Math.abs(Number(p.attrs['data-y']) - Number(r[rate])) < 1e-6,
          'the point at ' + r[lease] + ' is ' + p.attrs['data-y'] + ', the table says ' + r[rate]);
  }
});
check(Number(rows[0][rate]) > Number(rows[rows.length - 1][rate]),
      'the violation rate falls from the shortest lease to the longest');

if (failures.length > 0) {
  console.error('check-sweep: ' + failures.length + ' problem(s):\n  ' + failures.join('\n  '));
  process.exit(1);
}
console.log('check-sweep: ' + values.length + ' points in each of 2 panels, axes and labels present');
