import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEST_TOKEN, startEmulator, type Emulator } from '../../src/emulator/index.js';

let emu: Emulator;
let zoneUuid = '';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function post(path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEFAULT_TEST_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}
const addRecord = (body: Record<string, unknown>) => post(`/api/v1/dns-zones/${zoneUuid}/records/`, body);

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.store.reset();
  zoneUuid = emu.store.addZone('example.com').uuid;
});

describe('zone domains', () => {
  it.each(['example.org', 'a.b.c.example.co.uk', 'xn--bcher-kva.example', '1password.com', `${'a'.repeat(63)}.com`, `${'abcdefghi.'.repeat(25)}com`])('accepts %s', async (domain) => {
    expect((await post('/api/v1/dns-zones/', { domain })).status).toBe(201);
  });
  it.each([
    'localhost', 'exa mple.com', '-bad.com', 'bad-.com', 'a..com', '.example.com', `${'a'.repeat(64)}.com`, 'under_score.com', '192.0.2.1',
    `${'abcdefghi.'.repeat(26)}com`, 42,
  ])('refuses %s', async (domain) => {
    const res = await post('/api/v1/dns-zones/', { domain });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error_code: 'validation_error', field: 'domain' });
    expect(res.json.detail).toMatch(/domain/i);
  });
});

describe('record values by type', () => {
  const ok: Array<[string, string, number?]> = [
    ['A', '192.0.2.1'],
    ['AAAA', '2001:0db8::1'],
    ['AAAA', '::ffff:192.0.2.1'],
    ['CNAME', 'target.example.net.'],
    ['CNAME', '_acme-challenge.example.net'],
    ['MX', 'mail.example.com', 10],
    ['NS', 'ns1.example.org'],
    ['TXT', 'v=spf1 include:_spf.google.com ~all'],
    ['TXT', 'x'.repeat(4096)],
    ['SRV', '10 5060 sip.example.com', 0],
    ['SRV', '0 0 .', 0],
    ['CAA', '0 issue "letsencrypt.org"'],
    ['CAA', '128 issuewild ";"'],
    ['CAA', '0 iodef "mailto:security@example.com"'],
  ];
  it.each(ok)('accepts %s %s', async (record_type, value, priority) => {
    const res = await addRecord({ record_type, name: 'host', value, ...(priority === undefined ? {} : { priority }) });
    expect(res.status).toBe(201);
    expect(res.json.value).toBe(value);
  });

  const bad: Array<[string, unknown, number?]> = [
    ['A', '256.1.1.1'],
    ['A', '2001:db8::1'],
    ['A', ' 192.0.2.1'],
    ['AAAA', '192.0.2.1'],
    ['AAAA', 'fe80::1%eth0'],
    ['CNAME', '192 0 2 1'],
    ['CNAME', 'nodots'],
    ['MX', 'mail_server.example.com', 10],
    ['NS', 'ns1..example.org'],
    ['TXT', ''],
    ['TXT', 'x'.repeat(4097)],
    ['TXT', 'line\nbreak'],
    ['TXT', 42],
    ['SRV', '5060 sip.example.com', 10],
    ['SRV', '10 70000 sip.example.com', 10],
    ['SRV', '10 5060 bad_target.example.com', 10],
    ['CAA', '0 issue letsencrypt.org'],
    ['CAA', '256 issue "letsencrypt.org"'],
    ['CAA', '0 tbs "letsencrypt.org"'],
    ['CAA', '0 iodef "security@example.com"'],
  ];
  it.each(bad)('refuses %s %j', async (record_type, value, priority) => {
    const res = await addRecord({ record_type, name: 'host', value, ...(priority === undefined ? {} : { priority }) });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error_code: 'validation_error', field: 'value' });
    expect(res.json.detail).toMatch(/value/);
  });

  it('refuses unknown and lower-case record types', async () => {
    for (const record_type of ['a', 'PTR', '', undefined]) {
      const res = await addRecord({ record_type, name: 'x', value: '192.0.2.1' });
      expect(res.json).toMatchObject({ error_code: 'validation_error', field: 'record_type' });
    }
  });
});

describe('record names', () => {
  it.each([
    ['@', '@'],
    ['www', 'www'],
    ['WWW', 'www'],
    ['a.b', 'a.b'],
    ['*', '*'],
    ['*.dev', '*.dev'],
    ['_dmarc', '_dmarc'],
    ['_sip._tcp', '_sip._tcp'],
    ['www.example.com', 'www'],
    ['www.example.com.', 'www'],
    ['example.com.', '@'],
    ['Example.COM', '@'],
  ])('stores %s as %s', async (name, stored) => {
    const res = await addRecord({ record_type: 'TXT', name, value: 'hello' });
    expect(res.status).toBe(201);
    expect(res.json.name).toBe(stored);
  });
  it.each(['', 'www.other.com.', 'dev.*', 'bad..name', '-x', 'sp ace', 'a'.repeat(64), `${'abcdefghi.'.repeat(25)}x`])('refuses %j', async (name) => {
    const res = await addRecord({ record_type: 'TXT', name, value: 'hello' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error_code: 'validation_error', field: 'name' });
  });
});

describe('ttl and priority', () => {
  it('defaults ttl to 3600 and enforces 60..604800', async () => {
    expect((await addRecord({ record_type: 'A', name: 'a', value: '192.0.2.1' })).json.ttl).toBe(3600);
    expect((await addRecord({ record_type: 'A', name: 'b', value: '192.0.2.1', ttl: 60 })).json.ttl).toBe(60);
    expect((await addRecord({ record_type: 'A', name: 'c', value: '192.0.2.1', ttl: 604800 })).json.ttl).toBe(604800);
    for (const ttl of [59, 604801, 3600.5, 'soon', true]) {
      const res = await addRecord({ record_type: 'A', name: 'd', value: '192.0.2.1', ttl });
      expect(res.json, String(ttl)).toMatchObject({ error_code: 'validation_error', field: 'ttl' });
    }
  });

  it('requires a priority for MX and SRV, and stores null for other types', async () => {
    const mx = await addRecord({ record_type: 'MX', name: '@', value: 'mail.example.com' });
    expect(mx.json).toEqual({ detail: 'MX records require a priority value', error_code: 'validation_error', field: 'priority' });
    const srv = await addRecord({ record_type: 'SRV', name: '_sip._tcp', value: '10 5060 sip.example.com', priority: null });
    expect(srv.json).toMatchObject({ detail: 'SRV records require a priority value', field: 'priority' });
    for (const priority of [-1, 65536, 'high']) {
      expect((await addRecord({ record_type: 'MX', name: '@', value: 'mx.example.com', priority })).json.field).toBe('priority');
    }
    expect((await addRecord({ record_type: 'MX', name: '@', value: 'mx.example.com', priority: 0 })).json.priority).toBe(0);
    expect((await addRecord({ record_type: 'A', name: 'a', value: '192.0.2.1', priority: 5 })).json.priority).toBeNull();
  });
});

describe('rules across records', () => {
  it('refuses an exact duplicate, also when written differently', async () => {
    expect((await addRecord({ record_type: 'AAAA', name: 'www', value: '2001:0db8::1' })).status).toBe(201);
    const dup = await addRecord({ record_type: 'AAAA', name: 'WWW.example.com.', value: '2001:db8:0::1' });
    expect(dup.status).toBe(400);
    expect(dup.json.detail).toMatch(/^duplicate record/);
    // Same name and value under another type is not a duplicate.
    expect((await addRecord({ record_type: 'TXT', name: 'www', value: '2001:0db8::1' })).status).toBe(201);
  });

  it('keeps a CNAME alone at its name and off the apex', async () => {
    await addRecord({ record_type: 'A', name: 'www', value: '192.0.2.1' });
    expect((await addRecord({ record_type: 'CNAME', name: 'www', value: 'web.example.net' })).json).toMatchObject({ field: 'name', error_code: 'cname_conflict' });
    expect((await addRecord({ record_type: 'CNAME', name: '@', value: 'web.example.net' })).json.error_code).toBe('cname_conflict');
    expect((await addRecord({ record_type: 'CNAME', name: 'blog', value: 'web.example.net' })).status).toBe(201);
    expect((await addRecord({ record_type: 'TXT', name: 'blog', value: 'hi' })).json.error_code).toBe('cname_conflict');
  });

  it('lets an update keep its own value without tripping the duplicate check', async () => {
    const a = await addRecord({ record_type: 'A', name: 'www', value: '192.0.2.1' });
    const res = await fetch(`${emu.url}/api/v1/dns-records/${a.json.uuid}/`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${DEFAULT_TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ value: '192.0.2.1', ttl: 120 }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ttl: number }).ttl).toBe(120);
  });
});
