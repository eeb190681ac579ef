/**
 * The live audit's resolver against the sandbox's fixture internet: answers come from the
 * authoritative servers reached by walking from the stand-in root, CNAMEs are followed across
 * zones, repeats cost nothing, and the budget stops lookups with a reason instead of asking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { AUDITED, STALE_DS, fixtureResolver, startFixtureInternet } from '../helpers/fixture-internet.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startFixtureInternet();
  sb.emu.store.addZone('loop-a.net', [{ record_type: 'CNAME', name: 'x', value: 'y.loop-b.net.', ttl: 60 }]);
  sb.emu.store.addZone('loop-b.net', [{ record_type: 'CNAME', name: 'y', value: 'x.loop-a.net.', ttl: 60 }]);
});
afterAll(() => sb?.close());

describe('createLiveResolver', () => {
  it('follows a CNAME into another zone and answers from its authoritative servers', async () => {
    const r = fixtureResolver(sb);
    const got = await r.lookup(`www.${AUDITED}`, 'A');
    expect(got.status).toBe('answer');
    expect(got.cnames.map((c) => `${c.name} ${c.value}`)).toEqual([`www.${AUDITED} live-app.azurewebsites.net.`]);
    expect(got.records.map((x) => x.value)).toEqual(['192.0.2.20']);
    expect(r.lookups).toBe(2);
  });

  it('does not follow a referral to an address that is not public when told not to (glue anyone can publish)', async () => {
    const r = fixtureResolver(sb, { mayAsk: (a) => !a.address.startsWith('192.0.2.') });
    const got = await r.lookup(`www.quiet.${AUDITED}`, 'A');
    expect(got.status).toBe('error');
    expect(got.detail).toMatch(/not public: not asked/);
  });

  it('tells NXDOMAIN at the end of a chain, at an unregistered domain, and NODATA apart', async () => {
    const r = fixtureResolver(sb);
    const gone = await r.lookup(`old.${AUDITED}`, 'A');
    expect([gone.status, gone.cnames.length]).toEqual(['nxdomain', 1]);
    expect((await r.lookup('expired-vendor.com', 'NS')).status).toBe('nxdomain');
    expect((await r.lookup(`www.${AUDITED}`, 'MX')).status).toBe('nodata');
  });

  it('reads the DS the parent serves for a zone cut, not the child side', async () => {
    const r = fixtureResolver(sb);
    const ds = await r.lookup(AUDITED, 'DS');
    expect(ds.status).toBe('answer');
    expect(ds.records.map((x) => x.value)).toEqual([STALE_DS]);
    expect((await r.lookup('partner.net', 'DS')).status).toBe('nodata');
  });

  it('remembers lookups for the audit: a repeat costs nothing', async () => {
    const r = fixtureResolver(sb);
    await r.lookup(`portal.${AUDITED}`, 'A');
    const after = r.lookups;
    const again = await r.lookup(`PORTAL.${AUDITED}.`, 'a');
    expect(again.records.map((x) => x.value)).toEqual(['192.0.2.31']);
    expect(r.lookups).toBe(after);
  });

  it('stops at a CNAME loop across zones', async () => {
    const got = await fixtureResolver(sb).lookup('x.loop-a.net', 'A');
    expect(got.status).toBe('error');
    expect(got.detail).toMatch(/loops/);
  });

  it('answers "budget" without asking once the lookup budget is used up, and says why', async () => {
    const r = fixtureResolver(sb, { maxLookups: 2 });
    await r.lookup(`${AUDITED}`, 'A');
    await r.lookup('partner.net', 'NS');
    const over = await r.lookup(`www.${AUDITED}`, 'A');
    expect(over.status).toBe('budget');
    expect(r.exhausted).toMatch(/2 lookups/);
    expect(r.lookups).toBe(2);
  });

  it('asks a nameserver host directly: authoritative, or lame when it only refers or refuses', async () => {
    const r = fixtureResolver(sb);
    const good = await r.askHost('ns1.vps.org', `good.${AUDITED}`, 'SOA');
    expect(good.map((s) => s.status)).toEqual(['answer']);
    const lame = await r.askHost('ns1.vps.org', `lame.${AUDITED}`, 'SOA');
    expect(lame.map((s) => s.status)).toEqual(['lame']);
    expect(lame[0]?.detail).toMatch(/referral/);
    const child = await r.askHost('ns1.vps.org', `ns.sub.${AUDITED}`, 'A');
    expect(child[0]?.records.map((x) => x.value)).toEqual(['127.0.0.2']);
  });
});
