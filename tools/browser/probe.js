// Appended to a copy of a timeline page by tools/browser/check-timeline, after the page's own
// script: it measures what the browser laid out and plays a person's clicks, and leaves what it
// saw as JSON in <pre id="probe-result"> for check-probe.mjs to judge from the dumped DOM. It is
// not part of the page; the page never loads it.
(function () {
  'use strict';
  const result = {svgs: {}, items: [], details: {}};
  for (const id of ['axis', 'lanes']) {
    const svg = document.getElementById(id);
    const base = svg.getBoundingClientRect();
    const clip = svg.querySelector('clipPath rect');
    result.svgs[id] = {
      w: base.width, h: base.height,
      hidden: Number(svg.dataset.labelsHidden || 0),  // labels the layout found no place for
      clip: clip ? {x: Number(clip.getAttribute('x')), w: Number(clip.getAttribute('width'))}
                 : null,
      labels: Array.from(svg.querySelectorAll('text')).map((t) => {
        const r = t.getBoundingClientRect();
        return {cls: t.getAttribute('class') || '', text: t.textContent,
                x: r.left - base.left, y: r.top - base.top, w: r.width, h: r.height,
                node: t.dataset.node || ''};
      }).filter((b) => b.w > 0 && b.h > 0),  // a label the layout removed is not in the DOM
    };
  }
  for (const el of document.querySelectorAll('#lanes [data-item]')) {
    const tip = el.querySelector(':scope > title');
    result.items.push({item: el.dataset.item, cls: el.getAttribute('class') || '',
                       kind: el.dataset.kind || '', node: el.dataset.node || '',
                       type: el.dataset.type || '', tag: el.tagName,
                       title: tip ? tip.textContent : null});
  }
  // Clicks: the first rejected write (or else the first event mark) opens the panel; Escape
  // closes it; a second click and the close button do the same.
  const panel = () => document.getElementById('details');
  const seen = () => ({hidden: panel().hidden, item: panel().dataset.item || '',
                       title: document.getElementById('details-title').textContent,
                       rows: Array.from(panel().querySelectorAll('tr')).map(
                           (tr) => [tr.dataset.field, tr.querySelector('td').textContent])});
  const target = document.querySelector('#lanes .write[data-status="rejected"]') ||
                 document.querySelector('#lanes .mark[data-node]:not([data-node=""])') ||
                 document.querySelector('#lanes [data-item]');
  const click = (el) => el.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  result.details.before = seen();
  if (target) {
    click(target);
    result.details.clicked = target.dataset.item;
    result.details.open = seen();
    window.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
    result.details.afterEscape = seen();
    click(target);
    document.getElementById('details-close').click();
    result.details.afterClose = seen();
  }
  const pre = document.createElement('pre');
  pre.id = 'probe-result';
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
})();
