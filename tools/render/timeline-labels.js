// The timeline page's label layout (joined before timeline.js into the page's one script by
// embed.py). Labels are drawn first where they would like to be; this then measures them as the
// browser rendered them and keeps, most important first, each one that fits: moved left when it
// would run past the plot's right edge, moved to another row of its lane (data-alts: offsets in
// y) when its place is taken, and removed when no place is free. So at any zoom no two labels
// overlap and none is clipped; what a removed label said is still in its mark's hover and the
// details panel.
//
// A label is a <text> with data-prio (higher is placed first) and optional data-alts="dy,dy".
// eslint-disable-next-line no-unused-vars
function timelineLayoutLabels(svg, bounds) {
  'use strict';
  const GAP = 2;     // px kept free between two labels (their white halo)
  const CELL = 64;   // px: the grid that finds a label's neighbours without testing all of them
  const texts = Array.from(svg.querySelectorAll('text[data-prio]'));
  const items = texts.map((el, i) => {
    const b = el.getBBox();
    return {el: el, i: i, prio: Number(el.dataset.prio), x: b.x, y: b.y, w: b.width,
            h: b.height,
            alts: (el.dataset.alts || '').split(',').filter((s) => s !== '').map(Number)};
  });
  items.sort((a, b) => b.prio - a.prio || a.i - b.i);
  const grid = new Map();
  const cells = (b, visit) => {
    for (let cx = Math.floor(b.x / CELL); cx <= Math.floor((b.x + b.w) / CELL); cx++) {
      for (let cy = Math.floor(b.y / CELL); cy <= Math.floor((b.y + b.h) / CELL); cy++) {
        if (visit(cx + ',' + cy) === true) return true;
      }
    }
    return false;
  };
  const overlaps = (a, b) => a.x < b.x + b.w + GAP && b.x < a.x + a.w + GAP &&
                             a.y < b.y + b.h && b.y < a.y + a.h;
  const taken = (b) => cells(b, (k) => (grid.get(k) || []).some((p) => overlaps(b, p)));
  const take = (b) => cells(b, (k) => {
    if (!grid.has(k)) grid.set(k, []);
    grid.get(k).push(b);
  });
  let shown = 0, hidden = 0;
  for (const it of items) {
    const dx = Math.min(0, bounds.x1 - (it.x + it.w));  // run past the right edge: move left
    let placed = false;
    if (it.w > 0 && it.x + dx >= bounds.x0) {
      for (const dy of [0].concat(it.alts)) {
        const b = {x: it.x + dx, y: it.y + dy, w: it.w, h: it.h};
        if (b.y < bounds.y0 || b.y + b.h > bounds.y1 || taken(b)) continue;
        take(b);
        if (dx !== 0) it.el.setAttribute('x', Number(it.el.getAttribute('x')) + dx);
        if (dy !== 0) it.el.setAttribute('y', Number(it.el.getAttribute('y')) + dy);
        placed = true;
        break;
      }
    }
    if (placed) {
      shown++;
    } else {
      it.el.remove();
      hidden++;
    }
  }
  svg.dataset.labelsShown = shown;
  svg.dataset.labelsHidden = hidden;
  return {shown: shown, hidden: hidden};
}
