/**
 * Propagation checks against two real BIND9 `named` instances on loopback, serving zone files
 * rendered by the record model (what the provider's generator would deploy).
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseRecord, type RecordInputLike } from '../../src/domain/model.js';
import { renderZoneFile } from '../../src/domain/zonefile.js';
import { parseNameservers, resolveNameservers, type NameserverAddress } from '../../src/dns/nameservers.js';
import { checkPropagation, checkZonePropagation, type PropagationInput } from '../../src/dns/propagation.js';
import { queryDns } from '../../src/dns/query.js';
import { renderPropagation, renderZonePropagation } from '../../src/dns/render.js';
import { expectedFromRecords } from '../../src/dns/values.js';
import { bindAvailable, startBind, type BindInstance } from '../helpers/bind.js';

type Rec = RecordInputLike & { ttl: number };
const rec = (name: string, record_type: string, value: string, priority: number | null = null, ttl = 300): Rec => ({ name, record_type, value, priority, ttl });
const glue = [rec('ns1', 'A', '127.0.0.1'), rec('ns2', 'A', '127.0.0.1')];
const zone = (origin: string, serial: number, records: Rec[]) => ({
  serial,
  text: renderZoneFile(origin, [...glue, ...records].map((r) => normaliseRecord(r, origin)), { nameservers: [`ns1.${origin}`, `ns2.${origin}`], serial, ttl: 300, soa: { minimum: 120 } }),
});

const BIG = Array.from({ length: 12 }, (_, i) => `${String(i).padStart(2, '0')}-${'x'.repeat(140)}`);
const EXAMPLE: Rec[] = [
  rec('www', 'A', '192.0.2.1'),
  rec('www', 'AAAA', '2001:db8::1'),
  rec('@', 'MX', 'mail.example.test', 10),
  rec('@', 'MX', 'mx2.example.test', 20),
  rec('txt', 'TXT', 'v=spf1 include:_spf.example.net "quoted" -all'),
  rec('_sip._tcp', 'SRV', '5 5060 sip.example.test', 1),
  rec('@', 'CAA', '0 issue "letsencrypt.org"'),
  rec('alias', 'CNAME', 'www.example.test', null, 600),
  ...BIG.map((t) => rec('big', 'TXT', t)),
];
const WWW = (ip: string, ttl = 300) => [rec('www', 'A', ip, null, ttl)];

let a: BindInstance;
let b: BindInstance;
let silent: Socket;
let nsA: NameserverAddress;
let nsB: NameserverAddress;
let nsSilent: NameserverAddress;
const tuning = { timeoutMs: 400, tries: 2 };

beforeAll(async () => {
  if (!bindAvailable()) throw new Error('BIND9 is not installed: run `bash scripts/install-bind.sh` (apt-get install -y bind9 bind9-utils bind9-dnsutils)');
  [a, b] = await Promise.all([
    startBind({ 'example.test': zone('example.test', 10, EXAMPLE), 'lag.test': zone('lag.test', 2, WWW('192.0.2.1')), 'wait.test': zone('wait.test', 1, WWW('192.0.2.1')) }),
    startBind({ 'example.test': zone('example.test', 10, EXAMPLE), 'lag.test': zone('lag.test', 1, WWW('192.0.2.99', 900)), 'wait.test': zone('wait.test', 1, WWW('192.0.2.1')) }),
  ]);
  nsA = { host: 'ns1.example.test', address: '127.0.0.1', port: a.port, family: 4 };
  nsB = { host: 'ns2.example.test', address: '127.0.0.1', port: b.port, family: 4 };
  // Reads every query and never answers; nothing listens on TCP at that port.
  silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
  silent.on('message', () => undefined);
  nsSilent = { host: 'ns3.example.test', address: '127.0.0.1', port: silent.address().port, family: 4 };
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), silent ? new Promise<void>((r) => silent.close(() => r())) : undefined]);
});

const check = (over: Partial<PropagationInput>) => checkPropagation({ zone: 'example.test', name: 'www', recordType: 'A', expected: ['192.0.2.1'], nameservers: [nsA, nsB], ...tuning, ...over });

describe('checkPropagation against real BIND', () => {
  it('reports in sync on every address, with serials, TTL, AA and timings', async () => {
    const r = await check({});
    expect(r).toMatchObject({ zone: 'example.test', name: 'www.example.test', record_type: 'A', propagated: true, serials_agree: true, rounds: 1, max_ttl_seen: 300 });
    for (const s of r.servers) expect(s).toMatchObject({ status: 'in_sync', values: ['192.0.2.1'], ttl: 300, aa: true, serial: 10, rcode: 'NOERROR' });
    expect(r.servers.map((s) => s.port)).toEqual([a.port, b.port]);
    expect(r.servers.every((s) => Number.isInteger(s.rttMs) && s.rttMs >= 0)).toBe(true);
    const text = renderPropagation(r);
    expect(text).toMatch(/propagated, 2\/2 nameserver addresses in sync; serials agree \(10\)/);
    expect(text).toMatch(/up to 300 s/);
  });

  it('tells a lagging server (older serial, old value) from an up-to-date one', async () => {
    const r = await check({ zone: 'lag.test' });
    expect(r.propagated).toBe(false);
    expect(r.serials_agree).toBe(false);
    expect(r.servers[0]).toMatchObject({ status: 'in_sync', serial: 2, values: ['192.0.2.1'] });
    expect(r.servers[1]).toMatchObject({ status: 'pending', serial: 1, values: ['192.0.2.99'], ttl: 900 });
    expect(r.servers[1]?.detail).toMatch(/missing 192\.0\.2\.1; unexpected 192\.0\.2\.99/);
    expect(r.max_ttl_seen).toBe(900);
    expect(renderPropagation(r)).toMatch(/NOT propagated, 1\/2 .*serials differ \(2 vs 1\)/);
  });

  it('treats NXDOMAIN as pending when a value is expected and as in sync when none is', async () => {
    const r = await check({ name: 'nope', expected: ['192.0.2.5'] });
    expect(r.propagated).toBe(false);
    for (const s of r.servers) expect(s).toMatchObject({ status: 'pending', rcode: 'NXDOMAIN', values: [], ttl: null });
    expect(r.negative_ttl).toBe(120);
    const gone = await check({ name: 'nope', expected: [] });
    expect(gone.propagated).toBe(true);
    const nodata = await check({ name: 'txt', recordType: 'A', expected: ['192.0.2.5'] });
    expect(nodata.servers[0]?.detail).toMatch(/NODATA/);
  });

  it('retries a record set larger than 1232 bytes over TCP', async () => {
    const udp = await queryDns(nsA, 'big.example.test', 'TXT', { ...tuning, tcpFallback: false });
    expect(udp).toMatchObject({ ok: true, transport: 'tcp' });
    const r = await check({ name: 'big', recordType: 'TXT', expected: BIG });
    expect(r.propagated).toBe(true);
    expect(r.servers[0]?.values).toHaveLength(12);
    expect(r.servers[0]?.detail).toMatch(/over TCP/);
  });

  it('compares every provider record type in the API format, priorities included', async () => {
    const sets = [
      { name: 'www', type: 'AAAA', recs: [rec('www', 'AAAA', '2001:0db8:0::1')] },
      { name: '@', type: 'MX', recs: [rec('@', 'MX', 'mail.example.test', 10), rec('@', 'MX', 'mx2.example.test', 20)] },
      { name: 'txt', type: 'TXT', recs: [rec('txt', 'TXT', 'v=spf1 include:_spf.example.net "quoted" -all')] },
      { name: '_sip._tcp', type: 'SRV', recs: [rec('_sip._tcp', 'SRV', '5 5060 sip.example.test', 1)] },
      { name: '@', type: 'CAA', recs: [rec('@', 'CAA', '0 issue "letsencrypt.org"')] },
      { name: 'alias', type: 'CNAME', recs: [rec('alias', 'CNAME', 'www.example.test')] },
    ];
    for (const s of sets) {
      const r = await check({ name: s.name, recordType: s.type, expected: expectedFromRecords(s.recs, 'example.test') });
      expect(r.propagated, `${s.name} ${s.type}: ${renderPropagation(r)}`).toBe(true);
    }
    const wrongPriority = await check({ name: '@', recordType: 'MX', expected: ['5 mail.example.test', '20 mx2.example.test'] });
    expect(wrongPriority.propagated).toBe(false);
    const noPriority = await check({ name: '@', recordType: 'MX', expected: ['mail.example.test', 'mx2.example.test'] });
    expect(noPriority.propagated).toBe(true);
  });

  it('reports a server that never answers as an error, without holding up the others', async () => {
    const r = await check({ nameservers: [nsA, nsSilent, nsB], timeoutMs: 150, tries: 1 });
    expect(r.propagated).toBe(false);
    expect(r.servers.map((s) => s.status)).toEqual(['in_sync', 'error', 'in_sync']);
    expect(r.servers[1]?.detail).toMatch(/^timeout: no reply over UDP within 150 ms/);
    expect(r.serials_agree).toBe(false);
  });

  it('reports REFUSED for a zone the server does not serve', async () => {
    const r = await check({ zone: 'elsewhere.test', name: 'www' });
    for (const s of r.servers) expect(s).toMatchObject({ status: 'error', rcode: 'REFUSED', serial: null });
    expect(r.servers[0]?.detail).toMatch(/does not serve this zone/);
  });

  it('waits until a reload makes every server serve the change, reporting progress each round', async () => {
    const progress: Array<{ round: number; inSync: number; total: number }> = [];
    const r = await check({
      zone: 'wait.test',
      expected: ['192.0.2.2'],
      waitSeconds: 20,
      pollIntervalMs: 50,
      onProgress: async (p) => {
        progress.push({ round: p.round, inSync: p.inSync, total: p.total });
        if (p.round === 1) await a.setZone('wait.test', zone('wait.test', 2, WWW('192.0.2.2')).text, 2);
        if (p.round === 2) await b.setZone('wait.test', zone('wait.test', 2, WWW('192.0.2.2')).text, 2);
      },
    });
    expect(r.propagated).toBe(true);
    expect(r.serials_agree).toBe(true);
    expect(progress).toEqual([
      { round: 1, inSync: 0, total: 2 },
      { round: 2, inSync: 1, total: 2 },
      { round: 3, inSync: 2, total: 2 },
    ]);
    expect(r.rounds).toBe(3);
  });

  it('returns the last state when the wait is over', async () => {
    let rounds = 0;
    const r = await check({ zone: 'lag.test', waitSeconds: 0.2, pollIntervalMs: 40, onProgress: () => void rounds++ });
    expect(r.propagated).toBe(false);
    expect(r.rounds).toBe(rounds);
    expect(rounds).toBeGreaterThan(1);
  });

  it('checks IPv4 addresses and host=ip:port mappings from VPSORG_NAMESERVERS', async () => {
    const specs = parseNameservers(`ns1.example.test=127.0.0.1:${a.port}, 127.0.0.1:${b.port}`);
    const { addresses, errors } = await resolveNameservers(specs);
    expect(errors).toEqual([]);
    const r = await check({ nameservers: addresses });
    expect(r.propagated).toBe(true);
    expect(r.servers.map((s) => `${s.host} ${s.address}:${s.port}`)).toEqual([`ns1.example.test 127.0.0.1:${a.port}`, `127.0.0.1 127.0.0.1:${b.port}`]);
  });
});

describe('checkZonePropagation against real BIND', () => {
  const setsOf = (origin: string, records: Rec[]) => {
    const groups = new Map<string, Rec[]>();
    for (const r of [...glue, ...records]) groups.set(`${r.name}|${r.record_type}`, [...(groups.get(`${r.name}|${r.record_type}`) ?? []), r]);
    return [...groups.values()].map((g) => ({ name: (g[0] as Rec).name, recordType: (g[0] as Rec).record_type, expected: expectedFromRecords(g, origin) }));
  };

  it('checks every record set of a zone with bounded concurrency', async () => {
    const progress: number[] = [];
    const r = await checkZonePropagation({ zone: 'example.test', recordSets: setsOf('example.test', EXAMPLE), nameservers: [nsA, nsB], concurrency: 3, ...tuning, onProgress: (p) => void progress.push(p.setsInSync) });
    expect(r.total_sets).toBe(10);
    expect(r).toMatchObject({ propagated: true, serials_agree: true, sets_in_sync: 10, rounds: 1 });
    expect(r.serials).toEqual({ [`127.0.0.1:${a.port}`]: 10, [`127.0.0.1:${b.port}`]: 10 });
    expect(progress).toEqual([10]);
  });

  it('names the sets that lag, and where', async () => {
    const r = await checkZonePropagation({ zone: 'lag.test', recordSets: setsOf('lag.test', WWW('192.0.2.1')), nameservers: [nsA, nsB], ...tuning });
    expect(r).toMatchObject({ propagated: false, serials_agree: false, sets_in_sync: 2, total_sets: 3 });
    const text = renderZonePropagation(r);
    expect(text).toMatch(/NOT propagated, 2\/3 record sets/);
    expect(text).toMatch(/www\.lag\.test A expected 192\.0\.2\.1\n {2}ns2\.example\.test 127\.0\.0\.1:\d+ {2}PENDING/);
  });
});
