// The timeline page's clock readings and details panel (joined before timeline.js into the page's
// one script by embed.py). Every event the page draws carries its node's two local clock
// readings; the hover shows them with their difference from true time ("wall +120ms"), and a
// click opens a fixed panel with every field of the event. Escape or the close button hides it.

// A signed difference of two times: "+0", "+120ms", "-1.5s", "+2.31µs".
// eslint-disable-next-line no-unused-vars
function timelineDelta(ns) {
  'use strict';
  if (ns === 0) return '+0';
  const sign = ns < 0 ? '-' : '+';
  const a = Math.abs(ns);
  const trim = (v) => String(Number(v.toFixed(3)));
  if (a < 1e3) return sign + a + 'ns';
  if (a < 1e6) return sign + trim(a / 1e3) + 'µs';
  if (a < 1e9) return sign + trim(a / 1e6) + 'ms';
  return sign + trim(a / 1e9) + 's';
}

// "mono 5.000s (mono +0), wall 5.120s (wall +120ms)": a node's two clock readings at true time t.
// eslint-disable-next-line no-unused-vars
function timelineClocks(t, mono, wall, secs) {
  'use strict';
  return 'mono ' + secs(mono) + ' (mono ' + timelineDelta(mono - t) + '), wall ' + secs(wall) +
         ' (wall ' + timelineDelta(wall - t) + ')';
}

// The panel: show(heading, rows) with rows as [name, value] pairs, hide(). It lives outside the
// chart so that redrawing the lanes (zoom, pan) leaves it open.
// eslint-disable-next-line no-unused-vars
function timelineDetailsPanel(esc) {
  'use strict';
  const panel = document.createElement('aside');
  panel.id = 'details';
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', 'event details');
  panel.innerHTML = '<button id="details-close" title="close (Esc)" aria-label="close">×</button>' +
                    '<h3 id="details-title"></h3><table id="details-fields"></table>';
  document.body.appendChild(panel);
  const hide = () => {
    panel.hidden = true;
    delete panel.dataset.item;
  };
  const show = (item, heading, rows) => {
    document.getElementById('details-title').textContent = heading;
    document.getElementById('details-fields').innerHTML = rows.map(
        (r) => '<tr data-field="' + esc(r[0]) + '"><th>' + esc(r[0]) + '</th><td>' + esc(r[1]) +
               '</td></tr>').join('');
    panel.dataset.item = item;
    panel.hidden = false;
  };
  document.getElementById('details-close').addEventListener('click', hide);
  window.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') hide();
  });
  return {show: show, hide: hide};
}
