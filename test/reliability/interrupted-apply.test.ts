/**
 * apply_zone interrupted at random points: seeded runs of random faults (random kinds, from a
 * random request on, once or for good) during a 50-change plan (upsert, or sync with deletes
 * confirmed through the gate). After each: the result's lists
 * match what the emulator holds, nothing is lost or duplicated, and re-running the same call with
 * the faults gone converges to the desired state (and a new plan is empty).
 */
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import type { FaultRule } from '../../src/emulator/types.js';
import { FULL, figures, flush, scanDebugLog, tally } from './support/recorder.js';
import { startWorld, type CallResult, type World } from './support/world.js';
import { hosts, type DesiredRecord } from './support/zones.js';
import { compare, expectSame, snapshot, type Expected } from './support/state.js';
import { applyChange, verifyInterrupted, type ChangeOut } from './support/apply-check.js';

const RUNS = FULL ? 120 : 30;
const SEED = 20260728;
const DOMAIN = 'bulk.test';

afterAll(() => flush('interrupted-apply'));
scanDebugLog();

/**
 * Two 50-change plans on a zone of 60 records. upsert: 35 creates and 15 TTL updates (25%
 * touched: no confirmation). sync: 20 creates, 15 TTL updates and 15 deletes, which goes
 * through the confirmation gate (preview, then the same call with its confirm_token).
 */
function plan50(mode: 'upsert' | 'sync'): DesiredRecord[] {
  const nCreates = mode === 'upsert' ? 35 : 20;
  const creates = Array.from({ length: nCreates }, (_, i) => ({ record_type: 'A', name: `n${String(i).padStart(2, '0')}`, value: `203.0.113.${i + 1}`, ttl: 300 }));
  const updates = hosts(15).map((r) => ({ record_type: 'A', name: r.name, value: r.value, ttl: 900 }));
  const kept = mode === 'sync' ? hosts(45).slice(15).map((r) => ({ record_type: 'A', name: r.name, value: r.value, ttl: 3600 })) : [];
  return [...creates, ...updates, ...kept];
}

/** apply_zone as a user would run it: when the gate asks for confirmation, confirm with the token it gave. */
async function applyConfirmed(w: World, args: Record<string, unknown>): Promise<CallResult> {
  const first = await w.call('apply_zone', args);
  const token = first.structured?.['confirm_token'];
  if (first.isError || first.structured?.['confirmation'] !== 'required' || typeof token !== 'string') return first;
  return w.call('apply_zone', { ...args, confirm_token: token });
}

const faultArb = fc.constantFrom<Omit<FaultRule, 'method' | 'times'>>(
  { kind: 'status', status: 500 }, { kind: 'html', status: 502 }, { kind: 'html', status: 503 }, { kind: 'html', status: 504 },
  { kind: 'rate_limit', retryAfter: 1 }, { kind: 'rate_limit' }, { kind: 'drop_before' }, { kind: 'drop_after' },
  { kind: 'hang' }, { kind: 'hang_body' }, { kind: 'malformed_json' }, { kind: 'empty' }, { kind: 'redirect' },
);
/** A burst: from the `skip`+1-th matching request on, `times` failures of one kind. */
const burstArb = fc.record({
  fault: faultArb,
  method: fc.constantFrom<string | undefined>(undefined, 'GET', 'POST', 'PATCH'),
  // Often early (the plan's own reads, the first writes), else anywhere in the ~60 writes and read-backs.
  skip: fc.oneof(fc.nat({ max: 4 }), fc.nat({ max: 70 })),
  // Mostly for good: a fault that clears at once is retried away, and interrupts nothing.
  times: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 1 }, { arbitrary: fc.constant(Infinity), weight: 3 }),
});

type Burst = typeof burstArb extends fc.Arbitrary<infer T> ? T : never;

function rules(bursts: Burst[]): FaultRule[] {
  return bursts.flatMap((b) => {
    const m = b.method === undefined ? {} : { method: b.method };
    // A rule that does nothing takes the first `skip` matching requests, so the fault starts at a random index.
    const skip: FaultRule[] = b.skip > 0 ? [{ kind: 'latency', ms: 0, times: b.skip, ...m }] : [];
    return [...skip, { ...b.fault, times: b.times, ...m }];
  });
}

// One server and client for every run (a new client compiles every output schema validator);
// the emulator is put back to the same zone before each run.
let shared: World | undefined;
afterAll(async () => {
  await shared?.close();
});

async function freshWorld(pageSize: number | null): Promise<World> {
  shared ??= await startWorld({ zones: [], timeoutMs: 200 });
  shared.emu.faults.clear();
  shared.emu.setPageSize(pageSize);
  shared.emu.store.reset();
  shared.emu.store.addZone(DOMAIN, hosts(60));
  shared.emu.requests.length = 0;
  return shared;
}

const outcomes = { succeeded: 0, partial: 0, failedBeforeWriting: 0, rerunsConverged: 0 };
const modes = { upsert: 0, sync: 0 };

it(`${RUNS} seeded interrupted applies of a 50-change plan converge on re-run, with exact reports`, { timeout: 600_000 }, async () => {
  await fc.assert(
    // Lists come as bare arrays or as DRF pages (the read-backs then walk pages under faults too).
    fc.asyncProperty(fc.constantFrom<'upsert' | 'sync'>('upsert', 'sync'), fc.constantFrom<number | null>(null, 7), fc.array(burstArb, { minLength: 1, maxLength: 3 }), async (mode, pageSize, bursts) => {
      const w = await freshWorld(pageSize);
      try {
        const args: Record<string, unknown> = { zone: DOMAIN, records: plan50(mode), mode };
        const plan = await w.call('plan_zone', args);
        const planned = plan.structured?.['changes'] as ChangeOut[];
        expect(planned).toHaveLength(50);
        const initial = snapshot(w.emu);
        const desired: Expected = planned.reduce((e, c) => applyChange(e, DOMAIN, c), expectSame(initial));
        // A plan of 50 changes is held (the sync plan deletes; any is over the zone's budget): preview it (no faults yet) and confirm under the faults.
        const preview = await w.call('apply_zone', args);
        expect(preview.structured?.['confirmation']).toBe('required');
        args['confirm_token'] = preview.structured?.['confirm_token'];
        w.emu.requests.length = 0;

        for (const rule of rules(bursts)) w.emu.faults.add(rule);
        const r = await w.call('apply_zone', args);
        modes[mode]++;
        w.emu.faults.clear();
        const interrupted = snapshot(w.emu);
        tally.interrupted_applies++;

        if (!r.isError) {
          outcomes.succeeded++;
          expect(compare(desired, interrupted).problems).toEqual([]);
        } else if (r.error?.code === 'partial') {
          outcomes.partial++;
          expect(r.text).toMatch(/Stopped part-way: \d+ change\(s\) applied, \d+ failed .*\d+ not attempted/);
          expect(verifyInterrupted(planned, r, initial, interrupted, DOMAIN).problems).toEqual([]);
        } else {
          // It failed while reading the zone, before any write: nothing may have changed.
          outcomes.failedBeforeWriting++;
          expect(w.emu.requests.some((x) => x.method !== 'GET')).toBe(false);
          expect(compare(expectSame(initial), interrupted).problems).toEqual([]);
        }

        // The re-run is a new call: a fresh preview and confirmation where the rest still needs one.
        const { confirm_token: _used, ...rerun } = args;
        const again = await applyConfirmed(w, rerun);
        expect(again.isError, again.text).toBe(false);
        expect(compare(desired, snapshot(w.emu)).problems).toEqual([]);
        const after = await w.call('plan_zone', rerun);
        expect(after.structured?.['changes']).toEqual([]);
        outcomes.rerunsConverged++;
      } finally {
        w.emu.faults.clear();
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  figures.push(`interrupted applies: ${JSON.stringify(outcomes)}; plans ${JSON.stringify(modes)}`);
  // The seeded faults must really interrupt applies, or this proves nothing.
  expect(outcomes.partial).toBeGreaterThan(RUNS / 5);
});
