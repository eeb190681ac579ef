/**
 * Issue 21 point 12: a check ends with its wait plus a few seconds, however slow the servers. A
 * whole-zone wait of 300 sets against one server that never answers (UDP silent, TCP refused)
 * used to take 115 s for a 30 s wait here; every query now stops at the check's limit.
 */
import { createSocket } from 'node:dgram';
import { checkZonePropagation } from '../../src/dns/index.js';
import { MIN_CHECK_MS, ROUND_OVERRUN_MS } from '../../src/dns/poll.js';
import { ZONE_CHECK_CONCURRENCY } from '../../src/tools/defs/propagation.js';
import type { Row } from './main.js';

export async function benchSilentBound(results: Record<string, unknown>): Promise<Row[]> {
  const silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
  silent.on('message', () => undefined);
  try {
    const waitSeconds = 12;
    const recordSets = Array.from({ length: 300 }, (_, i) => ({ name: `h${i}`, recordType: 'A', expected: ['192.0.2.1'] }));
    const t0 = performance.now();
    const r = await checkZonePropagation({ zone: 'bench.test', recordSets, nameservers: [{ host: 'silent', address: '127.0.0.1', port: silent.address().port, family: 4 }], concurrency: ZONE_CHECK_CONCURRENCY, waitSeconds });
    const ms = performance.now() - t0;
    if (r.propagated) throw new Error('a silent server cannot be in sync');
    const limit = Math.max(MIN_CHECK_MS, waitSeconds * 1000 + ROUND_OVERRUN_MS);
    results['silent_bound'] = { wait_s: waitSeconds, elapsed_ms: ms, limit_ms: limit };
    return [{ what: `bounded wait: whole zone, 300 sets, 1 silent server, wait_seconds ${waitSeconds}`, value: `${(ms / 1000).toFixed(1)} s`, baseline: `${limit / 1000} s (wait + ${ROUND_OVERRUN_MS / 1000} s)`, ratio: `${(ms / limit).toFixed(2)}x`, target: '<= 1.1x', met: ms / limit <= 1.1 }];
  } finally {
    silent.close();
  }
}
