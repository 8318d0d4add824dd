// The timeline page's legend (joined before timeline.js into the page's one script by embed.py):
// only the items that this run's data contains, so a Raft page does not explain lock tokens or
// stale writes, and a lock page names no terms or leaders. Each item carries data-legend=KEY so
// the browser check can tell which were listed.
// eslint-disable-next-line no-unused-vars
function timelineLegend(D, palette) {
  'use strict';
  const has = (list, pred) => list.some(pred);
  const locks = has(D.bars, (b) => b.kind === 'lock');
  const leads = has(D.bars, (b) => b.kind === 'leader');
  const span = (kind) => has(D.spans, (s) => s.kind === kind);
  const mark = (kind) => has(D.marks, (m) => m.kind === kind);
  const write = (status) => has(D.writes, (w) => w.status === status);
  // A holding the server ended while its holder still believed in it (drawn striped).
  const staleBelief = has(D.marks, (m) => m.kind === 'lease-ended' && has(D.bars,
      (b) => b.kind === 'lock' && b.node === m.holder && b.value === m.token && m.t >= b.t0 &&
             m.t < b.t1));
  const swatch = (svg) => '<svg width="26" height="14" viewBox="0 0 26 14">' + svg + '</svg>';
  const barSwatch = swatch('<rect x="1" y="3" width="11" height="8" rx="2" fill="' + palette[1] +
                           '"/><rect x="13" y="3" width="12" height="8" rx="2" fill="' +
                           palette[2] + '"/>');
  const vline = (color, extra) => swatch('<line x1="13" y1="0" x2="13" y2="14" stroke="' + color +
                                         '" ' + extra + '/>');
  const items = [
    ['holds', locks, barSwatch, 'holds the lock (colour: token)'],
    ['leads', leads, barSwatch, 'leads (colour: term)'],
    ['stale-belief', staleBelief,
     swatch('<rect x="1" y="3" width="24" height="8" fill="url(#lg-stale)" stroke="#d1242f"/>'),
     'still believes after its lease ended'],
    ['pause', span('pause'),
     swatch('<rect x="1" y="1" width="24" height="12" fill="url(#lg-pause)"/>'), 'paused'],
    ['down', span('down'),
     swatch('<rect x="1" y="1" width="24" height="12" fill="#667085" opacity="0.3"/>'),
     'crashed'],
    ['cut', span('cut') || has(D.cuts || [], () => true),
     swatch('<rect x="1" y="1" width="24" height="12" fill="#3d64a8" opacity="0.1"/>' +
            '<rect x="1" y="9" width="24" height="4" fill="#3d64a8"/>'),
     'links cut (named by fault)'],
    ['wait', span('wait'),
     swatch('<line x1="1" y1="7" x2="25" y2="7" stroke="#98a2b3" stroke-width="1.5" ' +
            'stroke-dasharray="2 3"/>'), 'waiting for the lock'],
    ['message', D.msgs.length > 0,
     swatch('<line x1="1" y1="11" x2="23" y2="3" stroke="#8aa4c8"/><path d="M19,2 L25,2 ' +
            'L22,7 z" fill="#8795aa"/>'), 'message'],
    ['drop', D.drops.length > 0 || has(D.msgs, (m) => m.dropped),
     swatch('<path d="M10,4 L16,10 M16,4 L10,10" stroke="#d1242f" stroke-width="1.6"/>'),
     'dropped'],
    ['write-accepted', write('accepted'),
     swatch('<rect x="11" y="2" width="3" height="10" fill="' + palette[1] + '"/>'),
     'write accepted'],
    ['write-rejected', write('rejected'),
     swatch('<circle cx="13" cy="7" r="4" fill="#fff" stroke="#d97706" stroke-width="2"/>'),
     'write rejected (fenced): writer, its token < the highest accepted'],
    ['write-stale', write('stale'),
     swatch('<path d="M13,0 L19,7 L13,14 L7,7 z" fill="#d1242f"/>'), 'stale write accepted'],
    ['lease-ended', mark('lease-ended'),
     swatch('<line x1="13" y1="1" x2="13" y2="13" stroke="#b42318" stroke-width="2"/>' +
            '<path d="M9,1 L17,1 L13,6 z" fill="#b42318"/>'), 'lease ended (server)'],
    ['clock-step', mark('clock-step'), vline('#7a3fb0', 'stroke-width="2"'), 'clock step'],
    ['partition', mark('partition') || mark('cut') || mark('heal'),
     vline('#2f5d9e', 'stroke-dasharray="3 2"'), 'partition / cut / heal'],
    ['violation', has(D.verdicts, (v) => v.n !== undefined),
     vline('#d1242f', 'stroke-width="2" stroke-dasharray="4 2"'), 'first violation'],
  ];
  return '<svg width="0" height="0" style="position:absolute"><defs>' +
      '<pattern id="lg-pause" patternUnits="userSpaceOnUse" width="7" height="7" ' +
      'patternTransform="rotate(45)"><rect width="7" height="7" fill="#fdf0cf"/><line x1="0" ' +
      'y1="0" x2="0" y2="7" stroke="#e3a63b" stroke-width="3"/></pattern>' +
      '<pattern id="lg-stale" patternUnits="userSpaceOnUse" width="6" height="6" ' +
      'patternTransform="rotate(-45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#d1242f" ' +
      'stroke-width="2.5"/></pattern></defs></svg>' +
      items.filter((i) => i[1])
          .map((i) => '<span class="legend-item" data-legend="' + i[0] + '">' + i[2] + i[3] +
                      '</span>')
          .join('');
}
