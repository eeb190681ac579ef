// Issue 13 point 12: finding a record by uuid asks the API for it directly instead of reading every
// zone (a model looping over made-up uuids cost 401 calls each on a 400-zone account).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('record lookup by uuid on an account with many zones', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    for (let i = 0; i < 40; i++) h.emu.store.addZone(`zone${i}.example.org`, [{ record_type: 'A', name: 'www', value: '192.0.2.1' }]);
  });
  afterAll(async () => {
    await h?.close();
  });

  const requestsDuring = async (fn: () => Promise<unknown>) => {
    const before = h.emu.requests.length;
    await fn();
    return h.emu.requests.slice(before).map((r) => `${r.method} ${r.path}`);
  };

  it('a uuid that names no record costs one request, not one per zone', async () => {
    let text = '';
    const seen = await requestsDuring(async () => {
      text = (await h.call('get_record', { record: randomUUID() })).text;
    });
    expect(text).toMatch(/not found/i);
    expect(seen).toHaveLength(1);
  });

  it('an existing record is still found, with its zone', async () => {
    const listed = await h.call('list_records', { zone: 'zone39.example.org' });
    const uuid = ((listed.structured?.['records'] as Array<{ uuid: string }>)[0] as { uuid: string }).uuid;
    const r = await h.call('get_record', { record: uuid });
    expect(r.isError, r.text).toBeFalsy();
    expect(JSON.stringify(r.structured)).toContain('zone39.example.org');
  });
});
