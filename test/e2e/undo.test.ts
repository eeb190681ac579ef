/**
 * Undo (issue 14): random changes through the tools undone in reverse give back the starting
 * zone; conflicts are refused with their three states and `partial` undoes only the rest; bad
 * receipts are refused before any request; delete_zone is undone by recreating the zone.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { makeReceipt, signReceipt, verifyReceipt } from '../../src/history/receipt.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { confirmed, errorOf, SECRET, stranger, undoOf, zoneState } from './undo-helpers.js';

let emu: Emulator;
let h: Harness;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  h = await startHarness({ emu, env: { VPSORG_CONFIRM_SECRET: SECRET } });
});
afterAll(async () => {
  await h.close();
  await emu.close();
});

const NAMES = ['@', 'www', 'api', 'mail', 'x'] as const;
const seedArb = fc.uniqueArray(fc.record({ name: fc.constantFrom(...NAMES), kind: fc.constantFrom('A', 'TXT', 'MX'), n: fc.integer({ min: 1, max: 40 }), ttl: fc.constantFrom(300, 3600) }), {
  maxLength: 6,
  selector: (r) => `${r.name}|${r.kind}|${r.n}`,
});
const opArb = fc.oneof(
  fc.record({ op: fc.constant('create' as const), name: fc.constantFrom(...NAMES), kind: fc.constantFrom('A', 'TXT', 'MX'), n: fc.integer({ min: 41, max: 99 }), ttl: fc.constantFrom(300, 3600) }),
  fc.record({ op: fc.constant('patch' as const), pick: fc.nat(), n: fc.integer({ min: 100, max: 199 }), ttl: fc.constantFrom(600, 7200) }),
  fc.record({ op: fc.constant('ttl' as const), pick: fc.nat(), ttl: fc.constantFrom(120, 900, 86400) }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('apply' as const), names: fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }), n: fc.integer({ min: 200, max: 250 }) }),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

const valueOf = (kind: string, n: number) => (kind === 'A' ? `198.51.100.${n}` : kind === 'TXT' ? `token-${n}` : `mx${n}.example.net`);
const recordArgs = (kind: string, n: number) => ({ record_type: kind, value: valueOf(kind, n), ...(kind === 'MX' ? { priority: n } : {}) });

let zoneNo = 0;

async function runOp(domain: string, op: Op): Promise<string | undefined> {
  const recs = zoneState(emu, domain).length ? (emu.store.getZone(emu.store.findZone(domain)?.uuid ?? '')?.records ?? []) : [];
  const picked = 'pick' in op && recs.length ? recs[op.pick % recs.length] : undefined;
  let r;
  switch (op.op) {
    case 'create':
      r = await h.call('create_record', { zone: domain, name: op.name, ttl: op.ttl, ...recordArgs(op.kind, op.n) });
      break;
    case 'patch':
      if (!picked) return undefined;
      r = await h.call('patch_record', { record: picked.uuid, ttl: op.ttl, ...(picked.record_type === 'A' ? { value: valueOf('A', op.n) } : {}) });
      break;
    case 'ttl':
      if (!picked) return undefined;
      r = await h.call('update_ttl', { record: picked.uuid, ttl: op.ttl });
      break;
    case 'delete':
      if (!picked) return undefined;
      r = await confirmed(h.call, 'delete_record', { record: picked.uuid });
      break;
    case 'apply':
      r = await confirmed(h.call, 'apply_zone', { zone: domain, mode: 'upsert', records: op.names.map((name) => ({ name, record_type: 'A', value: valueOf('A', op.n), ttl: 300 })) });
      break;
  }
  // A change the tools refuse (e.g. a duplicate) or that changes nothing has no receipt.
  return r.isError ? undefined : undoOf(r)?.change_id;
}

describe('undo', () => {
  it('random changes through the tools, undone in reverse order, give back the starting zone', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(seedArb, fc.array(opArb, { minLength: 1, maxLength: 6 }), async (seed, ops) => {
        const domain = `prop${++zoneNo}.test`;
        emu.store.addZone(domain, seed.map((s) => ({ name: s.name, ttl: s.ttl, ...recordArgs(s.kind, s.n) })));
        const start = zoneState(emu, domain);
        const ids: string[] = [];
        for (const op of ops) {
          const id = await runOp(domain, op);
          if (id) ids.push(id);
        }
        for (const id of ids.reverse()) {
          const u = await confirmed(h.call, 'undo_change', { change_id: id });
          expect(u.isError, u.text).toBeFalsy();
        }
        expect(zoneState(emu, domain)).toEqual(start);
      }),
      { numRuns: 25 },
    );
  });

  it('a set changed by someone else is a conflict with its three states; partial undoes the rest and nothing else', async () => {
    emu.store.addZone('conflict.test', [{ name: 'a', record_type: 'A', value: '192.0.2.1', ttl: 300 }]);
    const change = await h.call('apply_zone', {
      zone: 'conflict.test',
      records: [
        { name: 'a', record_type: 'A', value: '192.0.2.1', ttl: 900 },
        { name: 'b', record_type: 'TXT', value: 'hello', ttl: 300 },
      ],
    });
    const { change_id } = undoOf(change) ?? { change_id: '' };
    const zoneUuid = emu.store.findZone('conflict.test')?.uuid as string;
    const a = emu.store.getZone(zoneUuid)?.records?.find((r) => r.name.startsWith('a')) as { uuid: string };
    await stranger(emu).patchRecord(a.uuid, { value: '192.0.2.77' });
    const before = zoneState(emu, 'conflict.test');

    emu.requests.length = 0;
    const refused = await h.call('undo_change', { change_id });
    expect(refused.isError).toBe(true);
    expect(errorOf(refused)?.code).toBe('conflict');
    expect(errorOf(refused)?.details?.['conflicts']).toEqual([
      { name: 'a', record_type: 'A', status: 'conflict', before: [{ value: '192.0.2.1', ttl: 300, priority: null }], after: [{ value: '192.0.2.1', ttl: 900, priority: null }], now: [{ value: '192.0.2.77', ttl: 900, priority: null }] },
    ]);
    expect(refused.text).toMatch(/before: 192\.0\.2\.1 ttl 300[\s\S]*after: {2}192\.0\.2\.1 ttl 900[\s\S]*now: {4}192\.0\.2\.77 ttl 900/);
    expect(emu.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(zoneState(emu, 'conflict.test')).toEqual(before);

    const dry = await h.call('undo_change', { change_id, partial: true, dry_run: true });
    expect(dry.structured?.['applied']).toBe(false);
    const partial = await confirmed(h.call, 'undo_change', { change_id, partial: true });
    expect(partial.isError, partial.text).toBeFalsy();
    expect((partial.structured?.['sets'] as Array<{ status: string }>).map((s) => s.status)).toEqual(['conflict', 'restore']);
    expect(zoneState(emu, 'conflict.test')).toEqual(['a A 192.0.2.77 900 -']);
    const list = await h.call('list_changes', { zone: 'conflict.test' });
    expect((list.structured?.['changes'] as Array<{ change_id: string; undone: boolean; undone_by?: string }>).find((c) => c.change_id === change_id)).toMatchObject({ undone: false, undone_by: expect.any(String) });
  });

  it('refuses a tampered, other-zone, expired or foreign-keyed receipt before any request', async () => {
    const made = await h.call('create_record', { zone: 'example.com', name: 'refuse', record_type: 'A', value: '192.0.2.50' });
    const receipt = undoOf(made)?.receipt as string;
    const payload = verifyReceipt(SECRET, receipt, Date.now());
    const [p, body, sig] = receipt.split('.') as [string, string, string];
    const tampered = `${p}.${Buffer.from(Buffer.from(body, 'base64url').toString().replace('192', '193').replace('example.com', 'example.org')).toString('base64url')}.${sig}`;
    const expired = signReceipt(SECRET, makeReceipt({ ...payload, at: Date.now() - 40 * 24 * 3600_000 }, payload.sets ?? [], false));
    const foreign = signReceipt('somebody-elses-secret-42424242', payload);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ receipt: tampered }, 'forged'],
      [{ receipt, zone: 'example.org' }, 'other_zone'],
      [{ receipt: expired }, 'expired'],
      [{ receipt: foreign }, 'forged'],
      [{ receipt: 'vur1.bm90.aGk' }, 'forged'],
    ];
    for (const [args, reason] of cases) {
      emu.requests.length = 0;
      const r = await h.call('undo_change', args);
      expect(r.isError).toBe(true);
      expect(errorOf(r)?.details?.['reason'], r.text).toBe(reason);
      expect(emu.requests).toEqual([]);
    }
    // Outside the allowlist: refused before any request too.
    const limited = await startHarness({ emu, env: { VPSORG_CONFIRM_SECRET: SECRET, VPSORG_ALLOWED_ZONES: 'example.org' } });
    emu.requests.length = 0;
    const outside = await limited.call('undo_change', { receipt });
    await limited.close();
    expect(errorOf(outside)?.code).toBe('policy');
    expect(emu.requests).toEqual([]);
    // The same secret on another server (a replica): the receipt works there.
    const replica = await startHarness({ emu, env: { VPSORG_CONFIRM_SECRET: SECRET } });
    const back = await confirmed(replica.call, 'undo_change', { receipt });
    await replica.close();
    expect(back.isError, back.text).toBeFalsy();
    expect(zoneState(emu, 'example.com').some((r) => r.startsWith('refuse '))).toBe(false);
  });

  it('undoes delete_zone by recreating the zone and its records (old uuids mapped to new); undoing that undo deletes it again', async () => {
    emu.store.addZone('gone.test', [
      { name: '@', record_type: 'MX', value: 'mx.gone.test', priority: 10, ttl: 300 },
      { name: 'www', record_type: 'A', value: '192.0.2.8', ttl: 600 },
    ]);
    const start = zoneState(emu, 'gone.test');
    const oldUuids = (emu.store.getZone(emu.store.findZone('gone.test')?.uuid as string)?.records ?? []).map((r) => r.uuid).sort();
    const del = await confirmed(h.call, 'delete_zone', { zone: 'gone.test' });
    expect(del.structured?.['applied']).toBe(true);
    expect(zoneState(emu, 'gone.test')).toEqual(['(no zone)']);

    const dry = await h.call('undo_change', { change_id: undoOf(del)?.change_id, dry_run: true });
    expect(dry.isError, dry.text).toBeFalsy();
    expect(zoneState(emu, 'gone.test')).toEqual(['(no zone)']);
    const undo = await confirmed(h.call, 'undo_change', { change_id: undoOf(del)?.change_id });
    expect(undo.isError, undo.text).toBeFalsy();
    expect(zoneState(emu, 'gone.test')).toEqual(start);
    const map = undo.structured?.['uuid_map'] as Array<{ old: string; new: string }>;
    expect(map.map((m) => m.old).sort()).toEqual(oldUuids);
    const newUuids = (emu.store.getZone(emu.store.findZone('gone.test')?.uuid as string)?.records ?? []).map((r) => r.uuid).sort();
    expect(map.map((m) => m.new).sort()).toEqual(newUuids);

    // The undo has its own receipt (it created the zone): taking it back deletes the zone again.
    const again = await confirmed(h.call, 'undo_change', { change_id: undoOf(undo)?.change_id });
    expect(again.isError, again.text).toBeFalsy();
    expect(zoneState(emu, 'gone.test')).toEqual(['(no zone)']);
  });

  it('undoes create_zone by deleting the zone, with confirmation', async () => {
    const made = await h.call('create_zone', { domain: 'fresh.test' });
    const first = await h.call('undo_change', { change_id: undoOf(made)?.change_id });
    expect(first.structured?.['confirmation']).toBe('required');
    expect(zoneState(emu, 'fresh.test')).toEqual([]);
    const done = await h.call('undo_change', { change_id: undoOf(made)?.change_id, confirm_token: first.structured?.['confirm_token'] });
    expect(done.isError, done.text).toBeFalsy();
    expect(zoneState(emu, 'fresh.test')).toEqual(['(no zone)']);
  });

  it('read-only mode keeps list_changes and drops undo_change; both are in the history toolset; vpsorg://changes reads the journal', async () => {
    const ro = await startHarness({ emu, env: { VPSORG_READ_ONLY: 'true' } });
    const sets = await startHarness({ emu, env: { VPSORG_TOOLSETS: 'records' } });
    const hist = await startHarness({ emu, env: { VPSORG_TOOLSETS: 'history' } });
    try {
      expect(await ro.toolNames()).toContain('list_changes');
      expect(await ro.toolNames()).not.toContain('undo_change');
      expect((await sets.toolNames()).filter((n) => n.endsWith('_change') || n.endsWith('_changes'))).toEqual([]);
      // approve_plan (app-only) comes with the writes it approves, here undo_change.
      expect((await hist.toolNames()).sort()).toEqual(['approve_plan', 'list_changes', 'undo_change']);
    } finally {
      await Promise.all([ro.close(), sets.close(), hist.close()]);
    }
    const made = await h.call('create_record', { zone: 'example.com', name: 'listed', record_type: 'TXT', value: 'x' });
    const read = await h.client.readResource({ uri: 'vpsorg://changes' });
    expect((read.contents[0] as { text: string }).text).toContain(undoOf(made)?.change_id);
  });
});

describe('VPSORG_JOURNAL=off', () => {
  it('results carry no receipt (no undo is kept), and undo_change says how to take a change back instead', async () => {
    const off = await startHarness({ emu, env: { VPSORG_CONFIRM_SECRET: SECRET, VPSORG_JOURNAL: 'off' } });
    try {
      const made = await off.call('create_record', { zone: 'example.com', record_type: 'TXT', name: 'journal-off', value: 'x' });
      expect(made.isError, made.text).toBeFalsy();
      expect(made.structured?.['undo']).toBeUndefined();
      expect(made.text).not.toMatch(/receipt|Undo:/);
      expect(Buffer.byteLength(made.text)).toBeLessThan(400);
      const undo = await off.call('undo_change', { change_id: 'chg_anything' });
      expect(errorOf(undo)?.code).toBe('journal_unavailable');
      expect(undo.text).toContain('VPSORG_JOURNAL=off');
      expect(undo.text).toContain('`before`');
    } finally {
      await off.close();
    }
  });
});
