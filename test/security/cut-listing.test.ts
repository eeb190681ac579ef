/**
 * Review finding (gatefix 3): a zone listing cut at the page bound (100 pages) was planned against
 * as if it were the whole zone. With a record on page 101, create_record of that very record
 * planned a create (the tool promises an identical record is left alone) and the CNAME-conflict
 * check passed for a CNAME at its name. Every write plan now reads the zone whole or refuses
 * (too_large), as delete_zone already did; nothing is sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const Z = 'big.example';
const LATE = { record_type: 'TXT', name: 'late', value: 'keep-me' };
let emu: Emulator;
let h: Harness;
beforeAll(async () => {
  // 10 records a page and 1,006 records: the listing stops after page 100, before `late`.
  emu = await startEmulator({ seed: 'empty', pageSize: 10 });
  h = await startHarness({ emu });
});
afterAll(async () => {
  await h?.close();
  await emu?.close();
});
beforeEach(() => {
  emu.store.reset();
  emu.store.addZone(Z, [...Array.from({ length: 1005 }, (_, i) => ({ record_type: 'A', name: `h${i}`, value: `10.0.${i >> 8}.${i & 255}` })), LATE]);
  emu.requests.length = 0;
});

const writes = () => emu.requests.filter((r) => r.method !== 'GET');

describe('a write planned against a zone whose listing was cut', () => {
  it.each([
    ['create_record of the record on page 101 (would duplicate it)', 'create_record', { zone: Z, ...LATE }],
    ['create_record of a CNAME at its name (the conflict check cannot see it)', 'create_record', { zone: Z, name: 'late', record_type: 'CNAME', value: 'elsewhere.example.' }],
    ['update_ttl of a record on page 1', 'update_ttl', { zone: Z, name: 'h1', record_type: 'A', ttl: 600 }],
    ['apply_zone upsert', 'apply_zone', { zone: Z, mode: 'upsert', records: [LATE] }],
    ['plan_zone (its plan would be applied as shown)', 'plan_zone', { zone: Z, mode: 'upsert', records: [LATE] }],
    ['acme_challenge present', 'acme_challenge', { action: 'present', domain: Z, value: 'Xq0DWlyplN-8tuMbJlnJUvRVpqIRAdqb9KvRi4mHzu0', wait_seconds: 0 }],
    ['delete_zone (no complete snapshot)', 'delete_zone', { zone: Z }],
  ])('%s: refused as too_large, nothing sent', async (_l, tool, args) => {
    const r = await h.call(tool, args);
    expect(r.isError, r.text).toBe(true);
    expect(r.text).toContain(`${Z} has more records than this server reads in one listing`);
    expect(r.text).toMatch(/What to do: /);
    expect(writes()).toHaveLength(0);
    expect(emu.store.findZone(Z)?.records?.filter((x) => x.name === 'late')).toHaveLength(1);
  });

  it.each([
    ['delete_record by name (absent, or not the only one?)', 'delete_record', { zone: Z, name: 'late', record_type: 'TXT' }],
    ['get_record by name and value (absence unproven)', 'get_record', { zone: Z, name: 'late', record_type: 'TXT', value: 'keep-me' }],
    ['update_record by name (the only one?)', 'update_record', { zone: Z, name: 'h1', record_type: 'A', value: '192.0.2.1' }],
  ])('a record picked by name where the listing is cut: %s: refused, not "not found"', async (_l, tool, args) => {
    const r = await h.call(tool, args);
    expect(r.isError, r.text).toBe(true);
    expect(r.text).toMatch(/listing was cut after 1000 records\), so which (TXT|A) records are at (late|h1) \(.*\) cannot be told/);
    expect(r.text).toContain('Pick the record by `record`');
    expect(writes()).toHaveLength(0);
  });

  it('delete_record whole_set of a set split by the cut: refused, not a delete of the part that shows (fixb 2)', async () => {
    emu.store.reset();
    emu.store.addZone(Z, [...Array.from({ length: 1005 }, (_, i) => ({ record_type: 'A', name: `h${i}`, value: `10.0.${i >> 8}.${i & 255}` })), { record_type: 'A', name: 'h1', value: '192.0.2.99' }]);
    const r = await h.call('delete_record', { zone: Z, name: 'h1', record_type: 'A', whole_set: true });
    expect(r.isError, r.text).toBe(true);
    expect(r.text).toMatch(/listing was cut after 1000 records\), so which A records are at h1 \(.*\) cannot be told/);
    expect(writes()).toHaveLength(0);
    expect(emu.store.findZone(Z)?.records?.filter((x) => x.name === 'h1')).toHaveLength(2);
  });

  it('a record picked by uuid where the listing is cut: past the cut, or by a prefix, refused; a whole uuid seen goes on (fixb 2)', async () => {
    const uuidOf = (name: string) => emu.store.findZone(Z)?.records?.find((x) => x.name === name)?.uuid as string;
    for (const args of [{ record: uuidOf('late') }, { zone: Z, record: uuidOf('late') }]) {
      const r = await h.call('delete_record', args);
      expect(r.isError, r.text).toBe(true);
      expect(r.text).toMatch(/listing was cut after 1000 records\), so whether record [0-9a-f-]{36} is in it cannot be told/);
    }
    const early = await h.call('delete_record', { zone: Z, record: uuidOf('h1').slice(0, 8) });
    expect(early.text).toMatch(/so which record's uuid starts with [0-9a-f]{8} cannot be told/);
    expect(writes()).toHaveLength(0);
    const whole = await h.call('delete_record', { zone: Z, record: uuidOf('h1') });
    expect(whole.structured?.['confirmation'], whole.text).toBe('required');
  });

  it('a record found by its value is certain: its delete goes on to the confirmation, with a complete snapshot of what goes', async () => {
    const r = await h.call('delete_record', { zone: Z, name: 'h1', record_type: 'A', value: '10.0.0.1' });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured?.['confirmation']).toBe('required');
  });

  it('a zone that lists whole is planned as before', async () => {
    emu.store.reset();
    emu.store.addZone(Z, [LATE]);
    const r = await h.call('create_record', { zone: Z, ...LATE });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.text).toContain('No change needed');
  });
});
