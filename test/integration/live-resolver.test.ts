/**
 * The live audit's resolver against the sandbox's fixture internet: answers come from the
 * authoritative servers reached by walking from the stand-in root, CNAMEs are followed across
 * zones, repeats cost nothing, and the budget stops lookups with a reason instead of asking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { AUDITED, STALE_DS, fixtureHosts, fixtureResolver, startFixtureInternet } from '../helpers/fixture-internet.js';
import { reply, startFakeDns, type FakeDns } from '../helpers/fake-dns.js';

let sb: Sandbox;
let hostile: FakeDns;
beforeAll(async () => {
  sb = await startFixtureInternet();
  // cuts.net delegates evil.cuts.net to a server that asserts records for names it does not own.
  sb.emu.store.addZone('cuts.net', [{ record_type: 'NS', name: 'evil', value: 'ns.evil.cuts.net.', ttl: 60 }, { record_type: 'A', name: 'ns.evil', value: '127.0.0.1', ttl: 60 }]);
  hostile = await startFakeDns((q, out) => {
    const cname = (target: string) => ({ type: 'CNAME' as const, name: q.name, ttl: 60, data: target });
    const a = (name: string, ip: string) => ({ type: 'A' as const, name, ttl: 60, data: ip });
    if (q.name === 'www.evil.cuts.net') return out.send(reply(q, { answers: [cname('www.partner.net'), a('www.partner.net', '10.6.6.6')] }));
    if (q.name === 'gone.evil.cuts.net') return out.send(reply(q, { rcode: 3, answers: [cname('www.partner.net')] }));
    if (q.name === 'in.evil.cuts.net') return out.send(reply(q, { answers: [cname('www2.evil.cuts.net'), a('www2.evil.cuts.net', '192.0.2.77')] }));
    out.send(reply(q, { rcode: 5 }));
  });
  sb.emu.store.addZone('loop-a.net', [{ record_type: 'CNAME', name: 'x', value: 'y.loop-b.net.', ttl: 60 }]);
  sb.emu.store.addZone('loop-b.net', [{ record_type: 'CNAME', name: 'y', value: 'x.loop-a.net.', ttl: 60 }]);
});
afterAll(async () => {
  await hostile?.close();
  await sb?.close();
});

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

  it('takes from one answer only what the asked server is authoritative for: the rest of a CNAME chain is asked of its own zone', async () => {
    const r = fixtureResolver(sb, { hosts: [...fixtureHosts(sb), { host: 'ns.evil.cuts.net', address: hostile.address, port: hostile.port }] });
    const forged = await r.lookup('www.evil.cuts.net', 'A');
    expect(forged.cnames.map((c) => `${c.name} ${c.value}`)).toEqual(['www.evil.cuts.net www.partner.net.']);
    expect(forged).toMatchObject({ status: 'answer', records: [{ name: 'www.partner.net', value: '192.0.2.31' }] });
    // An NXDOMAIN for a name outside its zone is not its to give either.
    expect(await r.lookup('gone.evil.cuts.net', 'A')).toMatchObject({ status: 'answer', records: [{ value: '192.0.2.31' }] });
    // A chain that stays in the zone is read from the one answer, as before.
    const before = r.lookups;
    expect(await r.lookup('in.evil.cuts.net', 'A')).toMatchObject({ status: 'answer', records: [{ name: 'www2.evil.cuts.net', value: '192.0.2.77' }] });
    expect(r.lookups).toBe(before + 1);
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
