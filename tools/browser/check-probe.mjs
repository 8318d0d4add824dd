// Judges what tools/browser/probe.js saw in a timeline page that headless Chromium rendered
// (tools/browser/check-timeline runs it on the dumped DOM):
//  - labels: no two text boxes of the axis or the lanes intersect, none extends outside its SVG,
//    every label on the lanes lies inside the plot (where it would otherwise be clipped), and
//    no two axis ticks read the same;
//  - hover: every event drawn on a node's lane names that node's mono and wall readings and
//    their difference from true time; every message arrow names its message type;
//  - and what the flags ask for: --min-labels=N drawn, --rejected (labelled rejected writes),
//    --details (the panel opens on a click, shows the event's fields, Escape and the close button
//    hide it), --cut (a cut band naming its fault), --drift (a wall clock off true time),
//    --msg-labels (at least one arrow labelled with its type), --crowded (the layout had to
//    leave labels out, so this page did test it).
//
// usage: node check-probe.mjs NAME DOM.html [--flag ...]
import { readFileSync } from 'node:fs';

const [name, domPath, ...flags] = process.argv.slice(2);
const flag = (f) => flags.find((x) => x === f || x.startsWith(f + '='));
// Script text is not DOM: the probe's own source names the element it writes.
const dump = readFileSync(domPath, 'utf8').replace(/(<script[^>]*>)[^]*?(<\/script>)/g, '$1$2');
const pre = /<pre id="probe-result">([^]*?)<\/pre>/.exec(dump);
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};
if (!pre) {
  console.error('timeline probe (' + name + '): no probe result in ' + domPath);
  process.exit(1);
}
const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&nbsp;/g, '\u00a0').replace(/&amp;/g, '&');
const P = JSON.parse(unescape(pre[1]));

// ---- Labels: no overlap, no clipping --------------------------------------------------------
const EPS = 0.5;  // px: rounding of the layout
const intersect = (a, b) => a.x + EPS < b.x + b.w && b.x + EPS < a.x + a.w &&
                            a.y + EPS < b.y + b.h && b.y + EPS < a.y + a.h;
const show = (b) => JSON.stringify(b.text) + ' at ' + b.x.toFixed(1) + ',' + b.y.toFixed(1) +
                    ' ' + b.w.toFixed(1) + 'x' + b.h.toFixed(1);
let plotLabels = 0;
for (const [id, svg] of Object.entries(P.svgs)) {
  const boxes = svg.labels;
  for (const b of boxes) {
    check(b.x >= -EPS && b.y >= -EPS && b.x + b.w <= svg.w + EPS && b.y + b.h <= svg.h + EPS,
          '#' + id + ': label ' + show(b) + ' extends outside the SVG (' + svg.w + 'x' + svg.h +
          ')');
    const inPlot = id === 'lanes' && !/lane-(label|role)/.test(b.cls);
    if (inPlot && svg.clip) {
      plotLabels++;
      check(b.x >= svg.clip.x - EPS && b.x + b.w <= svg.clip.x + svg.clip.w + EPS,
            '#lanes: label ' + show(b) + ' is clipped by the plot (' + svg.clip.x + ' to ' +
            (svg.clip.x + svg.clip.w) + ')');
    }
  }
  // Sorted by x, each box is compared with those that start before it ends.
  const sorted = [...boxes].sort((a, b) => a.x - b.x);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].x < sorted[i].x + sorted[i].w; j++) {
      check(!intersect(sorted[i], sorted[j]),
            '#' + id + ': labels overlap: ' + show(sorted[i]) + ' and ' + show(sorted[j]));
    }
  }
}
// Each tick of the time axis names a different time (a rounding bug once printed 19s twice).
const ticks = P.svgs.axis.labels.filter((b) => b.cls === 'tick-label' && b.text !== 'true time')
    .map((b) => b.text);
check(new Set(ticks).size === ticks.length, 'the axis names a time twice: ' + ticks.join(' '));
const min = flag('--min-labels');
if (min) {
  const n = Number(min.split('=')[1]);
  check(plotLabels >= n, 'only ' + plotLabels + ' labels on the lanes, expected at least ' + n);
}

// ---- Hover: clock readings and message types ------------------------------------------------
const READING = (clock) => clock + ' -?\\d+\\.\\d{3}s \\(' + clock + ' [+-][\\d.]+(ns|µs|ms|s)?\\)';
const CLOCKS = new RegExp(READING('mono') + ', ' + READING('wall'));
let onLanes = 0;
for (const it of P.items) {
  if (it.title === null) continue;  // a label: its mark carries the hover
  const system = it.node === '' || it.kind === 'cut';  // read by no node's clock
  if (it.cls.split(' ').includes('msg')) {
    check(it.title.startsWith(it.type + ' '), it.item + ': the arrow hover lacks its type: ' +
          JSON.stringify(it.title));
  }
  if (system) continue;
  onLanes++;
  check(CLOCKS.test(it.title), it.item + ' (' + it.cls + ' ' + it.kind + '): the hover lacks ' +
        "the node's clock readings: " + JSON.stringify(it.title));
}
check(onLanes > 0, 'no event on a lane has a hover');
if (flag('--crowded')) {
  check(P.svgs.lanes.hidden > 0, 'the layout left no label out: this page does not crowd them');
}
if (flag('--drift')) {
  check(P.items.some((it) => it.title && /\(wall [+-](?!0\))/.test(it.title)),
        'no hover shows a wall clock off true time');
}
if (flag('--msg-labels')) {
  check(P.svgs.lanes.labels.some((b) => b.cls.includes('msg-label')),
        'no message arrow is labelled with its type');
}

// ---- Rejected writes, cuts, the details panel -----------------------------------------------
if (flag('--rejected')) {
  const labels = P.svgs.lanes.labels.filter((b) => b.cls.includes('write-label'));
  check(labels.length > 0, 'no rejected write is labelled');
  for (const b of labels) {
    check(/^rejected \S+ t\d+ < \d+$/.test(b.text), 'a rejected write label reads ' +
          JSON.stringify(b.text) + ', not "rejected WRITER tTOKEN < HIGHEST"');
  }
}
if (flag('--cut')) {
  const bands = P.items.filter((it) => it.kind === 'cut' && it.cls === 'span');
  check(bands.length > 0, 'no cut band on any lane');
  check(bands.every((b) => /\nby \S/.test(b.title)), 'a cut band does not name its fault');
  const named = P.svgs.lanes.labels.filter((b) => b.cls.includes('cut-label'));
  check(named.length > 0, 'no cut band is labelled with its fault');
  for (const b of named) {
    const words = b.text.replace(/…$/, '');
    check(words.length >= 7 && bands.some((band) => band.title.includes('\nby ' + words)),
          'the cut label ' + JSON.stringify(b.text) + ' does not name a fault of its band');
  }
}
if (flag('--details')) {
  const d = P.details;
  check(d.before && d.before.hidden, 'the details panel shows before any click');
  check(d.open && !d.open.hidden && d.open.item === d.clicked,
        'a click on ' + d.clicked + ' did not open the details panel');
  const fields = new Map((d.open ? d.open.rows : []).map(([k, v]) => [k, v]));
  for (const k of ['kind', 'node', 't', 'mono', 'wall']) {
    check(fields.has(k), 'the details panel lacks "' + k + '": ' + JSON.stringify(d.open));
  }
  if (flag('--rejected')) {
    for (const k of ['writer', 'token', 'highest']) {
      check(fields.has(k), 'the rejected write\'s details lack its field "' + k + '"');
    }
    check(fields.get('kind') === 'resource.rejected',
          'the details name kind ' + fields.get('kind'));
  }
  check(d.afterEscape && d.afterEscape.hidden, 'Escape did not hide the details panel');
  check(d.afterClose && d.afterClose.hidden, 'the close button did not hide the details panel');
}

if (failures.length > 0) {
  console.error('timeline probe (' + name + ') FAILED:\n  ' + failures.slice(0, 25).join('\n  ') +
                (failures.length > 25 ? '\n  ... and ' + (failures.length - 25) + ' more' : ''));
  process.exit(1);
}
console.log('timeline probe (' + name + '): ' + plotLabels + ' labels on the lanes, none ' +
            'overlapping or clipped; ' + onLanes + ' hovers with clock readings' +
            (flags.length ? '; ' + flags.join(' ') : ''));
