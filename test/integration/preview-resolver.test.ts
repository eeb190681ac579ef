/**
 * Issue 25.6, `audit_zone {live: true, preview}`: the resolver override. Names of the previewed
 * zone are answered by the preview nameserver (the future zone); other names and a CNAME leaving
 * the zone go on through the audit's own resolver, which walks from the sandbox's root to its
 * nameservers (the live zones).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveResolver } from '../../src/audit/live/types.js';
import { createLiveResolver } from '../../src/dns/live-resolver.js';
import { givenAddresses, parseNameservers } from '../../src/dns/nameservers.js';
import { PreviewBook } from '../../src/dns/preview-book.js';
import { withPreview } from '../../src/dns/preview-resolver.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

const t = {} as { sb: Sandbox; book: PreviewBook; server: { host: string; address: string; port: number; family: 4 } };

beforeAll(async () => {
  t.sb = await startSandbox({ publishDelayMs: [0, 0] });
  t.sb.emu.store.addZone('future.example', [{ record_type: 'A', name: 'www', value: '192.0.2.1' }]);
  t.sb.emu.store.addZone('elsewhere.example', [{ record_type: 'A', name: 'app', value: '198.51.100.7' }]);
  t.book = new PreviewBook({ host: '127.0.0.1', port: 0 });
  t.book.add({
    zone: 'future.example',
    zoneUuid: 'u',
    planDigest: 'p',
    argsDigest: 'a',
    data: {
      serial: 2,
      records: [
        { record_type: 'A', name: 'www', value: '192.0.2.2', ttl: 300 },
        { record_type: 'CNAME', name: 'shop', value: 'app.elsewhere.example', ttl: 300 },
        { record_type: 'TXT', name: '@', value: `v=spf1 ${'ip4:192.0.2.0/24 '.repeat(20)}-all`, ttl: 300 },
      ],
    },
  });
  const e = await t.book.endpoint();
  t.server = { host: 'preview', address: e.host, port: e.port, family: 4 };
});

afterAll(async () => {
  await t.book?.close();
  await t.sb?.close();
});

/** The audit's own resolver (dns/live-resolver.ts), walking from the sandbox's stand-in root. */
function liveZones(): LiveResolver {
  // As the sandbox's settings say (VPSORG_ALLOW_PRIVATE_NAMESERVERS): everything lives on loopback.
  return createLiveResolver({ roots: givenAddresses(parseNameservers(t.sb.env.VPSORG_DNS_ROOTS)), hosts: parseNameservers(t.sb.env.VPSORG_NAMESERVERS), mayAsk: () => true });
}

describe('withPreview: the live audit asks the future zone', () => {
  it('answers the previewed zone from the preview server, the rest from the audit resolver', async () => {
    const base = liveZones();
    const r = withPreview(base, { zone: 'future.example', server: t.server, providerHosts: ['ns1.vps.org', 'ns2.vps.org'] });
    const www = await r.lookup('WWW.future.example', 'a');
    expect(www).toMatchObject({ status: 'answer', records: [{ name: 'www.future.example', value: '192.0.2.2' }] });
    expect((await base.lookup('www.future.example', 'A')).records.map((x) => x.value)).toEqual(['192.0.2.1']);
    const spf = await r.lookup('future.example', 'TXT');
    expect(spf.records[0]?.value).toMatch(/^v=spf1 (ip4:192\.0\.2\.0\/24 ){20}-all$/);
    expect((await r.lookup('gone.future.example', 'A')).status).toBe('nxdomain');
    expect((await r.lookup('app.elsewhere.example', 'A')).records.map((x) => x.value)).toEqual(['198.51.100.7']);
    // The audit's resolver was asked for the other zone only (and once by this test itself); the rest counts too.
    expect(base.lookups).toBe(2);
    expect(r.lookups).toBe(5);
    expect(r.exhausted).toBeNull();
  });

  it('follows a CNAME out of the previewed zone through the audit resolver', async () => {
    const base = liveZones();
    const r = withPreview(base, { zone: 'future.example', server: t.server, providerHosts: ['ns1.vps.org'] });
    const shop = await r.lookup('shop.future.example', 'A');
    expect(shop.status).toBe('answer');
    expect(shop.cnames.map((c) => `${c.name} -> ${c.value}`)).toEqual(['shop.future.example -> app.elsewhere.example.']);
    expect(shop.records.map((x) => x.value)).toEqual(['198.51.100.7']);
    expect(base.lookups).toBe(1);
  });

  it("askHost to the provider's nameservers for the previewed zone asks the preview", async () => {
    const r = withPreview(liveZones(), { zone: 'future.example', server: t.server, providerHosts: ['ns1.vps.org.'] });
    const [one] = await r.askHost('NS1.vps.org', 'future.example', 'SOA');
    expect(one).toMatchObject({ host: 'ns1.vps.org', status: 'answer', address: '127.0.0.1' });
    expect(one?.records[0]?.value).toMatch(/^ns1\.vps\.org\. hostmaster\.future\.example\. 2 /);
    // Another host, or another zone, is the audit resolver's: the live serial there.
    const [live] = await r.askHost('ns1.vps.org', 'elsewhere.example', 'SOA');
    expect(live?.status).toBe('answer');
    expect(live?.records[0]?.value).not.toMatch(/ 2 3600 /);
  });
});
