/**
 * Issue 21 point 9: nameserver hosts taken from zone data (the apex NS records the provider lists,
 * which anyone who edits the zone writes) get the reach rules of the model's `nameservers`
 * argument: public unicast on port 53, failures read "unreachable". A single-label NS value
 * (`localhost`) is refused where it enters, at the API boundary. The operator's nameservers
 * (VPSORG_NAMESERVERS) and the sandbox (VPSORG_ALLOW_PRIVATE_NAMESERVERS) stay exempt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from '../../src/dns/server.js';
import type { ZoneData } from '../../src/dns/zone-rdata.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { json, startFakeProvider, ZONE as API_ZONE, type FakeProvider } from './support/provider.js';

const rec = (record_type: string, name: string, value: string) => ({ record_type, name, value, ttl: 300 });
// A root that delegates example.com to the operator's server, and resolves a zone-data host to a private address.
// It also holds what anyone can publish at a registry: delegations whose glue is a private address
// (evil.test, so that a walk to victim.evil.test meets it; leaky.test, so that the parent lists it).
const ROOT: ZoneData = {
  serial: 1,
  records: [
    rec('NS', 'example.com.', 'ns1.vps.org.'), rec('A', 'ns1.vps.org.', '127.0.0.1'), rec('A', 'ns.inside.test.', '127.0.0.1'),
    rec('NS', 'evil.test.', 'ns.evil.test.'), rec('A', 'ns.evil.test.', '127.0.0.2'), rec('NS', 'leaky.test.', 'ns.leaky.test.'), rec('A', 'ns.leaky.test.', '127.0.0.2'),
  ],
};
const OTHER_ZONES = [{ ...API_ZONE, uuid: 'zone-2', domain: 'victim.evil.test' }, { ...API_ZONE, uuid: 'zone-3', domain: 'leaky.test' }];
const ZONE: ZoneData = { serial: 7, records: [rec('NS', '@', 'ns1.vps.org'), rec('A', 'www', '192.0.2.1')] };
const records = (...extra: Array<ReturnType<typeof rec>>) =>
  json([rec('NS', '@', 'ns1.vps.org'), rec('A', 'www', '192.0.2.1'), ...extra].map((r, i) => ({ uuid: `rec-${i}`, priority: null, ...r })));

let dns: DnsServer;
let fake: FakeProvider;
let strict: Harness;
let sandboxLike: Harness;

beforeAll(async () => {
  dns = await startDnsServer({ lookup: (z) => (z === '.' ? ROOT : z === 'example.com' ? ZONE : undefined) });
  fake = await startFakeProvider();
  fake.route('GET', /^\/api\/v1\/dns-zones\/$/, json([API_ZONE, ...OTHER_ZONES]));
  for (const z of OTHER_ZONES) fake.route('GET', new RegExp(`^/api/v1/dns-zones/${z.uuid}/records/$`), json([]));
  const env = { VPSORG_API_URL: fake.url, VPSORG_NAMESERVERS: `ns1.vps.org=127.0.0.1:${dns.port}`, VPSORG_DNS_ROOTS: `a.root-servers.net=127.0.0.1:${dns.port}` };
  strict = await startHarness({ env });
  sandboxLike = await startHarness({ env: { ...env, VPSORG_ALLOW_PRIVATE_NAMESERVERS: 'true' } });
});
afterAll(async () => {
  await strict?.close();
  await sandboxLike?.close();
  await fake?.close();
  await dns?.close();
});

type Server = { host: string; address: string | null; port: number | null; status: string; detail: string };

describe('nameserver hosts from zone data', () => {
  it('check_propagation does not ask an apex NS host at a private address; the operator\'s server is asked as configured', async () => {
    fake.route('GET', /^\/api\/v1\/dns-zones\/zone-1\/records\/$/, records(rec('NS', '@', '127.0.0.1')));
    const r = await strict.call('check_propagation', { zone: 'example.com', name: 'www', record_type: 'A' });
    expect(r.isError, r.text).toBeFalsy();
    const servers = (r.structured?.['result'] as { servers: Server[] }).servers;
    expect(servers.map((s) => `${s.address}:${s.port}`)).toEqual([`127.0.0.1:${dns.port}`]);
    expect(servers[0]?.status, JSON.stringify(servers[0])).toBe('in_sync');
    expect(r.structured?.['unresolved']).toEqual([{ host: '127.0.0.1', error: 'resolves to an address that is not public; not asked' }]);

    const allowed = await sandboxLike.call('check_propagation', { zone: 'example.com', name: 'www', record_type: 'A' });
    const asked = (allowed.structured?.['result'] as { servers: Server[] }).servers;
    expect(asked.map((s) => `${s.address}:${s.port}`)).toEqual([`127.0.0.1:${dns.port}`, '127.0.0.1:53']);
    // Zone data's server failing reads only "unreachable": which local ports answer is not the model's to map.
    expect(asked.filter((s) => /^(timeout|network):/.test(s.detail))).toEqual([]);
  });

  it('check_delegation does not ask an apex NS host that resolves to a private address', async () => {
    fake.route('GET', /^\/api\/v1\/dns-zones\/zone-1\/records\/$/, records(rec('NS', '@', 'ns.inside.test')));
    const r = await strict.call('check_delegation', { zone: 'example.com' });
    expect(r.isError, r.text).toBeFalsy();
    const servers = r.structured?.['servers'] as Server[];
    expect(servers.find((s) => s.host === 'ns1.vps.org')).toMatchObject({ status: 'ok', port: dns.port });
    expect(servers.find((s) => s.host === 'ns.inside.test')).toMatchObject({ status: 'unreachable', address: null, detail: 'resolves to an address that is not public; not asked' });

    const allowed = await sandboxLike.call('check_delegation', { zone: 'example.com' });
    const inside = (allowed.structured?.['servers'] as Server[]).find((s) => s.host === 'ns.inside.test');
    expect(inside).toMatchObject({ address: '127.0.0.1', port: 53 });
  });

  it('check_delegation follows neither referral glue nor the parent\'s list to a private address (anyone can publish a delegation)', async () => {
    const walk = await strict.call('check_delegation', { zone: 'victim.evil.test' });
    expect(walk.isError, walk.text).toBeFalsy();
    expect((walk.structured?.['problems'] as string[])[0]).toMatch(/^could not find the parent's delegation: .*ns\.evil\.test \(127\.0\.0\.2:53\): a referral led to an address that is not public: not asked$/);

    const listed = await strict.call('check_delegation', { zone: 'leaky.test' });
    expect(listed.isError, listed.text).toBeFalsy();
    expect(listed.structured?.['parent_ns']).toEqual(['ns.leaky.test']);
    const servers = listed.structured?.['servers'] as Server[];
    expect(servers.find((s) => s.host === 'ns.leaky.test')).toEqual(expect.objectContaining({ status: 'unreachable', address: null, detail: 'resolves to an address that is not public; not asked' }));
  });

  it('a single-label NS value from the provider is refused where it enters, naming the rule', async () => {
    fake.route('GET', /^\/api\/v1\/dns-zones\/zone-1\/records\/$/, records(rec('NS', '@', 'localhost')));
    for (const [tool, args] of [['list_records', { zone: 'example.com' }], ['check_propagation', { zone: 'example.com' }], ['check_delegation', { zone: 'example.com' }]] as const) {
      const r = await strict.call(tool, args);
      expect(r.isError, `${tool}: ${r.text}`).toBe(true);
      expect(r.text).toMatch(/\[2\]\.value: an NS record names a single-label host/);
    }
    fake.route('GET', /^\/api\/v1\/dns-zones\/zone-1\/records\/$/, records(rec('NS', 'sub', 'ns1.sub.example.com.')));
    expect((await strict.call('list_records', { zone: 'example.com' })).isError).toBeFalsy();
  });
});
