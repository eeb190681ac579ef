/**
 * Issue 21 point 12 (part): a propagation check ends with its wait plus a few seconds, however
 * slow the servers. Every round used to run to the end of its queries (9 s per record set per
 * silent server, 16 sets at a time), so a 30 s whole-zone wait took 202 s. Queries now stop when
 * the check's time is up (poll.ts checkLimit) and say so. How long a check takes is measured by
 * `npm run bench`; here the servers' per-try timeout is far longer than the check's limit, so
 * only a bounded check can report the limit.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { NameserverAddress } from '../../src/dns/nameservers.js';
import { checkPropagation, checkZonePropagation } from '../../src/dns/propagation.js';
import { MIN_CHECK_MS, ROUND_OVERRUN_MS } from '../../src/dns/poll.js';

let silent: Socket;
let ns: NameserverAddress;
// Longer than the test's own time-out: a query that runs its course cannot finish in time.
const slow = { timeoutMs: 120_000, tries: 1 };

beforeAll(async () => {
  silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
  silent.on('message', () => undefined);
  ns = { host: 'ns.silent.test', address: '127.0.0.1', port: silent.address().port, family: 4 };
});
afterAll(() => new Promise<void>((r) => silent.close(() => r())));

// Each check waits out its own limit against the silent server: run side by side, not one after another.
describe.concurrent('a check stays within its wait', () => {
  it('the limit is the wait plus a few seconds, and never less than one whole query', ({ expect }) => {
    expect(ROUND_OVERRUN_MS).toBeLessThanOrEqual(5000);
    expect(MIN_CHECK_MS).toBeGreaterThanOrEqual(3 * 3000);
  });

  it('a record set whose server never answers is reported when the time is up', async ({ expect }) => {
    const r = await checkPropagation({ zone: 'example.com', name: 'www', recordType: 'A', expected: ['192.0.2.1'], nameservers: [ns], waitSeconds: 1, ...slow });
    expect(r.propagated).toBe(false);
    expect(r.servers[0]).toMatchObject({ status: 'error', serial: null });
    expect(r.servers[0]?.detail).toMatch(/^timeout: no reply before the check's time was up/);
  });

  it('a whole zone of many sets, 2 at a time, ends too: the sets not asked in time say so', async ({ expect }) => {
    const recordSets = Array.from({ length: 40 }, (_, i) => ({ name: `h${i}`, recordType: 'A', expected: ['192.0.2.1'] }));
    const r = await checkZonePropagation({ zone: 'example.com', recordSets, nameservers: [ns], concurrency: 2, waitSeconds: 1, ...slow });
    expect(r).toMatchObject({ propagated: false, rounds: 1, total_sets: 40 });
    expect(r.sets.every((s) => /time was up/.test(s.servers[0]?.detail ?? ''))).toBe(true);
  });

  it("the caller's own cancel still reads as a cancel", async ({ expect }) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const r = await checkPropagation({ zone: 'example.com', name: 'www', recordType: 'A', expected: ['192.0.2.1'], nameservers: [ns], signal: controller.signal, ...slow });
    expect(r.servers[0]?.detail).toMatch(/aborted/);
  });
});
