(function () {
  'use strict';
  const D = JSON.parse(document.getElementById('timeline-data').textContent);
  // The data's shape is versioned (kTimelineDataVersion in tools/render/timeline.hpp); a page
  // whose data it does not know says so instead of drawing something wrong.
  if (D.version !== 3) {
    document.getElementById('app').textContent =
        'This timeline page cannot read its data (version ' + D.version + ', expected 3).';
    return;
  }
  const END = Math.max(D.end_ns, 1);
  const N = D.nodes.length;
  const LABEL_W = 150;
  const RIGHT = 14;
  const AXIS_H = 44;
  const LANE_H = N <= 8 ? 46 : N <= 20 ? 34 : 26;
  const H = Math.max(N, 1) * LANE_H;
  const PALETTE = ['#3b6fb6', '#4f9a4a', '#9b5fb0', '#2c9c9c', '#9c6b43', '#c2577f', '#6474c9',
                   '#7f8f2a'];
  const MSG_COLORS = ['#8aa4c8', '#9fb98d', '#c2a1cf', '#86c0bd', '#c9a88a', '#d8a0b5'];

  const esc = (s) => String(s).replace(/[&<>"]/g,
      (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
  const colorOf = (v) => v === null ? '#8a8f98' :
      PALETTE[((v % PALETTE.length) + PALETTE.length) % PALETTE.length];
  const nodeId = (i) => (i >= 0 && i < N) ? D.nodes[i].id : '';
  const msgName = (i) => (i >= 0 && i < D.messages.length) ? D.messages[i] : 'msg ' + i;
  // Truncated like the reports' times, so the page and the text agree to the millisecond.
  const secs = (ns, digits) => {
    const d = digits === undefined ? 3 : digits;
    return (Math.trunc(ns / Math.pow(10, 9 - d)) / Math.pow(10, d)).toFixed(d) + 's';
  };
  const laneTop = (i) => i * LANE_H;
  const laneMid = (i) => i * LANE_H + LANE_H / 2;
  // Baselines of a lane's three label rows (top, middle, bottom) and the offsets that move a
  // label from `y` to each of the others, for the label layout (timeline-labels.js).
  const rows = (i) => [laneTop(i) + 11, laneMid(i) + 4, laneTop(i) + LANE_H - 3];
  const alts = (i, y) => rows(i).map((r) => r - y).filter((d) => d !== 0).join(',');
  const labelText = (cls, px, py, text, prio, altDy, extra) =>
      '<text class="' + cls + '" x="' + px + '" y="' + py + '" data-prio="' + prio + '"' +
      (altDy ? ' data-alts="' + altDy + '"' : '') + (extra || '') + '>' + esc(text) + '</text>';
  // An event's hover: what, where and when in true time, its fields, then the node's two clock
  // readings (an event of the whole system was read by no node's clock).
  const fieldsText = (ev) => Object.entries(ev.fields || {}).map(([k, v]) => k + '=' + v)
      .join(' ') + (ev.text ? ' "' + ev.text + '"' : '');
  const clockText = (t, node, ev) => node >= 0 && ev ?
      '\n' + timelineClocks(t, ev.mono, ev.wall, (ns) => secs(ns)) : '';
  const eventHover = (t, node, ev) => !ev ? secs(t) :
      secs(t) + (node >= 0 ? ' ' + nodeId(node) : '') + ' ' + ev.kind + ' ' + fieldsText(ev) +
      clockText(t, node, ev);
  const title = (text) => '<title>' + esc(text) + '</title>';
  // With many nodes, one strip above the lanes shows every holding and leadership at once, so
  // the story is visible without scrolling.
  const OVERVIEW = N > 8 && D.bars.length > 0;

  // Verdicts: the deciding event of each violation, at its exact true time; the evidence names
  // its node, kind and fields, so the page finds the bar, write or mark it belongs to without
  // reading the prose.
  function snap(ev) {
    const f = ev.fields || {};
    if (ev.kind.startsWith('resource.')) {
      const w = D.writes.find((w) => w.node === ev.node && w.t === ev.t &&
          (f.token === undefined || w.token === f.token) &&
          (f.writer === undefined || w.writer === f.writer));
      if (w) return w.t;
    }
    return ev.t;
  }
  const violations = [];
  for (const v of D.verdicts) {
    if (v.n === undefined) continue;
    const ev = v.evidence[v.at];
    violations.push({checker: v.checker, n: v.n, t: snap(ev), node: ev.node, v: v});
  }

  // ---- Page skeleton -------------------------------------------------------------------------
  const app = document.getElementById('app');
  const meta = ['protocol <b>' + esc(D.protocol) + '</b>', 'seed <b>' + D.seed + '</b>',
                secs(END, 0) + ' simulated', N + ' nodes'];
  if (D.hash) meta.push('hash <code>' + esc(D.hash) + '</code>');
  app.innerHTML =
      '<header><h1>' + esc(D.scenario) + '</h1><p class="meta">' + meta.join(' · ') + '</p>' +
      (D.summary ? '<p class="summary">' + esc(D.summary) + '</p>' : '') +
      '<ul id="verdict-strip"></ul></header>' +
      '<div id="controls"><button id="zoom-in" title="zoom in">+</button>' +
      '<button id="zoom-out" title="zoom out">−</button>' +
      '<button id="pan-left" title="earlier">◀</button>' +
      '<button id="pan-right" title="later">▶</button>' +
      '<button id="reset" title="show the whole run">whole run</button>' +
      '<label><input type="checkbox" id="show-msgs" checked> messages</label>' +
      '<label><input type="checkbox" id="show-writes" checked> writes</label>' +
      '<span id="range"></span>' +
      '<span class="hint">wheel: zoom · drag: pan · wheel over the names: scroll lanes</span></div>' +
      '<div id="chart"><svg id="axis" height="' + AXIS_H + '"></svg>' +
      (OVERVIEW ? '<svg id="overview"></svg>' : '') +
      '<div id="lanes-scroll"><svg id="lanes" height="' + H + '"></svg></div></div>' +
      '<div id="legend"></div><section id="verdicts"></section><p id="counts"></p>';
  const chart = document.getElementById('chart');
  const axis = document.getElementById('axis');
  const lanes = document.getElementById('lanes');
  const scroller = document.getElementById('lanes-scroll');
  const showMsgs = document.getElementById('show-msgs');
  const showWrites = document.getElementById('show-writes');

  const view = {t0: 0, t1: END};
  // A link may open a stretch of the run: page.html#view=14-21 (seconds of true time).
  const linked = /view=([0-9.]+)-([0-9.]+)/.exec(location.hash);
  if (linked && Number(linked[2]) > Number(linked[1])) {
    view.t0 = Math.max(0, Number(linked[1]) * 1e9);
    view.t1 = Math.min(END, Number(linked[2]) * 1e9);
    if (view.t1 <= view.t0) { view.t0 = 0; view.t1 = END; }
  }
  let W = 1000;
  const plotW = () => Math.max(W - LABEL_W - RIGHT, 50);
  const x = (t) => LABEL_W + (t - view.t0) / (view.t1 - view.t0) * plotW();
  const tAt = (px) => view.t0 + (px - LABEL_W) / plotW() * (view.t1 - view.t0);
  const visible = (t0, t1) => t1 >= view.t0 && t0 <= view.t1;
  const cx = (t) => Math.max(LABEL_W - 5, Math.min(W + 5, x(t)));  // clamp far-off coordinates

  // ---- Drawing -------------------------------------------------------------------------------
  function niceStep(span, ticks) {
    const raw = span / ticks;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }
  function tickLabel(t, step) {
    if (step >= 1e9) return (t / 1e9).toFixed(0) + 's';
    // floor, not round: a 0.5s step needs one decimal (18.5s), not none (19s twice).
    if (step >= 1e6) return (t / 1e9).toFixed(Math.max(0, 9 - Math.floor(Math.log10(step)))) + 's';
    return (t / 1e9).toFixed(Math.min(9, 9 - Math.floor(Math.log10(step)))) + 's';
  }

  function drawAxis() {
    const out = [];
    const step = niceStep(view.t1 - view.t0, Math.max(2, plotW() / 110));
    for (let t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
      const px = x(t);
      out.push('<line x1="' + px + '" x2="' + px + '" y1="' + (AXIS_H - 6) + '" y2="' + AXIS_H +
               '" stroke="#98a2b3"/>');
      out.push('<text class="tick-label" x="' + px + '" y="' + (AXIS_H - 9) +
               '" text-anchor="middle" data-prio="1">' + tickLabel(t, step) + '</text>');
    }
    out.push('<text class="tick-label" x="10" y="' + (AXIS_H - 9) + '" data-prio="2">true time' +
             '</text>');
    for (const v of violations) {
      if (!visible(v.t, v.t)) continue;
      const px = x(v.t);
      out.push('<g class="violation" id="violation-' + esc(v.checker) + '" data-checker="' +
               esc(v.checker) + '" data-n="' + v.n + '" data-t="' + v.t + '" data-node="' +
               esc(nodeId(v.node)) + '"><title>' + esc(v.checker + ' violated at ' + secs(v.t) +
               ': ' + v.v.explanation) + '</title><line x1="' + px + '" x2="' + px + '" y1="12" y2="' +
               AXIS_H + '" stroke="#d1242f" stroke-width="2"/><circle cx="' + px +
               '" cy="10" r="8" fill="#d1242f"/>' +
               '<text x="' + px + '" y="14" text-anchor="middle" fill="#fff" font-size="11" ' +
               'font-weight="700" data-prio="5">' + v.n + '</text></g>');
    }
    axis.innerHTML = out.join('');
    timelineLayoutLabels(axis, {x0: 0, x1: W, y0: 0, y1: AXIS_H});
  }

  function defs() {
    return '<defs><clipPath id="plot-clip"><rect x="' + LABEL_W + '" y="0" width="' + plotW() +
        '" height="' + H + '"/></clipPath>' +
        '<pattern id="hatch-pause" patternUnits="userSpaceOnUse" width="7" height="7" ' +
        'patternTransform="rotate(45)"><rect width="7" height="7" fill="#fdf0cf"/>' +
        '<line x1="0" y1="0" x2="0" y2="7" stroke="#e3a63b" stroke-width="3"/></pattern>' +
        '<pattern id="hatch-stale" patternUnits="userSpaceOnUse" width="6" height="6" ' +
        'patternTransform="rotate(-45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#d1242f" ' +
        'stroke-width="2.5"/></pattern>' +
        '<marker id="arrow" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="5" ' +
        'markerHeight="5" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#8795aa"/></marker>' +
        '</defs>';
  }

  function drawLaneFrames(out) {
    for (let i = 0; i < N; i++) {
      const y = laneTop(i);
      const n = D.nodes[i];
      out.push('<g class="lane" data-node="' + esc(n.id) + '" data-role="' + esc(n.role) +
               '" data-index="' + i + '"><rect x="0" y="' + y + '" width="' + W + '" height="' +
               LANE_H + '" fill="' + (i % 2 ? '#fafbfc' : '#ffffff') + '"/>' +
               '<line x1="0" x2="' + W + '" y1="' + (y + LANE_H) + '" y2="' + (y + LANE_H) +
               '" stroke="#eef0f3"/><text class="lane-label" x="10" y="' +
               (y + LANE_H / 2 + (LANE_H > 30 ? -2 : 4)) + '">' + esc(n.id) + '</text>' +
               (LANE_H > 30 ? '<text class="lane-role" x="10" y="' + (y + LANE_H / 2 + 12) +
                                  '">' + esc(n.role) + '</text>' : '') + '</g>');
    }
    out.push('<line x1="' + LABEL_W + '" x2="' + LABEL_W + '" y1="0" y2="' + H +
             '" stroke="#d0d5dd"/>');
  }

  const SPAN_KIND = {pause: 'paused', down: 'crashed (down)', cut: 'links cut', wait: 'waiting'};
  // A label that must fit in `room` px (about 6 px a character), shortened with an ellipsis.
  const fit = (text, room) => {
    const n = Math.floor(room / 6);
    return text.length <= n ? text : n >= 8 ? text.slice(0, n - 1) + '…' : '';
  };
  function drawSpans(out, labels) {
    D.spans.forEach((sp, i) => {
      const {node: n, kind, t0, t1, text, share} = sp;
      if (!visible(t0, t1)) return;
      const x0 = cx(t0), x1 = cx(t1), y = laneTop(n);
      const faults = sp.faults || [];
      const tip = title(nodeId(n) + ' ' + SPAN_KIND[kind] + ' ' + secs(t0) + ' – ' + secs(t1) +
                        (text ? ' (' + text + ')' : '') +
                        (faults.length ? '\nby ' + faults.join('; ') : '') +
                        // A cut began with a fault of the whole system, read by no node's clock.
                        (sp.ev ? '\nbegan with: ' + eventHover(t0, kind === 'cut' ? -1 : n, sp.ev)
                               : ''));
      const attrs = ' class="span" data-kind="' + kind + '" data-node="' + esc(nodeId(n)) +
                    '" data-t0="' + t0 + '" data-t1="' + t1 + '" data-item="spans:' + i + '"';
      if (kind === 'wait') {
        out.push('<line' + attrs + ' x1="' + x0 + '" x2="' + x1 + '" y1="' + laneMid(n) +
                 '" y2="' + laneMid(n) + '" stroke="#98a2b3" stroke-width="1.5" ' +
                 'stroke-dasharray="2 3">' + tip + '</line>');
      } else if (kind === 'cut') {
        // A band over the lane for as long as the node's links are down, with a strip at its
        // foot: solid when every link of the node is down, faint when few are.
        out.push('<g' + attrs + ' data-share="' + share + '" data-faults="' +
                 esc(faults.join('; ')) + '"><rect x="' + x0 + '" y="' + (y + 1) + '" width="' +
                 Math.max(x1 - x0, 1) + '" height="' + (LANE_H - 2) + '" fill="#3d64a8" ' +
                 'opacity="0.07"/><rect x="' + x0 + '" y="' + (y + LANE_H - 6) + '" width="' +
                 Math.max(x1 - x0, 1) + '" height="4" fill="#3d64a8" opacity="' +
                 (0.2 + 0.8 * share).toFixed(2) + '"/>' + tip + '</g>');
        const room = Math.min(x1, W - RIGHT) - Math.max(x0, LABEL_W) - 8;
        // The band says that links are down; its label names the faults that cut them.
        const words = fit(faults.length ? faults.join('; ') : text, room);
        if (words) {
          const py = y + 11;
          labels.push(labelText('mark-label cut-label', Math.max(x0, LABEL_W) + 4, py, words, 1.5,
                                alts(n, py), ' data-node="' + esc(nodeId(n)) + '"'));
        }
      } else {
        const fill = kind === 'pause' ? 'url(#hatch-pause)' : '#667085';
        out.push('<rect' + attrs + ' x="' + x0 + '" y="' + (y + 2) + '" width="' +
                 Math.max(x1 - x0, 1) + '" height="' + (LANE_H - 4) + '" fill="' + fill +
                 '" opacity="' + (kind === 'down' ? 0.3 : 0.9) + '" rx="3">' + tip + '</rect>');
        if (x1 - x0 > 60) {
          const py = y + 11;
          labels.push(labelText('mark-label', Math.max(x0, LABEL_W) + 5, py,
                                kind === 'pause' ? 'paused' : 'down', 1.5, alts(n, py)));
        }
      }
    });
  }

  function drawMessages(out, labels) {
    if (!showMsgs.checked) return;
    // Dense traffic fades so that it does not hide the lanes; zoomed in, arrows stand out.
    const shown = D.msgs.filter((m) => visible(m.t0, m.t1));
    const opacity = Math.min(0.8, Math.max(0.07, 5 / (shown.length / plotW() * 100 + 1e-9)));
    D.msgs.forEach((m, i) => {
      const {from: f, to: t, t0, t1, type, dropped} = m;
      if (!visible(t0, t1)) return;
      const color = dropped ? '#d1242f' : MSG_COLORS[type % MSG_COLORS.length];
      const x0 = cx(t0), x1 = cx(t1);
      const y0 = laneMid(f), y1 = dropped ? laneMid(f) + (laneMid(t) - laneMid(f)) / 2 : laneMid(t);
      out.push('<line class="msg" data-from="' + esc(nodeId(f)) + '" data-to="' + esc(nodeId(t)) +
               '" data-type="' + esc(msgName(type)) + '" data-item="msgs:' + i + '" x1="' + x0 +
               '" y1="' + y0 + '" x2="' + x1 + '" y2="' + y1 + '" stroke="' + color +
               '" stroke-width="1" opacity="' + opacity.toFixed(2) + '"' +
               (dropped ? ' stroke-dasharray="3 2"' : ' marker-end="url(#arrow)"') + '>' +
               title(msgName(type) + ' ' + nodeId(f) + ' → ' + nodeId(t) + ' (msg ' + m.id + ')' +
                     '\nsent ' + secs(t0) + ': ' + nodeId(f) + ' ' +
                     timelineClocks(t0, m.mono0, m.wall0, secs) +
                     (dropped ? '\ndropped ' : '\ndelivered ') + secs(t1) + ': ' +
                     (dropped ? '' : nodeId(t) + ' ') +
                     timelineClocks(t1, m.mono1, m.wall1, secs)) +
               '</line>');
      // The type along the arrow where the arrow is wider than the word (zoomed in far enough);
      // the layout drops it when labels crowd.
      const name = msgName(type);
      if (Math.abs(x1 - x0) > name.length * 6 + 16) {
        labels.push(labelText('msg-label', (x0 + x1) / 2, (y0 + y1) / 2 - 2, name, 0.5, '',
                              ' text-anchor="middle" data-item="msgs:' + i + '"'));
      }
    });
    D.drops.forEach(({node: n, t, type, ev}, i) => {
      if (!visible(t, t)) return;
      const px = x(t), py = laneMid(n);
      out.push('<path class="drop" data-kind="drop" data-node="' + esc(nodeId(n)) +
               '" data-item="drops:' + i + '" d="M' + (px - 3) + ',' + (py - 3) + ' L' + (px + 3) +
               ',' + (py + 3) + ' M' + (px + 3) + ',' + (py - 3) + ' L' + (px - 3) + ',' + (py + 3) +
               '" stroke="#d1242f" stroke-width="1.6">' +
               title(nodeId(n) + ' dropped ' + msgName(type) + ' at ' + secs(t) + '\n' +
                     eventHover(t, n, ev)) + '</path>');
    });
  }

  // Lock holdings and leaderships; the part of a holding after the server ended that lease is
  // overlaid with red stripes: the holder still believes, but nobody else has to.
  function drawBars(out, labels) {
    D.bars.forEach((bar, i) => {
      const {node: n, kind, t0, t1, value, end} = bar;
      if (!visible(t0, t1)) return;
      const x0 = cx(t0), x1 = cx(t1), y = laneTop(n) + LANE_H * 0.28, h = LANE_H * 0.44;
      const what = kind === 'lock' ? 'token' : 'term';
      out.push('<rect class="bar" data-kind="' + kind + '" data-node="' + esc(nodeId(n)) +
               '" data-' + what + '="' + (value === null ? '' : value) + '" data-t0="' + t0 +
               '" data-t1="' + t1 + '" data-end="' + esc(end) + '" data-item="bars:' + i +
               '" x="' + x0 + '" y="' + y + '" width="' + Math.max(x1 - x0, 1.5) + '" height="' +
               h + '" rx="3" fill="' + colorOf(value) + '">' +
               title(nodeId(n) + (kind === 'lock' ? ' holds the lock' : ' leads') +
                     (value === null ? '' : ' (' + what + ' ' + value + ')') + ' ' + secs(t0) +
                     ' – ' + secs(t1) + ', ended: ' + end + clockText(t0, n, bar.ev)) +
               '</rect>');
      if (kind === 'lock') {
        for (const m of D.marks) {
          if (m.kind !== 'lease-ended' || m.holder !== n || m.token !== value || m.t < t0 ||
              m.t >= t1) {
            continue;
          }
          const s0 = cx(m.t);
          out.push('<rect class="stale-belief" data-kind="stale-belief" data-node="' +
                   esc(nodeId(n)) + '" data-token="' + value + '" x="' + s0 + '" y="' + y +
                   '" width="' + Math.max(x1 - s0, 1) + '" height="' + h +
                   '" fill="url(#hatch-stale)" stroke="#d1242f" stroke-width="1">' +
                   title(nodeId(n) + ' still believes it holds token ' + value + ' after ' +
                         nodeId(m.node) + ' ended that lease at ' + secs(m.t)) + '</rect>');
        }
      }
      const words = what + ' ' + value;
      if (value !== null && x1 - Math.max(x0, LABEL_W) > words.length * 6.5 + 10) {
        labels.push(labelText('bar-label', Math.max(x0, LABEL_W) + 5, y + h / 2 + 4, words, 1));
      }
    });
  }

  const MARK_STYLE = {
    'lease-ended': ['#b42318', 'lease ended'], 'grant': ['#3b6fb6', 'granted'],
    'renew': ['#98a2b3', 'renewed'], 'crash': ['#1f2430', 'crash'],
    'restart': ['#1a7f37', 'restart'], 'clock-step': ['#7a3fb0', 'clock step'],
    'isolate': ['#5b7db8', 'isolated'], 'heal': ['#1a7f37', 'healed'],
    'skipped': ['#98a2b3', 'fault skipped'], 'partition': ['#2f5d9e', 'partition'],
    'cut': ['#2f5d9e', 'cut'],
  };
  function drawMarks(out, labels) {
    D.marks.forEach((m, i) => {
      const {node: n, kind, t, holder, token} = m;
      if (!visible(t, t)) return;
      const px = x(t);
      const style = MARK_STYLE[kind] || ['#667085', kind];
      const common = ' class="mark" data-kind="' + esc(kind) + '" data-node="' + esc(nodeId(n)) +
                     '" data-t="' + t + '" data-item="marks:' + i + '"' +
                     (holder !== null ? ' data-holder="' + esc(nodeId(holder)) + '"' : '') +
                     (token !== null ? ' data-token="' + token + '"' : '');
      const tip = title(m.ev ? eventHover(t, n, m.ev) : m.title);
      if (n < 0) {  // the whole system: a line across every lane
        out.push('<g' + common + '><line x1="' + px + '" x2="' + px + '" y1="0" y2="' + H +
                 '" stroke="' + style[0] + '" stroke-width="1.2" stroke-dasharray="5 4"/>' + tip +
                 '</g>');
        return;
      }
      const y = laneTop(n);
      const major = m.label !== '';
      let g = '<g' + common + '><line x1="' + px + '" x2="' + px + '" y1="' + (y + 3) + '" y2="' +
              (y + (major ? LANE_H - 3 : LANE_H * 0.3)) + '" stroke="' + style[0] +
              '" stroke-width="' + (major ? 2 : 1) + '"/>';
      if (kind === 'lease-ended' || kind === 'clock-step' || kind === 'crash') {
        g += '<path d="M' + (px - 4) + ',' + (y + 3) + ' L' + (px + 4) + ',' + (y + 3) + ' L' +
             px + ',' + (y + 9) + ' z" fill="' + style[0] + '"/>';
      }
      if (major) {
        // A lease the server ended on its own (expired, superseded) is the alarming kind.
        const bad = kind === 'lease-ended' && !m.label.endsWith('released');
        const py = y + 11;
        labels.push(labelText('mark-label' + (bad ? ' bad' : ''), px + 5, py, m.label,
                              bad ? 3 : 2, alts(n, py)));
      }
      out.push(g + tip + '</g>');
    });
  }

  function drawWrites(out, labels) {
    if (!showWrites.checked) return;
    D.writes.forEach((w, i) => {
      const {node: n, t, writer, token, status, highest} = w;
      if (!visible(t, t)) return;
      const px = x(t), py = laneMid(n);
      const attrs = ' class="write" data-kind="write" data-status="' + status + '" data-node="' +
                    esc(nodeId(n)) + '" data-writer="' + esc(nodeId(writer)) + '" data-token="' +
                    (token === null ? '' : token) + '" data-t="' + t + '" data-item="writes:' + i +
                    '"' + (highest === null ? '' : ' data-highest="' + highest + '"');
      const tip = title(secs(t) + ' ' + nodeId(n) + ' ' + status + ' a write from ' +
                        nodeId(writer) + (token === null ? '' : ' with token ' + token) +
                        (highest === null ? '' : ' (highest accepted: ' + highest + ')') +
                        clockText(t, n, w.ev));
      if (status === 'stale') {
        out.push('<g' + attrs + '><path d="M' + px + ',' + (py - 8) + ' L' + (px + 7) + ',' + py +
                 ' L' + px + ',' + (py + 8) + ' L' + (px - 7) + ',' + py +
                 ' z" fill="#d1242f" stroke="#fff" stroke-width="1.5"/>' + tip + '</g>');
        labels.push(labelText('mark-label bad', px + 10, py + 4, 'stale write accepted: ' +
                              nodeId(writer) + ' token ' + token, 4, alts(n, py + 4)));
      } else if (status === 'rejected') {
        // Fencing at work: the writer, its token and the higher one the resource had seen.
        out.push('<circle' + attrs + ' cx="' + px + '" cy="' + py + '" r="4" fill="#fff" ' +
                 'stroke="#d97706" stroke-width="2">' + tip + '</circle>');
        labels.push(labelText('mark-label warn write-label', px + 7, py + 4, 'rejected ' +
                              nodeId(writer) + ' t' + (token === null ? '?' : token) +
                              (highest === null ? '' : ' < ' + highest), 3.5, alts(n, py + 4),
                              ' data-item="writes:' + i + '"'));
      } else {
        out.push('<rect' + attrs + ' x="' + (px - 1.5) + '" y="' + (py - LANE_H * 0.18) +
                 '" width="3" height="' + LANE_H * 0.36 + '" fill="' + colorOf(token) + '">' +
                 tip + '</rect>');
      }
    });
  }

  function drawViolations(out) {
    D.verdicts.forEach((verdict, vi) => {
      const v = violations.find((x) => x.checker === verdict.checker);
      if (!v || !visible(v.t, v.t)) return;
      const px = x(v.t);
      out.push('<line class="violation-line" data-checker="' + esc(v.checker) + '" x1="' + px +
               '" x2="' + px + '" y1="0" y2="' + H + '" stroke="#d1242f" stroke-width="2" ' +
               'stroke-dasharray="6 3" opacity="0.85">' +
               title(v.n + '. ' + v.checker + ' violated at ' + secs(v.t)) + '</line>');
      v.v.evidence.forEach((ev, ei) => {
        if (ev.node < 0) return;
        const t = snap(ev);
        if (!visible(t, t)) return;
        out.push('<circle class="evidence" data-checker="' + esc(v.checker) + '" data-node="' +
                 esc(nodeId(ev.node)) + '" data-t="' + t + '" data-item="evidence:' + vi + ':' +
                 ei + '" cx="' + x(t) + '" cy="' + laneMid(ev.node) +
                 '" r="9" fill="none" stroke="#d1242f" stroke-width="1.5">' +
                 title('evidence for ' + v.checker + ': ' + ev.text + '\n' +
                       timelineClocks(ev.t, ev.mono, ev.wall, secs)) + '</circle>');
      });
    });
  }

  function drawLanes() {
    const out = [defs()];
    drawLaneFrames(out);
    out.push('<g clip-path="url(#plot-clip)">');
    const labels = [];  // drawn last, over everything else, then laid out
    drawSpans(out, labels);
    drawMessages(out, labels);
    drawBars(out, labels);
    drawMarks(out, labels);
    drawWrites(out, labels);
    drawViolations(out);
    out.push('<g class="labels">', labels.join(''), '</g></g>');
    lanes.innerHTML = out.join('');
    timelineLayoutLabels(lanes, {x0: LABEL_W, x1: LABEL_W + plotW(), y0: 0, y1: H});
  }

  function drawOverview() {
    const rows = [];  // the end of the last bar in each row
    const placed = D.bars.map((b) => {
      let r = rows.findIndex((end) => end <= b.t0);
      if (r < 0 || r >= 4) r = rows.length < 4 ? rows.length : 3;
      rows[r] = Math.max(rows[r] || 0, b.t1);
      return [r, b];
    });
    const ROW = 15, h = Math.max(rows.length, 2) * ROW + 8;
    const out = ['<rect x="0" y="0" width="' + W + '" height="' + h + '" fill="#f8f9fb"/>',
                 '<text class="lane-label" x="10" y="16">who ' + (D.bars.some((b) => b.kind ===
                     'leader') ? 'leads' : 'holds') + '</text>',
                 '<text class="lane-role" x="10" y="29">all nodes</text>',
                 '<g clip-path="url(#overview-clip)"><clipPath id="overview-clip"><rect x="' +
                     LABEL_W + '" y="0" width="' + plotW() + '" height="' + h + '"/></clipPath>'];
    for (const [r, {node: n, kind, t0, t1, value}] of placed) {
      if (!visible(t0, t1)) continue;
      const x0 = cx(t0), x1 = cx(t1), y = 4 + r * ROW;
      out.push('<rect class="overview-bar" data-node="' + esc(nodeId(n)) + '" x="' + x0 +
               '" y="' + y + '" width="' + Math.max(x1 - x0, 1.5) + '" height="' + (ROW - 3) +
               '" rx="2" fill="' + colorOf(value) + '"><title>' + esc(nodeId(n) + ' ' +
               (kind === 'lock' ? 'holds, token ' : 'leads, term ') + value + ', ' + secs(t0) +
               ' – ' + secs(t1)) + '</title></rect>');
      const label = nodeId(n);
      if (x1 - Math.max(x0, LABEL_W) > label.length * 6.5 + 8) {
        out.push('<text class="bar-label" x="' + (Math.max(x0, LABEL_W) + 4) + '" y="' +
                 (y + ROW - 6) + '">' + esc(label) + '</text>');
      }
    }
    for (const v of violations) {
      if (visible(v.t, v.t)) {
        out.push('<line x1="' + x(v.t) + '" x2="' + x(v.t) + '" y1="0" y2="' + h +
                 '" stroke="#d1242f" stroke-width="2" stroke-dasharray="6 3"/>');
      }
    }
    out.push('</g>');
    const svg = document.getElementById('overview');
    svg.setAttribute('width', W);
    svg.setAttribute('height', h);
    svg.innerHTML = out.join('');
  }

  function render() {
    // Both drawings use the lanes' inner width in pixels (a scrollbar may take some of the
    // chart's), so a time is at the same x on the axis and on every lane.
    W = Math.max(scroller.clientWidth || chart.clientWidth || 1000, 400);
    axis.setAttribute('width', W);
    lanes.setAttribute('width', W);
    drawAxis();
    if (OVERVIEW) drawOverview();
    drawLanes();
    document.getElementById('range').textContent =
        'showing ' + secs(view.t0) + ' – ' + secs(view.t1);
  }

  // ---- Legend, verdicts, counts --------------------------------------------------------------
  function legend() {
    document.getElementById('legend').innerHTML = timelineLegend(D, PALETTE);
  }

  function focus(t) {
    const half = Math.max(END / 20, 1e9);
    setView(t - half, t + half);
  }

  function verdicts() {
    const strip = [], full = [];
    for (const v of D.verdicts) {
      const vio = violations.find((x) => x.checker === v.checker);
      const num = vio ? '<span class="num">' + vio.n + '</span>' : '';
      const when = vio ? ' at ' + secs(vio.t) : '';
      strip.push('<li class="' + v.verdict + '" data-checker="' + esc(v.checker) + '">' + num +
                 esc(v.checker) + ' ' + v.verdict + when + '</li>');
      full.push('<li class="verdict ' + v.verdict + '" id="verdict-' + esc(v.checker) +
                '" data-checker="' + esc(v.checker) + '" data-verdict="' + v.verdict + '">' + num +
                '<span class="name">' + esc(v.checker) + '</span><span class="word">' +
                v.verdict.toUpperCase() + '</span>' +
                (vio ? ' at <a data-t="' + vio.t + '">' + secs(vio.t) + '</a>' : '') +
                (v.explanation ? '<p class="explanation">' + esc(v.explanation) + '</p>' : '') +
                (v.evidence.length ? '<ul class="evidence">' + v.evidence.map(
                    (e) => '<li>' + esc(e.text) + '</li>').join('') + '</ul>' : '') + '</li>');
    }
    document.getElementById('verdict-strip').innerHTML = strip.join('');
    document.getElementById('verdicts').innerHTML =
        D.verdicts.length ? '<h2>Verdicts</h2><ol>' + full.join('') + '</ol>' : '';
    for (const li of document.querySelectorAll('#verdict-strip li')) {
      const vio = violations.find((x) => x.checker === li.dataset.checker);
      if (vio) li.addEventListener('click', () => focus(vio.t));
    }
    for (const a of document.querySelectorAll('#verdicts a[data-t]')) {
      a.addEventListener('click', () => focus(Number(a.dataset.t)));
    }
  }

  function counts() {
    const c = D.counts;
    const parts = ['messages: ' + c.shown + ' of ' + c.sent + ' drawn' +
                   (c.shown < c.sent ? ' (sampled per time column)' : '')];
    if (c.dropped) parts.push('drops: ' + c.drops_shown + ' of ' + c.dropped + ' marked');
    if (c.writes) parts.push('writes: ' + c.writes_shown + ' of ' + c.writes + ' marked');
    if (c.hidden) parts.push(c.hidden + ' bars, spans or marks left out (too many)');
    if (D.replay) parts.push('replay: ' + esc(D.replay));
    const el = document.getElementById('counts');
    el.innerHTML = parts.join(' · ');
    el.dataset.messagesShown = c.shown;
    el.dataset.messagesSent = c.sent;
  }

  // ---- Details panel ---------------------------------------------------------------------------
  // A click on anything drawn from the trace shows all it knows: the event's kind, node, true
  // time, both clock readings (and their difference from true time) and every field.
  const panel = timelineDetailsPanel(esc);
  const full = (ns) => secs(ns, 9);
  function eventRows(t, node, ev) {
    const rows = [['kind', ev ? ev.kind : ''], ['node', node >= 0 ? nodeId(node) : '(system)'],
                  ['t', full(t)]];
    if (ev && node >= 0) {
      rows.push(['mono', full(ev.mono) + ' (' + timelineDelta(ev.mono - t) + ')']);
      rows.push(['wall', full(ev.wall) + ' (' + timelineDelta(ev.wall - t) + ')']);
    }
    for (const [k, v] of Object.entries((ev && ev.fields) || {})) rows.push([k, String(v)]);
    if (ev && ev.text) rows.push(['text', ev.text]);
    return rows;
  }
  function describe(ref) {
    const [coll, a, b] = ref.split(':');
    if (coll === 'evidence') {
      const e = D.verdicts[Number(a)].evidence[Number(b)];
      return ['evidence for ' + D.verdicts[Number(a)].checker,
              eventRows(e.t, e.node, {kind: e.kind, mono: e.mono, wall: e.wall, fields: e.fields})
                  .concat([['described', e.text]])];
    }
    const it = (D[coll] || [])[Number(a)];
    if (!it) return null;
    if (coll === 'msgs') {
      return [msgName(it.type) + ' ' + nodeId(it.from) + ' → ' + nodeId(it.to), [
        ['kind', 'message'], ['type', msgName(it.type)], ['msg_id', String(it.id)],
        ['from', nodeId(it.from)], ['to', nodeId(it.to)], ['sent t', full(it.t0)],
        ['sent mono', full(it.mono0) + ' (' + timelineDelta(it.mono0 - it.t0) + ')'],
        ['sent wall', full(it.wall0) + ' (' + timelineDelta(it.wall0 - it.t0) + ')'],
        [it.dropped ? 'dropped t' : 'delivered t', full(it.t1)],
        ['arrived mono', full(it.mono1) + ' (' + timelineDelta(it.mono1 - it.t1) + ')'],
        ['arrived wall', full(it.wall1) + ' (' + timelineDelta(it.wall1 - it.t1) + ')']]];
    }
    if (coll === 'bars' || coll === 'spans') {
      const what = coll === 'bars' ? (it.kind === 'lock' ? 'holds the lock' : 'leads')
                                   : SPAN_KIND[it.kind];
      const extra = [['from', full(it.t0)], ['until', full(it.t1)]];
      if (coll === 'bars') extra.push([it.kind === 'lock' ? 'token' : 'term', String(it.value)],
                                      ['ended', it.end]);
      if (coll === 'spans' && it.text) extra.push(['what', it.text]);
      if (coll === 'spans' && it.faults) extra.push(['faults', it.faults.join('; ')]);
      const began = it.ev ? eventRows(it.t0, coll === 'spans' && it.kind === 'cut' ? -1 : it.node,
                                      it.ev).map(([k, v]) => ['began: ' + k, v]) : [];
      return [nodeId(it.node) + ' ' + what, extra.concat(began)];
    }
    const heading = it.ev ? it.ev.kind + (it.node >= 0 ? ' on ' + nodeId(it.node) : '')
                          : coll.slice(0, -1);
    const rows = eventRows(it.t, it.node, it.ev);
    if (coll === 'writes') rows.push(['status', it.status]);
    return [heading, rows];
  }
  let dragged = false;  // the last mouse press panned the view: its click opens nothing
  lanes.addEventListener('click', (ev) => {
    if (dragged) return;
    const el = ev.target.closest('[data-item]');
    if (!el) {
      panel.hide();
      return;
    }
    const d = describe(el.dataset.item);
    if (d) panel.show(el.dataset.item, d[0], d[1]);
  });

  // ---- Interaction ---------------------------------------------------------------------------
  let queued = false;
  function setView(t0, t1) {
    let span = Math.min(Math.max(t1 - t0, 1000), END);
    t0 = Math.max(0, Math.min(t0, END - span));
    view.t0 = t0;
    view.t1 = t0 + span;
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; render(); });
  }
  function zoom(factor, around) {
    const t = around === undefined ? (view.t0 + view.t1) / 2 : around;
    setView(t - (t - view.t0) * factor, t + (view.t1 - t) * factor);
  }
  function pan(fraction) {
    const d = (view.t1 - view.t0) * fraction;
    setView(view.t0 + d, view.t1 + d);
  }
  document.getElementById('zoom-in').onclick = () => zoom(0.5);
  document.getElementById('zoom-out').onclick = () => zoom(2);
  document.getElementById('pan-left').onclick = () => pan(-0.25);
  document.getElementById('pan-right').onclick = () => pan(0.25);
  document.getElementById('reset').onclick = () => setView(0, END);
  showMsgs.onchange = render;
  showWrites.onchange = render;
  chart.addEventListener('wheel', (ev) => {
    const px = ev.clientX - chart.getBoundingClientRect().left;
    if (px < LABEL_W && ev.target !== axis) return;  // over the names: scroll the lanes
    ev.preventDefault();
    if (ev.shiftKey || Math.abs(ev.deltaX) > Math.abs(ev.deltaY)) {
      pan((ev.deltaX || ev.deltaY) / plotW());
      return;
    }
    zoom(Math.exp(ev.deltaY * 0.0015), tAt(px));
  }, {passive: false});
  let drag = null;
  chart.addEventListener('mousedown', (ev) => {
    if (ev.button !== 0) return;
    drag = {x: ev.clientX, t0: view.t0, t1: view.t1};
    dragged = false;
    chart.classList.add('dragging');
    ev.preventDefault();
  });
  window.addEventListener('mousemove', (ev) => {
    if (!drag) return;
    if (Math.abs(ev.clientX - drag.x) > 3) dragged = true;
    const dt = (ev.clientX - drag.x) / plotW() * (drag.t1 - drag.t0);
    setView(drag.t0 - dt, drag.t1 - dt);
  });
  window.addEventListener('mouseup', () => {
    drag = null;
    chart.classList.remove('dragging');
  });
  window.addEventListener('keydown', (ev) => {
    if (ev.key === '+' || ev.key === '=') zoom(0.5);
    else if (ev.key === '-') zoom(2);
    else if (ev.key === 'ArrowLeft') pan(-0.25);
    else if (ev.key === 'ArrowRight') pan(0.25);
    else if (ev.key === '0') setView(0, END);
  });
  window.addEventListener('resize', render);

  legend();
  verdicts();
  counts();
  render();  // synchronously, so the page is drawn as soon as it loads
  document.body.dataset.rendered = 'true';
})();
