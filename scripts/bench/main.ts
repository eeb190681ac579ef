/**
 * `npm run bench`: what users feel, each figure beside its baseline measured in the same run
 * (absolute times drift on shared machines; ratios hold). Prints one table, writes JSON history.
 */
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { coldStart, median } from './stdio.js';
import { benchToolsList, benchTextSize, benchBulkApply } from './api-side.js';
import { benchPropagation, benchParallelNameservers } from './dns-side.js';
import { benchSilentBound } from './dns-bound.js';
import { benchOutputSizes } from './output-sizes.js';
import { benchAcme } from './acme.js';
import { benchDetection } from './detection.js';
import { benchAgentJobs } from './agent-jobs.js';
import { benchLiveAudit } from './live-audit.js';
import { benchApprovalOrder } from './approval-order.js';

export interface Row {
  what: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | null;
}

const rows: Row[] = [];
const results: Record<string, unknown> = {};
const fmt = (n: number, d = 1) => n.toFixed(d);

async function coldStartRows() {
  mkdirSync('.tmp/bench', { recursive: true });
  await build({ entryPoints: ['scripts/bench/minimal-server.ts'], outfile: '.tmp/bench/minimal.js', bundle: true, format: 'esm', platform: 'node', target: 'node20.18', minify: true, logLevel: 'warning', banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  const env = { VPSORG_API_TOKEN: 'vps_bench_token_0000', VPSORG_API_URL: 'http://127.0.0.1:9' };
  const ours: number[] = [];
  const base: number[] = [];
  let oursRss = 0;
  let baseRss = 0;
  await coldStart('dist/index.js', env); // warm the file cache for both
  await coldStart('.tmp/bench/minimal.js', {});
  for (let i = 0; i < 15; i++) {
    const a = await coldStart('dist/index.js', env);
    const b = await coldStart('.tmp/bench/minimal.js', {});
    ours.push(a.ms);
    base.push(b.ms);
    oursRss = a.rssKiB;
    baseRss = b.rssKiB;
  }
  const m = median(ours);
  const mb = median(base);
  rows.push({ what: 'cold start: spawn -> tools/list (median of 15)', value: `${fmt(m)} ms`, baseline: `${fmt(mb)} ms (one-tool server)`, ratio: `${fmt(m / mb, 2)}x`, target: '<= 1.25x', met: m / mb <= 1.25 });
  rows.push({ what: 'idle memory: RSS after tools/list', value: `${fmt(oursRss / 1024)} MiB`, baseline: `${fmt(baseRss / 1024)} MiB`, ratio: `${fmt(oursRss / baseRss, 2)}x`, target: 'report', met: null });
  results['cold_start'] = { ours_ms: ours, baseline_ms: base, median_ms: m, baseline_median_ms: mb, rss_kib: oursRss, baseline_rss_kib: baseRss };
}

async function main() {
  const only = process.argv.slice(2);
  const want = (k: string) => only.length === 0 || only.includes(k);
  if (want('start')) await coldStartRows();
  if (want('list')) rows.push(...(await benchToolsList(results)));
  if (want('text')) rows.push(...(await benchTextSize(results)));
  if (want('apply')) rows.push(...(await benchBulkApply(results)));
  if (want('propagation')) rows.push(...(await benchPropagation(results)));
  if (want('parallel')) rows.push(...(await benchParallelNameservers(results)));
  if (want('bound')) rows.push(...(await benchSilentBound(results)));
  if (want('sizes')) rows.push(...(await benchOutputSizes(results)));
  if (want('acme')) rows.push(...(await benchAcme(results)));
  if (want('detection')) rows.push(...(await benchDetection(results)));
  if (want('jobs')) rows.push(...(await benchAgentJobs(results)));
  if (want('audit')) rows.push(...(await benchLiveAudit(results)));
  if (want('order')) rows.push(...(await benchApprovalOrder(results)));

  const head = ['what', 'value', 'baseline (same run)', 'ratio', 'target', 'met'];
  const table = [head, ...rows.map((r) => [r.what, r.value, r.baseline, r.ratio, r.target, r.met === null ? '-' : r.met ? 'yes' : 'NO'])];
  const widths = head.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.slice(1).map(line)].join('\n');
  const date = new Date().toISOString();
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  process.stdout.write(`\nvpsorg-dns-mcp bench, ${date}, ${machine}\n\n${out}\n`);
  mkdirSync('bench-results', { recursive: true });
  const file = `bench-results/${date.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ date, machine, rows, results }, null, 2));
  process.stdout.write(`\n(JSON: ${file})\n`);
}

await main();
process.exit(0);
