import { beforeEach, describe, expect, it } from 'vitest';
import { emulatedServer } from '../helpers/emulated.js';

const t = emulatedServer((store) => {
  store.addZone('example.com', [
    { record_type: 'A', name: '@', value: '192.0.2.1' },
    { record_type: 'A', name: 'www', value: '192.0.2.10' },
    { record_type: 'A', name: 'www', value: '192.0.2.11' },
    { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10 },
    { record_type: 'TXT', name: '@', value: 'v=spf1 -all' },
  ]);
  t.emu.faults.clear();
  t.emu.setPageSize(null);
});

const writes = () => t.emu.requests.filter((r) => r.method !== 'GET');
const records = () => t.emu.store.findZone('example.com')?.records ?? [];

describe.each([
  ['bare arrays', null],
  ['paginated lists', 2],
] as const)('read tools with %s', (_label, pageSize) => {
  beforeEach(() => t.emu.setPageSize(pageSize));

  it('whoami shows the account and permissions', async () => {
    const r = await t.h.call('whoami');
    expect(r.isError).toBeFalsy();
    expect((r.structured?.['token'] as { permissions: string[] }).permissions).toEqual(expect.arrayContaining(['dns:list', 'dns:delete']));
    expect(r.text).toContain('permissions: ');
  });

  it('list_zones lists zones and filters by exact domain', async () => {
    t.emu.store.addZone('other.org');
    t.emu.store.addZone('third.net');
    const all = await t.h.call('list_zones');
    expect((all.structured?.['zones'] as unknown[]).length).toBe(3);
    expect(all.structured?.['truncated']).toBe(false);
    const one = await t.h.call('list_zones', { domain: 'Other.ORG.' });
    expect((one.structured?.['zones'] as Array<{ domain: string }>).map((z) => z.domain)).toEqual(['other.org']);
  });

  it('get_zone by domain and by uuid', async () => {
    const byName = await t.h.call('get_zone', { zone: 'example.com' });
    expect(byName.isError).toBeFalsy();
    expect((byName.structured?.['records'] as unknown[]).length).toBe(5);
    expect(byName.text).toContain('www 3600 IN A 192.0.2.10');
    const uuid = byName.structured?.['uuid'] as string;
    const byUuid = await t.h.call('get_zone', { zone: uuid });
    expect(byUuid.structured?.['domain']).toBe('example.com');
  });

  it('list_records filters by type and name (FQDN accepted)', async () => {
    const all = await t.h.call('list_records', { zone: 'example.com' });
    expect((all.structured?.['records'] as unknown[]).length).toBe(5);
    const www = await t.h.call('list_records', { zone: 'example.com', name: 'WWW.example.com.', record_type: 'A' });
    expect((www.structured?.['records'] as Array<{ value: string }>).map((r) => r.value).sort()).toEqual(['192.0.2.10', '192.0.2.11']);
    const mx = await t.h.call('list_records', { zone: 'example.com', record_type: 'MX' });
    expect((mx.structured?.['records'] as Array<{ priority: number }>)[0]?.priority).toBe(10);
  });

  it('search_records across zones by type and by zone', async () => {
    t.emu.store.addZone('other.org', [{ record_type: 'MX', name: '@', value: 'mx.other.org', priority: 5 }]);
    const mx = await t.h.call('search_records', { record_type: 'MX' });
    expect((mx.structured?.['records'] as unknown[]).length).toBe(2);
    const inZone = await t.h.call('search_records', { zone: 'other.org' });
    expect((inZone.structured?.['records'] as Array<{ value: string }>).map((r) => r.value)).toEqual(['mx.other.org']);
  });

  it('every record says its zone: two MX at @ in different zones, and get_record by uuid', async () => {
    const other = t.emu.store.addZone('other.org', [{ record_type: 'MX', name: '@', value: 'mx.other.org', priority: 5 }]);
    const mx = await t.h.call('search_records', { record_type: 'MX' });
    const found = mx.structured?.['records'] as Array<{ value: string; zone: { uuid: string; domain: string } }>;
    const byValue = Object.fromEntries(found.map((r) => [r.value, r.zone]));
    expect(byValue['mx.other.org']).toEqual({ uuid: other.uuid, domain: 'other.org' });
    expect(byValue['mail.example.com']?.domain).toBe('example.com');
    expect(mx.text).toMatch(/Zone example\.com \([0-9a-f-]{36}\)[^]*mail\.example\.com/);
    expect(mx.text).toMatch(/Zone other\.org \([0-9a-f-]{36}\)[^]*mx\.other\.org/);
    const uuid = (t.emu.store.findZone('other.org')?.records ?? [])[0]?.uuid as string;
    const byUuid = await t.h.call('get_record', { record: uuid });
    expect(byUuid.isError, byUuid.text).toBeFalsy();
    expect(byUuid.structured?.['zone']).toEqual({ uuid: other.uuid, domain: 'other.org' });
    expect(byUuid.text).toContain(`zone other.org (${other.uuid})`);
  });

  it('get_record by uuid and by zone+name+type(+value)', async () => {
    const mx = await t.h.call('get_record', { zone: 'example.com', name: '@', record_type: 'MX' });
    expect(mx.isError).toBeFalsy();
    const uuid = (mx.structured?.['record'] as { uuid: string }).uuid;
    const byUuid = await t.h.call('get_record', { record: uuid });
    expect((byUuid.structured?.['record'] as { value: string }).value).toBe('mail.example.com');
    const picked = await t.h.call('get_record', { zone: 'example.com', name: 'www', record_type: 'A', value: '192.0.2.11' });
    expect((picked.structured?.['record'] as { value: string }).value).toBe('192.0.2.11');
  });
});

describe('record ids in lists', () => {
  it('lists show an 8-character id that `record` accepts; shorter prefixes are refused', async () => {
    const list = await t.h.call('list_records', { zone: 'example.com', record_type: 'MX' });
    const id = /; #([0-9a-f]{8})/.exec(list.text)?.[1];
    expect(id).toBeTruthy();
    const byPrefix = await t.h.call('get_record', { record: id });
    expect(byPrefix.isError, byPrefix.text).toBeFalsy();
    expect((byPrefix.structured?.['record'] as { value: string }).value).toBe('mail.example.com');
    const patched = await t.h.call('update_ttl', { record: id, ttl: 900 });
    expect(patched.isError, patched.text).toBeFalsy();
    expect(records().find((r) => r.record_type === 'MX')?.ttl).toBe(900);
    const short = await t.h.call('get_record', { record: (id as string).slice(0, 4) });
    expect(short.isError).toBe(true);
    expect(short.text).toMatch(/at least its first 8 characters/);
  });
});

describe('record targeting errors', () => {
  it('an ambiguous match lists the candidates', async () => {
    const r = await t.h.call('get_record', { zone: 'example.com', name: 'www', record_type: 'A' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/2 A records at www/);
    expect(r.text).toContain('192.0.2.10');
    expect(r.text).toContain('192.0.2.11');
  });

  it('no target at all says what to give', async () => {
    const r = await t.h.call('get_record', {});
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/record.*uuid.*zone.*name.*record_type/s);
  });

  it('an unknown zone and an unknown record are clear 404s', async () => {
    const z = await t.h.call('get_zone', { zone: 'nope.example' });
    expect(z.isError).toBe(true);
    expect(z.text).toMatch(/No zone nope\.example/);
    const rec = await t.h.call('get_record', { record: '00000000-0000-4000-8000-000000000000' });
    expect(rec.isError).toBe(true);
    expect(rec.text).toMatch(/not found/i);
  });
});

describe('write tools', () => {
  it('create_record creates, and a second identical call changes nothing', async () => {
    const r = await t.h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'api', value: '198.51.100.7', ttl: 300 });
    expect(r.isError).toBeFalsy();
    expect(r.structured?.['applied']).toBe(true);
    expect(r.text).toContain('+ api 300 IN A 198.51.100.7');
    expect(records().filter((x) => x.name === 'api')).toHaveLength(1);
    const again = await t.h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'api.example.com.', value: '198.51.100.7', ttl: 300 });
    expect(again.structured?.['applied']).toBe(false);
    expect(records().filter((x) => x.name === 'api')).toHaveLength(1);
  });

  it('create_record dry run sends no write and shows the diff', async () => {
    const r = await t.h.call('create_record', { zone: 'example.com', record_type: 'MX', name: '@', value: 'mx2.example.com', priority: 20, dry_run: true });
    expect(r.structured?.['dry_run']).toBe(true);
    expect(r.text).toContain('mx2.example.com');
    expect(writes()).toEqual([]);
  });

  it('invalid values are refused before any request, naming field, rule and example', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ record_type: 'A', name: 'x', value: '999.1.1.1' }, /value/],
      [{ record_type: 'AAAA', name: 'x', value: '192.0.2.1' }, /value/],
      [{ record_type: 'MX', name: '@', value: 'mail.example.com' }, /priority/],
      [{ record_type: 'SRV', name: '_x._tcp', value: '5 99999 sip.example.com', priority: 1 }, /value/],
      [{ record_type: 'CAA', name: '@', value: 'issue letsencrypt.org' }, /value/],
      [{ record_type: 'CNAME', name: '@', value: 'other.example.net' }, /CNAME/i],
      [{ record_type: 'CNAME', name: 'www', value: 'other.example.net' }, /CNAME/i],
      [{ record_type: 'A', name: 'x', value: '192.0.2.1', ttl: 5 }, /ttl/],
    ];
    for (const [args, re] of cases) {
      const before = t.emu.requests.length;
      const r = await t.h.call('create_record', { zone: 'example.com', ...args });
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(r.text).toMatch(re);
      expect(t.emu.requests.slice(before).filter((x) => x.method !== 'GET')).toEqual([]);
    }
  });

  it('update_record replaces the value and keeps ttl; dry run first sends nothing', async () => {
    const dry = await t.h.call('update_record', { zone: 'example.com', name: '@', record_type: 'A', value: '203.0.113.5', dry_run: true });
    expect(dry.text).toContain('value 192.0.2.1 -> 203.0.113.5');
    expect(writes()).toEqual([]);
    const r = await t.h.call('update_record', { zone: 'example.com', name: '@', record_type: 'A', value: '203.0.113.5' });
    expect(r.structured?.['applied']).toBe(true);
    expect(writes().map((w) => w.method)).toEqual(['PUT']);
    const apex = records().find((x) => x.name === '@' && x.record_type === 'A');
    expect(apex?.value).toBe('203.0.113.5');
    expect(apex?.ttl).toBe(3600);
  });

  it('update_record by uuid can rename, once confirmed (a rename deletes the old name: issue 13)', async () => {
    const mx = await t.h.call('get_record', { zone: 'example.com', name: '@', record_type: 'MX' });
    const uuid = (mx.structured?.['record'] as { uuid: string }).uuid;
    const args = { record: uuid, name: 'sub', value: 'mx.example.net' };
    const first = await t.h.call('update_record', args);
    expect(first.structured).toMatchObject({ confirmation: 'required', applied: false });
    expect(writes()).toEqual([]);
    const r = await t.h.call('update_record', { ...args, confirm_token: first.structured?.['confirm_token'] });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured).toMatchObject({ confirmation: 'confirmed_by_token', applied: true });
    const moved = records().find((x) => x.uuid === uuid);
    expect(moved?.name).toBe('sub');
    expect(moved?.priority).toBe(10);
  });

  it('patch_record sends only the changed field', async () => {
    const r = await t.h.call('patch_record', { zone: 'example.com', name: '@', record_type: 'MX', priority: 5 });
    expect(r.isError).toBeFalsy();
    const patch = writes()[0];
    expect(patch?.method).toBe('PATCH');
    expect(patch?.body).toEqual({ priority: 5 });
    const nothing = await t.h.call('patch_record', { zone: 'example.com', name: '@', record_type: 'MX' });
    expect(nothing.isError).toBe(true);
    expect(nothing.text).toMatch(/at least one field/);
  });

  it('update_ttl on a set changes every record of it, TTL-only marked', async () => {
    const dry = await t.h.call('update_ttl', { zone: 'example.com', name: 'www', record_type: 'A', ttl: 300, dry_run: true });
    expect((dry.structured?.['changes'] as Array<{ ttl_only: boolean }>).every((c) => c.ttl_only)).toBe(true);
    expect(dry.text).toContain('ttl 3600 -> 300');
    expect(writes()).toEqual([]);
    await t.h.call('update_ttl', { zone: 'example.com', name: 'www', record_type: 'A', ttl: 300 });
    expect(writes().map((w) => [w.method, w.body])).toEqual([
      ['PATCH', { ttl: 300 }],
      ['PATCH', { ttl: 300 }],
    ]);
    expect(records().filter((x) => x.name === 'www').map((x) => x.ttl)).toEqual([300, 300]);
  });

  it('create_zone with dry run, then for real; a bad domain is refused locally', async () => {
    const dry = await t.h.call('create_zone', { domain: 'new.example', dry_run: true });
    expect(dry.structured?.['applied']).toBe(false);
    expect(writes()).toEqual([]);
    const made = await t.h.call('create_zone', { domain: 'new.example' });
    expect((made.structured?.['zone'] as { uuid: string }).uuid).toMatch(/-/);
    const dup = await t.h.call('create_zone', { domain: 'new.example' });
    expect(dup.isError).toBe(true);
    expect(dup.text).toMatch(/exists/);
    const bad = await t.h.call('create_zone', { domain: 'not a domain' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/domain/);
  });
});
