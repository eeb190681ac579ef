/**
 * Issue 24: two server processes (HTTP, the same VPSORG_CONFIRM_SECRET and VPSORG_STATE_URL on a
 * real PostgreSQL cluster) behind no sticky sessions: a client alternates between them. A
 * confirmation used through one is refused through the other; the zone budget counts writes
 * through both; with PostgreSQL stopped, writes refuse with state_unavailable and nothing reaches
 * the emulator while reads answer, and once it is back writes work again without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import type { PostgresCluster } from '../helpers/postgres.js';
import { callReplica as call, emulatedReplicas, type EmulatedReplicas, type Replica } from '../helpers/replicas.js';
import { RECORDS, apiFor, recordOf, writes } from './safety-helpers.js';

let pair: EmulatedReplicas;
let pg: PostgresCluster;
let emu: Emulator;
let a: Replica;
let b: Replica;

beforeAll(async () => {
  pair = await emulatedReplicas();
  ({ pg, emu, a, b } = pair);
}, 90_000);
afterAll(() => pair?.close());

describe('two replicas sharing PostgreSQL', () => {
  it('a confirmation used through B is refused through A, even with the records back as previewed', async () => {
    emu.store.addZone('replay.example', [{ record_type: 'TXT', name: '@', value: 'v=spf1 -all' }]);
    const args = { zone: 'replay.example', name: '@', record_type: 'TXT', value: 'v=spf1 +all' };
    const preview = await call(a, 'patch_record', args);
    const token = preview.structured?.['confirm_token'];
    expect(token, preview.text).toEqual(expect.any(String));
    const done = await call(b, 'patch_record', { ...args, confirm_token: token });
    expect(done.structured, done.text).toMatchObject({ applied: true, confirmation: 'confirmed_by_token' });
    await apiFor(emu).patchRecord(recordOf(emu, 'replay.example', '@', 'TXT').uuid, { value: 'v=spf1 -all' });
    emu.requests.length = 0;
    const again = await call(a, 'patch_record', { ...args, confirm_token: token });
    expect(again.isError, again.text).toBe(true);
    expect(again.reason).toBe('used');
    expect(writes(emu)).toEqual([]);
  });

  it('the zone budget counts the writes made through both: the fourth change is held, whichever replica takes it', async () => {
    emu.store.addZone('budget.example', [...RECORDS, { record_type: 'A', name: 'shop', value: '192.0.2.30' }]);
    for (const [r, name] of [[a, 'www'], [b, 'api'], [a, 'shop']] as const) {
      // No budget_token passed on: only the shared store can know what the other replica ran.
      const res = await call(r, 'update_ttl', { zone: 'budget.example', name, record_type: 'A', ttl: 60 });
      expect(res.structured, res.text).toMatchObject({ applied: true });
    }
    emu.requests.length = 0;
    const fourth = await call(b, 'update_ttl', { zone: 'budget.example', name: '@', record_type: 'A', ttl: 60 });
    expect(fourth.structured, fourth.text).toMatchObject({ confirmation: 'required', budget: { used: 3, limit: 3 } });
    expect(writes(emu)).toEqual([]);
  });

  it('with PostgreSQL stopped, writes refuse with state_unavailable and send nothing, reads answer; once it is back, writes work', async () => {
    await pg.stop();
    try {
      emu.requests.length = 0;
      for (const r of [a, b]) {
        const w = await call(r, 'create_record', { zone: 'example.com', name: 'outage', record_type: 'A', value: '192.0.2.50' });
        expect(w.isError, w.text).toBe(true);
        expect(w.code).toBe('state_unavailable');
        expect(w.text).toMatch(/nothing was sent to VPS\.org/);
      }
      expect(writes(emu)).toEqual([]);
      const read = await call(a, 'list_records', { zone: 'example.com' });
      expect(read.isError, read.text).toBe(false);
      const ready = await fetch(`${b.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { state: 'failing' } });
      // An approval page says the store is away (and that nothing was decided), not "internal error".
      const page = await fetch(`${a.url}/approve/${'x'.repeat(32)}`);
      expect(page.status).toBe(503);
      expect(await page.text()).toMatch(/nothing was decided/);
    } finally {
      await pg.start();
    }
    const w = await call(b, 'create_record', { zone: 'example.com', name: 'outage', record_type: 'A', value: '192.0.2.50' });
    expect(w.structured, w.text).toMatchObject({ applied: true });
    expect(recordOf(emu, 'example.com', 'outage', 'A').value).toBe('192.0.2.50');
  }, 60_000);
});
