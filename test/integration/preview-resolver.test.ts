/**
 * Issue 25.6, `audit_zone {live: true, preview}`: the resolver override. Names of the previewed
 * zone are answered by the preview nameserver (the future zone); other names, a CNAME leaving the
 * zone and the audit's own members go to the audit's resolver, here one that asks the sandbox's
 * nameservers (the live zones) directly, as the walk from the root ends up doing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveAnswer, LiveResolver } from '../../src/audit/live/types.js';
import { PreviewBook } from '../../src/dns/preview-book.js';
import { withPreview } from '../../src/dns/preview-resolver.js';
import { queryDns } from '../../src/dns/query.js';
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

/** The audit's resolver as far as this test needs it: the live zones, from the sandbox's ns1. */
function liveZones(): LiveResolver & { asked: string[]; exhausted: string | null } {
  const ns = t.sb.nameservers[0] as { address: string; port: number };
  const asked: string[] = [];
  return {
    asked,
    exhausted: null,
    get lookups() {
      return asked.length;
    },
    async lookup(name, type): Promise<LiveAnswer> {
      asked.push(`${name} ${type}`);
      const r = await queryDns(ns, name, type, { timeoutMs: 2000 });
      if (!r.ok) return { status: 'error', records: [], cnames: [], detail: r.error };
      const records = r.answers.filter((a) => a.type === type);
      return { status: r.rcode === 'NXDOMAIN' ? 'nxdomain' : records.length ? 'answer' : 'nodata', records, cnames: [], detail: 'ns1' };
    },
  };
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
    // The audit resolver was asked for the other zone only (and once by this test itself).
    expect(base.asked).toEqual(['www.future.example A', 'app.elsewhere.example A']);
    expect(r.lookups).toBe(5);
    expect((r as unknown as { exhausted: string | null }).exhausted).toBeNull();
  });

  it('follows a CNAME out of the previewed zone through the audit resolver', async () => {
    const base = liveZones();
    const r = withPreview(base, { zone: 'future.example', server: t.server, providerHosts: ['ns1.vps.org'] });
    const shop = await r.lookup('shop.future.example', 'A');
    expect(shop.status).toBe('answer');
    expect(shop.cnames.map((c) => `${c.name} -> ${c.value}`)).toEqual(['shop.future.example -> app.elsewhere.example.']);
    expect(shop.records.map((x) => x.value)).toEqual(['198.51.100.7']);
    expect(base.asked).toEqual(['app.elsewhere.example A']);
  });

  it("askHost to the provider's nameservers for the previewed zone asks the preview", async () => {
    const r = withPreview(liveZones(), { zone: 'future.example', server: t.server, providerHosts: ['ns1.vps.org.'] }) as LiveResolver & {
      askHost(host: string, name: string, type: string): Promise<Array<{ host: string; status: string; records: Array<{ value: string }> }>>;
    };
    const [one] = await r.askHost('NS1.vps.org', 'future.example', 'NS');
    expect(one).toMatchObject({ host: 'ns1.vps.org', status: 'answer' });
    expect(one?.records.map((x) => x.value).sort()).toEqual(['ns1.vps.org.', 'ns2.vps.org.']);
  });
});
