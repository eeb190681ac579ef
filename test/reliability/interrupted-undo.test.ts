/**
 * undo_change interrupted by API faults (the kinds of the fault matrix, from a random request on,
 * once or for good): whatever part of the undo ran, running the undo again converges on the zone
 * as it was before the change, with no conflict, nothing lost and nothing duplicated.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import type { FaultRule } from '../../src/emulator/types.js';
import { FULL } from './support/recorder.js';
import { startWorld, type World } from './support/world.js';
import { bulkPlan20, hosts } from './support/zones.js';
import { confirmed, zoneState } from '../e2e/undo-helpers.js';
import { callAgreeing } from '../helpers/harness.js';

const RUNS = FULL ? 60 : 15;
const DOMAIN = 'bulk.test';

const faultArb = fc.constantFrom<Omit<FaultRule, 'method' | 'times'>>(
  { kind: 'status', status: 500 }, { kind: 'html', status: 503 }, { kind: 'rate_limit', retryAfter: 1 }, { kind: 'drop_before' },
  { kind: 'drop_after' }, { kind: 'hang' }, { kind: 'malformed_json' }, { kind: 'empty' },
);
const burstArb = fc.record({
  fault: faultArb,
  method: fc.constantFrom<string | undefined>(undefined, 'DELETE', 'DELETE', 'PATCH'),
  skip: fc.nat({ max: 16 }),
  // Mostly for good: a fault that clears at once is retried away and interrupts nothing.
  times: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 }, { arbitrary: fc.constant(Infinity), weight: 3 }),
});

let shared: World | undefined;
afterAll(async () => {
  await shared?.close();
});

it(`${RUNS} seeded undos interrupted by API faults converge when run again`, { timeout: 300_000 }, async () => {
  shared ??= await startWorld({ zones: [], timeoutMs: 500, env: { VPSORG_JOURNAL_DIR: mkdtempSync(join(tmpdir(), 'undo-faults-')), VPSORG_CONFIRM_SECRET: 'undo-faults-secret-0123456789' } });
  const w = shared;
  const outcomes = { interrupted: 0, completed: 0 };
  await fc.assert(
    fc.asyncProperty(burstArb, async (b) => {
      w.emu.faults.clear();
      w.emu.store.reset();
      w.emu.store.addZone(DOMAIN, hosts(30));
      const start = zoneState(w.emu, DOMAIN);
      // 20 creates are over the zone's budget (creates count): confirmed as a user would.
      const change = await callAgreeing(w, 'apply_zone', { zone: DOMAIN, records: bulkPlan20() });
      expect(change.isError, change.text).toBe(false);
      const id = (change.structured?.['undo'] as { change_id: string }).change_id;
      // The undo deletes what the change created: preview it, then confirm under the faults.
      const preview = await w.call('undo_change', { change_id: id });
      expect(preview.structured?.['confirmation']).toBe('required');
      const m = b.method === undefined ? {} : { method: b.method };
      if (b.skip) w.emu.faults.add({ kind: 'latency', ms: 0, times: b.skip, ...m });
      w.emu.faults.add({ ...b.fault, times: b.times, ...m });
      const first = await w.call('undo_change', { change_id: id, confirm_token: preview.structured?.['confirm_token'] });
      w.emu.faults.clear();
      outcomes[first.isError ? 'interrupted' : 'completed']++;
      if (first.isError) {
        const again = await confirmed(w.call, 'undo_change', { change_id: id });
        expect(again.isError, again.text).toBe(false);
        expect((again.structured?.['sets'] as Array<{ status: string }>).some((s) => s.status === 'conflict')).toBe(false);
      }
      expect(zoneState(w.emu, DOMAIN)).toEqual(start);
      const list = await w.call('list_changes', { zone: DOMAIN, limit: 100 });
      expect((list.structured?.['changes'] as Array<{ change_id: string; undone: boolean }>).find((c) => c.change_id === id)?.undone).toBe(true);
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
  // The seeded faults must really interrupt undos, or this proves nothing.
  expect(outcomes.interrupted).toBeGreaterThan(RUNS / 4);
});
