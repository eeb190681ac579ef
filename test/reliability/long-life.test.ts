/**
 * Long life: thousands of sequential tool calls (reads, writes, dry runs, gated previews, refused
 * inputs, not-found errors) through one server process. Memory must settle: the heap after a full
 * GC late in the run is compared with the heap after a GC early on, with a margin a real leak of a
 * few kilobytes per call would exceed but noise does not. RSS is reported.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, expect, it } from 'vitest';
import { FULL, figures, flush, leaks, tally } from './support/recorder.js';
import { startWorld } from './support/world.js';
import { hosts } from './support/zones.js';

const CALLS = FULL ? 10_000 : 3_000;
const EARLY = Math.round(CALLS / 5);
const HEAP_MARGIN_MB = 24;

afterAll(() => flush('long-life'));

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;

function settle(): { heap: number; rss: number } {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

/** Call i of the mix; writes go back and forth, so the zone stays the same size. */
function callFor(i: number): [string, Record<string, unknown>] {
  switch (i % 10) {
    case 0: return ['list_zones', {}];
    case 1: return ['get_zone', { zone: 'life.test' }];
    case 2: return ['update_ttl', { zone: 'life.test', name: 'h01', record_type: 'A', ttl: i % 20 === 2 ? 300 : 600 }];
    case 3: return ['create_record', { zone: 'life.test', record_type: 'TXT', name: `t${i}`, value: 'dry', dry_run: true }];
    case 4: return ['list_records', { zone: 'life.test', record_type: 'A', name: 'h02' }];
    case 5: return ['delete_record', { zone: 'life.test', name: 'h03', record_type: 'A' }];
    case 6: return ['create_record', { zone: 'life.test', record_type: 'A', name: 'bad', value: '300.1.1.1' }];
    case 7: return ['get_zone', { zone: 'nowhere.test' }];
    case 8: return ['patch_record', { zone: 'life.test', name: 'h04', record_type: 'A', value: i % 20 === 8 ? '198.51.100.5' : '198.51.100.55' }];
    default: return ['plan_zone', { zone: 'life.test', records: hosts(5) }];
  }
}

it(`${CALLS} sequential tool calls in one process: memory settles`, async () => {
  const w = await startWorld({ zones: [{ domain: 'life.test', records: hosts(20) }] });
  const samples: Record<string, { heap: number; rss: number }> = {};
  try {
    const start = settle();
    samples['start'] = start;
    let wrong = 0;
    for (let i = 0; i < CALLS; i++) {
      const [name, args] = callFor(i);
      const r = await w.call(name, args);
      tally.sequential_calls++;
      // Calls 6 and 7 of every ten are meant to fail (an invalid value, a missing zone); the rest succeed.
      if (r.isError !== (i % 10 === 6 || i % 10 === 7)) wrong++;
      // The emulator's request log is test equipment, not the server's memory.
      if (i % 200 === 0) w.emu.requests.length = 0;
      if (i + 1 === EARLY) samples['early'] = settle();
    }
    samples['end'] = settle();
    expect(wrong, 'calls whose outcome was not the expected success or error').toBe(0);
  } finally {
    await w.close();
  }
  const { start, early, end } = samples as Record<'start' | 'early' | 'end', { heap: number; rss: number }>;
  figures.push(
    `long life: ${CALLS} sequential calls; heap after GC ${mb(start.heap)} MB at start, ${mb(early.heap)} MB after ${EARLY}, ${mb(end.heap)} MB at the end; RSS ${mb(start.rss)} -> ${mb(early.rss)} -> ${mb(end.rss)} MB`,
  );
  expect(mb(end.heap - early.heap), 'heap growth between the early and the final sample (MB)').toBeLessThan(HEAP_MARGIN_MB);
  expect(leaks).toEqual([]);
});
