/**
 * dns/zone-soa.ts: the SOA export_zone_file and the snapshots write is read from the nameservers,
 * whose answers are untrusted text bound for a zone file, and a set that does not answer is asked
 * again only after a while (a gated write reads the SOA on every round).
 */
import type { Answer } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startFakeDns, type FakeDns } from '../helpers/fake-dns.js';
import { servedSoa, UNANSWERED_TTL_MS } from '../../src/dns/zone-soa.js';
import { renderZoneFile } from '../../src/domain/zonefile.js';
import { parseZoneFile } from '../../src/domain/zonefile.js';

const soa = (name: string, mname: string, rname: string): Answer => ({ type: 'SOA', name, ttl: 900, data: { mname, rname, serial: 2026120101, refresh: 10, retry: 20, expire: 30, minimum: 40 } });

let dns: FakeDns;
beforeAll(async () => {
  dns = await startFakeDns((q, out) => {
    const label = q.name.split('.')[0] ?? '';
    if (label === 'silent') return;
    if (label === 'good') out.send(reply(q, { answers: [soa(q.name, 'ns1.vps.org', 'hostmaster.good.test')] }));
    if (label === 'hostile') out.send(reply(q, { answers: [soa(q.name, 'ns1.vps.org', 'x.test\n@ IN A 192.0.2.66 ;')] }));
    if (label === 'notaa') out.send(reply(q, { aa: false, answers: [soa(q.name, 'ns1.vps.org', 'hostmaster.notaa.test')] }));
  });
});
afterAll(async () => {
  await dns?.close();
});

const servers = () => [{ host: 'ns1.fake.test', address: dns.address, port: dns.port }];

describe('servedSoa', () => {
  it('reads the SOA as served, and a zone file written with it carries it', async () => {
    const got = await servedSoa(servers(), 'good.test', { timeoutMs: 300 });
    expect(got).toEqual({ mname: 'ns1.vps.org.', rname: 'hostmaster.good.test.', serial: 2026120101, refresh: 10, retry: 20, expire: 30, minimum: 40, ttl: 900 });
    const text = renderZoneFile('good.test', [], { soa: got ?? {} });
    expect(text).toContain('@ 900 IN SOA ns1.vps.org. hostmaster.good.test. (\n    2026120101 ; serial\n    10 ; refresh\n    20 ; retry\n    30 ; expire\n    40 ) ; negative-caching TTL');
  });

  it('refuses names that are not plain host names (they would go into a zone file) and answers that are not authoritative', async () => {
    expect(await servedSoa(servers(), 'hostile.test', { timeoutMs: 300 })).toBeNull();
    expect(await servedSoa(servers(), 'notaa.test', { timeoutMs: 300 })).toBeNull();
    const file = renderZoneFile('hostile.test', [], { soaNote: 'x\n@ IN A 192.0.2.66' });
    expect(parseZoneFile(file, 'hostile.test').records).toEqual([]);
  });

  it('a set that did not answer is not asked again for a while, then it is', async () => {
    let t = 1_000_000;
    const now = () => t;
    const asked = () => dns.queries.filter((q) => q.name === 'silent.test').length;
    expect(await servedSoa(servers(), 'silent.test', { timeoutMs: 100, now })).toBeNull();
    const first = asked();
    expect(first).toBeGreaterThan(0);
    expect(await servedSoa(servers(), 'silent.test', { timeoutMs: 100, now })).toBeNull();
    expect(asked()).toBe(first);
    t += UNANSWERED_TTL_MS + 1;
    await servedSoa(servers(), 'silent.test', { timeoutMs: 100, now });
    expect(asked()).toBeGreaterThan(first);
  });
});
