// Checks the DOM that headless Chromium rendered from a lockstep timeline page
// (tools/browser/check-timeline runs it): the page's script drew the SVG, and the elements the
// pause-without-fencing story depends on are there, identified by their data- attributes.
//
// usage: node check-dom.mjs whole|zoomed DOM.html PAGE.html
import { readFileSync } from 'node:fs';

const [mode, domPath, pagePath] = process.argv.slice(2);
const dump = readFileSync(domPath, 'utf8');
// Script text is not DOM: leave it out so tags inside string literals are not counted.
const dom = dump.replace(/(<script[^>]*>)[^]*?(<\/script>)/g, '$1$2');
const page = readFileSync(pagePath, 'utf8');
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};

// Every start tag with its attributes. The dump is Chromium's serialization of the DOM, so
// attribute values are quoted and escaped.
const elements = [];
for (const m of dom.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g)) {
  const attrs = {};
  for (const a of m[2].matchAll(/([\w:-]+)(?:="([^"]*)")?/g)) attrs[a[1]] = a[2] ?? '';
  elements.push({ tag: m[1].toLowerCase(), attrs });
}
const classes = (e) => (e.attrs.class || '').split(/\s+/);
const find = (cls, want) => elements.filter((e) => classes(e).includes(cls) &&
    Object.entries(want).every(([k, v]) => e.attrs[k] === String(v)));
const one = (cls, want, what) => {
  const found = find(cls, want);
  check(found.length > 0, what + ' (no .' + cls + ' with ' + JSON.stringify(want) + ')');
  return found[0];
};

// The page is self-contained: nothing fetched, no external script or stylesheet.
check(!/<script[^>]*\ssrc=/i.test(page), 'the page loads an external script');
check(!/<link[\s>]/i.test(page), 'the page links an external resource');
check(!page.includes('://'), 'the page names a URL (it must not fetch anything)');

// The script ran and drew the diagram.
check(/<body[^>]*data-rendered="true"/.test(dom), 'body[data-rendered=true]: the script did not run');
const data = JSON.parse(/<script type="application\/json" id="timeline-data">([^]*?)<\/script>/
    .exec(page)[1]);
const lanes = find('lane', {});
check(lanes.length === data.nodes.length,
      'one lane per node: ' + lanes.length + ' lanes for ' + data.nodes.length + ' nodes');
for (const id of ['lock', 'store', 'c1', 'c2']) one('lane', { 'data-node': id }, 'a lane for ' + id);

const pause = one('span', { 'data-kind': 'pause', 'data-node': 'c1' }, "c1's pause");
if (pause) {
  check(pause.attrs['data-t0'] === '5000000000', 'the pause starts at 5s: ' + pause.attrs['data-t0']);
  check(pause.attrs['data-t1'] === '20000000000', 'the pause ends at 20s: ' + pause.attrs['data-t1']);
}
const expiry = one('mark', { 'data-kind': 'lease-ended', 'data-node': 'lock', 'data-holder': 'c1',
                             'data-token': '1' }, "the server's expiry of c1's lease");
const second = one('bar', { 'data-kind': 'lock', 'data-node': 'c2', 'data-token': '2' },
                   "c2's holding (the second holder)");
if (expiry && second) {
  check(Number(second.attrs['data-t0']) > Number(expiry.attrs['data-t']),
        'c2 acquires after the lease of c1 expired at the server');
}
one('bar', { 'data-kind': 'lock', 'data-node': 'c1', 'data-token': '1', 'data-end': 'expired' },
    "c1's holding, ended by its own expiry");
one('stale-belief', { 'data-node': 'c1', 'data-token': '1' },
    "c1's belief after the server ended its lease");
const stale = one('write', { 'data-status': 'stale', 'data-node': 'store', 'data-writer': 'c1',
                             'data-token': '1' }, 'the stale write the store accepted');
const me = one('violation', { 'data-checker': 'mutual_exclusion' }, 'the mutual_exclusion marker');
const fw = one('violation', { 'data-checker': 'fenced_writes' }, 'the fenced_writes marker');
if (me && second) {
  check(me.attrs['data-t'] === second.attrs['data-t0'],
        'mutual_exclusion is marked where c2 acquired: ' + me.attrs['data-t']);
}
if (fw && stale) {
  check(fw.attrs['data-t'] === stale.attrs['data-t'],
        'fenced_writes is marked at the stale write: ' + fw.attrs['data-t']);
}
one('verdict', { 'data-checker': 'mutual_exclusion', 'data-verdict': 'violated' },
    'the explained mutual_exclusion verdict');
one('verdict', { 'data-checker': 'fenced_writes', 'data-verdict': 'violated' },
    'the explained fenced_writes verdict');
check(/both believed they held the lock/.test(dom), "the verdict's explanation in words");

if (mode === 'zoomed') {
  // #view=12-22: the view starts where asked, and what lies outside is not drawn.
  check(/showing 12\.000s – 22\.000s/.test(dom), 'the zoomed range is shown');
  check(find('bar', { 'data-token': '3' }).length === 0, 'the token-3 holding (after 45s) is culled');
}

if (failures.length > 0) {
  console.error('timeline DOM check (' + mode + ') FAILED:\n  ' + failures.join('\n  '));
  process.exit(1);
}
console.log('timeline DOM check (' + mode + '): ' + elements.length + ' elements, all present');
