// Checks the legend of a timeline page that headless Chromium rendered (tools/browser/
// check-timeline runs it): the items the run needs are listed and the ones it cannot contain are
// not, e.g. a Raft page names no lock tokens or stale writes, a lock page no terms.
//
// usage: node check-legend.mjs DOM.html WANT NOT   (comma-separated data-legend keys)
import { readFileSync } from 'node:fs';

const [domPath, want, not] = process.argv.slice(2);
const dom = readFileSync(domPath, 'utf8').replace(/(<script[^>]*>)[^]*?(<\/script>)/g, '$1$2');
const listed = new Set([...dom.matchAll(/class="legend-item" data-legend="([\w-]+)"/g)]
    .map((m) => m[1]));
const failures = [];
for (const k of (want || '').split(',').filter(Boolean)) {
  if (!listed.has(k)) failures.push('the legend lacks "' + k + '"');
}
for (const k of (not || '').split(',').filter(Boolean)) {
  if (listed.has(k)) failures.push('the legend lists "' + k + '", which this run does not have');
}
if (failures.length > 0) {
  console.error('timeline legend check (' + domPath + ') FAILED:\n  ' + failures.join('\n  '));
  process.exit(1);
}
console.log('timeline legend check: ' + [...listed].join(', '));
