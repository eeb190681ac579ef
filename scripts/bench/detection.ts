/**
 * Detection latency: from the slow nameserver publishing a change to check_propagation reporting
 * it in sync (target: publish time + 0.5 s), for the tool as shipped and for other poll intervals,
 * so the schedule in src/tools/propagation-wait.ts is chosen from a measurement. The sandbox's
 * ns2 publishes PUBLISH_MS after the change; the clock starts just before the change is made.
 */
import { startSandbox } from '../../src/sandbox/index.js';
import { checkPropagation } from '../../src/dns/index.js';
import { POLL_INTERVAL_MS } from '../../src/tools/kit/propagation-wait.js';
import { startHarness } from '../../test/helpers/harness.js';
import type { Row } from './main.js';
import { median } from './stdio.js';

const PUBLISH_MS = 2000;
const RUNS = 8;
/** The check starts at these offsets after the change (stratified over 0-2 s): a publish falls anywhere in a poll period. */
const OFFSETS = Array.from({ length: RUNS }, (_, i) => Math.round(((i + 0.5) / RUNS) * 2000));

export async function benchDetection(results: Record<string, unknown>): Promise<Row[]> {
  const sb = await startSandbox({ publishDelayMs: [0, PUBLISH_MS] });
  const h = await startHarness({ emu: sb.emu, env: { ...sb.env } });
  const ns = sb.nameservers.map((n) => ({ host: n.host, address: n.address, port: n.port, family: 4 as const }));
  let n = 0;
  /** One change, then a wait for it; returns ms from publish to in_sync. */
  const once = async (wait: (name: string) => Promise<boolean>, offset: number) => {
    const name = `lat${n++}`;
    const t0 = performance.now();
    await h.call('create_record', { zone: 'example.com', record_type: 'A', name, value: '192.0.2.55', ttl: 300 });
    await new Promise((r) => setTimeout(r, Math.max(0, offset - (performance.now() - t0))));
    if (!(await wait(name))) throw new Error('not in sync within the wait');
    return performance.now() - t0 - PUBLISH_MS;
  };
  const viaTool = (name: string) => h.call('check_propagation', { zone: 'example.com', name, record_type: 'A', wait_seconds: 30 }).then((r) => r.structured?.['propagated'] === true);
  const direct = (interval: number) => (name: string) =>
    checkPropagation({ zone: 'example.com', name, recordType: 'A', expected: ['192.0.2.55'], nameservers: ns, waitSeconds: 30, pollIntervalMs: interval }).then((r) => r.propagated);
  try {
    const rows: Row[] = [];
    const figures: Record<string, number[]> = {};
    const runs = async (label: string, wait: (name: string) => Promise<boolean>) => {
      const ms: number[] = [];
      for (const offset of OFFSETS) ms.push(await once(wait, offset));
      figures[label] = ms;
      return median(ms);
    };
    const tool = await runs('tool', viaTool);
    rows.push({ what: `detection latency: check_propagation (poll ${POLL_INTERVAL_MS} ms), publish -> in_sync, median of ${RUNS}`, value: `${tool.toFixed(0)} ms`, baseline: `publish at +${PUBLISH_MS} ms`, ratio: '-', target: '<= 500 ms', met: tool <= 500 });
    for (const interval of [2000, 1000, 400, 200]) {
      const m = await runs(`poll_${interval}`, direct(interval));
      rows.push({ what: `  poll every ${interval} ms (dns/checkPropagation)`, value: `${m.toFixed(0)} ms`, baseline: '-', ratio: '-', target: 'report', met: null });
    }
    results['detection_latency'] = { publish_ms: PUBLISH_MS, ...figures };
    return rows;
  } finally {
    await h.close();
    await sb.close();
  }
}
