import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClientOptions } from '../../src/api/client.js';
import { TokenError } from '../../src/api/errors.js';
import { DEFAULT_TEST_TOKEN, startEmulator, type Emulator } from '../../src/emulator/index.js';

// Success paths of every VpsApi method, in both list modes the contract allows.
let emu: Emulator;
const agent = new Agent();
const client = (over: Partial<ApiClientOptions> = {}) =>
  createApiClient({ baseUrl: emu.url, token: DEFAULT_TEST_TOKEN, retryBaseMs: 1, dispatcher: agent, ...over });

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
});
afterAll(async () => {
  await emu.close();
  await agent.close();
});

describe.each([
  ['bare arrays', null],
  ['DRF pages of 2', 2],
])('every method with %s', (_label, pageSize) => {
  beforeEach(() => {
    emu.store.reset();
    emu.faults.clear();
    emu.setPageSize(pageSize);
    emu.requests.length = 0;
  });
  const demo = () => {
    const zone = emu.store.findZone('example.com');
    if (!zone) throw new Error('demo zone missing');
    return zone;
  };

  it('whoami returns the token permissions', async () => {
    const me = await client().whoami();
    expect(me.token.permissions).toEqual(expect.arrayContaining(['dns:list', 'dns:create', 'dns:update', 'dns:delete']));
    expect(emu.requests.map((r) => r.path)).toEqual(['/api/v1/account/me/']);
  });

  it('listZones reads every page and filters by domain', async () => {
    for (const d of ['a.test', 'b.test', 'c.test', 'd.test']) emu.store.addZone(d);
    const all = await client().listZones();
    expect(all.truncated).toBe(false);
    expect(all.items.map((z) => z.domain).sort()).toEqual(['a.test', 'b.test', 'c.test', 'd.test', 'example.com']);
    expect(emu.requests.length).toBe(pageSize === null ? 1 : 3);
    const one = await client().listZones({ domain: 'c.test' });
    expect(one.items.map((z) => z.domain)).toEqual(['c.test']);
    expect(emu.requests.at(-1)?.query).toBe('domain=c.test');
  });

  it('listZoneRecords and searchRecords return what the store holds', async () => {
    const zone = demo();
    const records = await client().listZoneRecords(zone.uuid);
    expect(records.truncated).toBe(false);
    expect(records.items.map((r) => r.uuid).sort()).toEqual((zone.records ?? []).map((r) => r.uuid).sort());
    if (pageSize !== null) expect(emu.requests.some((r) => /page=\d/.test(r.query))).toBe(true);
    const mx = await client().searchRecords({ zone: zone.uuid, record_type: 'MX' });
    expect(mx.items).toHaveLength(2);
    expect(mx.items.every((r) => r.record_type === 'MX')).toBe(true);
    expect(emu.requests.find((r) => r.path === '/api/v1/dns-records/')?.query).toBe(`zone=${zone.uuid}&record_type=MX`);
  });

  it('getZone and getRecord return the details', async () => {
    const zone = demo();
    const got = await client().getZone(zone.uuid);
    expect(got.domain).toBe('example.com');
    expect(got.records?.length).toBe(zone.records?.length);
    const first = zone.records?.[0];
    expect(first).toBeDefined();
    expect(await client().getRecord(first?.uuid ?? '')).toMatchObject({ uuid: first?.uuid, value: first?.value });
  });

  it('createZone and deleteZone', async () => {
    const api = client();
    const created = await api.createZone('new-zone.test');
    expect(created).toMatchObject({ domain: 'new-zone.test', record_count: 0 });
    expect(emu.store.findZone('new-zone.test')?.uuid).toBe(created.uuid);
    expect(emu.requests.at(-1)?.body).toEqual({ domain: 'new-zone.test' });
    await expect(api.deleteZone(created.uuid)).resolves.toBeUndefined();
    expect(emu.store.findZone('new-zone.test')).toBeUndefined();
  });

  it('createRecord, putRecord, patchRecord and deleteRecord', async () => {
    const api = client();
    const zone = demo();
    const rec = await api.createRecord(zone.uuid, { record_type: 'A', name: 'api', value: '192.0.2.10', ttl: 600 });
    expect(rec).toMatchObject({ record_type: 'A', name: 'api', value: '192.0.2.10', ttl: 600 });
    expect(emu.store.allRecords().filter((r) => r.uuid === rec.uuid)).toHaveLength(1);
    const put = await api.putRecord(rec.uuid, { record_type: 'A', name: 'api', value: '192.0.2.11', ttl: 900 });
    expect(put).toMatchObject({ value: '192.0.2.11', ttl: 900 });
    const patched = await api.patchRecord(rec.uuid, { ttl: 1800 });
    expect(patched).toMatchObject({ value: '192.0.2.11', ttl: 1800 });
    await expect(api.deleteRecord(rec.uuid)).resolves.toBeUndefined();
    expect(emu.store.allRecords().some((r) => r.uuid === rec.uuid)).toBe(false);
    const methods = emu.requests.map((r) => `${r.method} ${r.path}`);
    expect(methods).toEqual([
      `POST /api/v1/dns-zones/${zone.uuid}/records/`,
      `PUT /api/v1/dns-records/${rec.uuid}/`,
      `PATCH /api/v1/dns-records/${rec.uuid}/`,
      `DELETE /api/v1/dns-records/${rec.uuid}/`,
    ]);
    expect(emu.requests[2]?.body).toEqual({ ttl: 1800 });
  });
});

describe('page bound', () => {
  it('a list cut at maxPages says truncated', async () => {
    emu.store.reset();
    emu.setPageSize(2);
    const zone = emu.store.findZone('example.com');
    emu.requests.length = 0;
    const cut = await client({ maxPages: 2 }).listZoneRecords(zone?.uuid ?? '');
    expect(cut).toMatchObject({ truncated: true });
    expect(cut.items).toHaveLength(4);
    expect(emu.requests).toHaveLength(2);
    const whole = await client({ maxPages: 100 }).listZoneRecords(zone?.uuid ?? '');
    expect(whole.truncated).toBe(false);
    expect(whole.items).toHaveLength(zone?.records?.length ?? -1);
  });
});

describe('base URL', () => {
  it('accepts a trailing slash or a pasted /api/v1 suffix', async () => {
    emu.setPageSize(null);
    for (const baseUrl of [`${emu.url}/`, `${emu.url}/api/v1/`]) {
      emu.requests.length = 0;
      await client({ baseUrl }).listZones();
      expect(emu.requests.map((r) => r.path)).toEqual(['/api/v1/dns-zones/']);
    }
  });
});

describe('token checks happen before any request', () => {
  it.each([
    ['missing', undefined, 'no_token'],
    ['empty', '', 'no_token'],
    ['blank', '   ', 'no_token'],
    ['without vps_', 'abc_0123456789', 'bad_token'],
    ['with a space inside', 'vps_abc def', 'bad_token'],
    ['with a newline', 'vps_abc\nX-Evil: 1', 'bad_token'],
  ])('%s token is refused', async (_label, token, code) => {
    emu.requests.length = 0;
    const api = client({ token });
    for (const call of [() => api.listZones(), () => api.deleteRecord('x'), () => api.createZone('a.test'), () => api.whoami()]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TokenError);
      expect(err).toMatchObject({ code });
      const msg = (err as Error).message;
      expect(msg).toContain('VPSORG_API_TOKEN');
      expect(msg).toContain('vps_');
      if (code === 'no_token') expect(msg).toContain('--sandbox');
      if (token?.trim()) expect(msg).not.toContain(token.trim());
    }
    expect(emu.requests).toHaveLength(0);
  });
});
