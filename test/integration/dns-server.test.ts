/**
 * The sandbox's authoritative nameserver, asked the way real clients ask: with the project's own
 * queryDns (UDP, TCP retry on truncation), with dig (an independent resolver library), and with
 * hand-made packets for the edge cases (no EDNS, bad opcode, garbage, a response packet).
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promisify } from 'node:util';
import * as dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from '../../src/dns/server.js';
import { createPublisher } from '../../src/dns/publisher.js';
import { queryDns } from '../../src/dns/query.js';
import type { ZoneData } from '../../src/dns/zone-rdata.js';
import { DEMO_RECORDS } from '../../src/emulator/demo.js';

const run = promisify(execFile);
const LONG_TXT = 'x'.repeat(700);
const ZONE: ZoneData = {
  serial: 2024010105,
  records: [
    ...DEMO_RECORDS.map((r) => ({ ttl: 3600, ...r })),
    { record_type: 'TXT', name: 'big', value: LONG_TXT, ttl: 300 },
    { record_type: 'A', name: 'host.deep', value: '192.0.2.9', ttl: 60 },
    { record_type: 'A', name: '*.wild', value: '192.0.2.7', ttl: 60 },
    { record_type: 'CNAME', name: 'alias', value: 'www.example.com', ttl: 120 },
    { record_type: 'CNAME', name: 'outside', value: 'target.example.net', ttl: 120 },
    { record_type: 'NS', name: 'sub', value: 'ns.sub.example.com', ttl: 60 },
    { record_type: 'A', name: 'ns.sub', value: '192.0.2.53', ttl: 60 },
  ],
};

let server: DnsServer;
let ns: { host: string; address: string; port: number; family: 4 };

beforeAll(async () => {
  server = await startDnsServer({ lookup: (z) => (z === 'example.com' ? ZONE : undefined) });
  ns = { host: 'ns1.test', address: '127.0.0.1', port: server.port, family: 4 };
});
afterAll(async () => {
  await server.close();
});

const q = (name: string, type: string, opts = {}) => queryDns(ns, name, type, { timeoutMs: 1000, tries: 1, ...opts });

async function dig(...args: string[]): Promise<string> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(server.port), '+norec', '+time=2', '+tries=1', ...args]);
  return stdout;
}

/** One raw UDP exchange: the reply bytes, or null when nothing came back in 300 ms. */
function rawUdp(packet: Buffer): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      resolve(null);
    }, 300);
    sock.on('message', (msg) => {
      clearTimeout(timer);
      sock.close();
      resolve(msg);
    });
    sock.send(packet, server.port, '127.0.0.1');
  });
}

describe('answers from the published zone', () => {
  it('serves every record type with AA set and the values the API holds', async () => {
    const cases: Array<[string, string, string[]]> = [
      ['example.com', 'A', ['192.0.2.1']],
      ['example.com', 'AAAA', ['2001:db8::1']],
      ['example.com', 'MX', ['10 mail.example.com.', '20 mail2.example.com.']],
      ['example.com', 'TXT', ['v=spf1 include:_spf.google.com ~all']],
      ['example.com', 'NS', ['ns1.vps.org.', 'ns2.vps.org.']],
      ['_sip._tcp.example.com', 'SRV', ['10 10 5060 sip.example.com.']],
      ['example.com', 'CAA', ['0 iodef "mailto:security@example.com"', '0 issue "letsencrypt.org"']],
    ];
    for (const [name, type, values] of cases) {
      const r = await q(name, type);
      if (!r.ok) throw new Error(r.error);
      expect(r.aa, `${name} ${type}`).toBe(true);
      expect(r.rcode).toBe('NOERROR');
      expect(r.answers.map((a) => a.value).sort(), `${name} ${type}`).toEqual(values.sort());
    }
  });

  it('gives the SOA with the published serial', async () => {
    const r = await q('example.com', 'SOA');
    if (!r.ok) throw new Error(r.error);
    expect(r.answers[0]?.value).toBe('ns1.vps.org. hostmaster.example.com. 2024010105 3600 600 1209600 300');
  });

  it('follows a CNAME inside the zone and stops at one that leaves it', async () => {
    const r = await q('alias.example.com', 'A');
    if (!r.ok) throw new Error(r.error);
    expect(r.answers.map((a) => `${a.name} ${a.type} ${a.value}`)).toEqual([
      'alias.example.com CNAME www.example.com.',
      'www.example.com CNAME example.com.',
      'example.com A 192.0.2.1',
    ]);
    const out = await q('outside.example.com', 'A');
    if (!out.ok) throw new Error(out.error);
    expect(out.answers.map((a) => a.type)).toEqual(['CNAME']);
  });

  it('answers NXDOMAIN for a missing name and NODATA for a missing type, both with the SOA (RFC 2308)', async () => {
    const nx = await q('nope.example.com', 'A');
    if (!nx.ok) throw new Error(nx.error);
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.aa).toBe(true);
    expect(nx.authorities.map((a) => [a.type, a.ttl])).toEqual([['SOA', 300]]);
    const nodata = await q('example.com', 'SRV');
    if (!nodata.ok) throw new Error(nodata.error);
    expect(nodata.rcode).toBe('NOERROR');
    expect(nodata.answers).toEqual([]);
    expect(nodata.authorities[0]?.type).toBe('SOA');
  });

  it('treats empty non-terminals as existing (NODATA, not NXDOMAIN: RFC 8020)', async () => {
    for (const name of ['_tcp.example.com', 'deep.example.com']) {
      const r = await q(name, 'A');
      if (!r.ok) throw new Error(r.error);
      expect(r.rcode, name).toBe('NOERROR');
      expect(r.answers).toEqual([]);
    }
  });

  it('synthesises from a wildcard below its closest encloser', async () => {
    const r = await q('anything.wild.example.com', 'A');
    if (!r.ok) throw new Error(r.error);
    expect(r.answers.map((a) => `${a.name} ${a.value}`)).toEqual(['anything.wild.example.com 192.0.2.7']);
  });

  it('refers below a delegation without AA, with glue', async () => {
    const r = await q('www.sub.example.com', 'A');
    if (!r.ok) throw new Error(r.error);
    expect(r.aa).toBe(false);
    expect(r.answers).toEqual([]);
    expect(r.authorities.map((a) => `${a.type} ${a.value}`)).toEqual(['NS ns.sub.example.com.']);
    expect(r.additionals.map((a) => a.value)).toEqual(['192.0.2.53']);
  });

  it('refuses zones it does not serve', async () => {
    const r = await q('example.org', 'A');
    if (!r.ok) throw new Error(r.error);
    expect(r.rcode).toBe('REFUSED');
    expect(r.aa).toBe(false);
  });
});

describe('the wire', () => {
  it('sets TC over UDP when the answer exceeds 512 bytes without EDNS, and serves it whole over TCP', async () => {
    const noEdns = await dig('+noedns', '+ignore', 'big.example.com', 'TXT');
    expect(noEdns).toMatch(/flags: qr aa tc;/);
    const viaTcp = await dig('+tcp', 'big.example.com', 'TXT');
    expect(viaTcp).toMatch(/flags: qr aa;/);
    expect(viaTcp.replace(/"\s+"/g, '')).toContain(LONG_TXT);
    // queryDns retries over TCP by itself and gets the 700 bytes back, split into 255-byte strings.
    const r = await q('big.example.com', 'TXT', {});
    if (!r.ok) throw new Error(r.error);
    expect(r.answers[0]?.value).toBe(LONG_TXT);
  });

  it('honours the client EDNS payload size', async () => {
    expect(await dig('+bufsize=1232', '+ignore', 'big.example.com', 'TXT')).toMatch(/flags: qr aa;/);
    expect(await dig('+bufsize=512', '+ignore', 'big.example.com', 'TXT')).toMatch(/flags: qr aa tc;/);
  });

  it('ignores RD (no recursion offered) and keeps the question as asked (0x20 case)', async () => {
    const out = await dig('+rec', 'WwW.ExAmPlE.CoM', 'A');
    expect(out).toMatch(/flags: qr aa rd;/);
    expect(out).toContain(';WwW.ExAmPlE.CoM.');
    expect(out).toContain('www.example.com.\t3600\tIN\tCNAME\texample.com.');
  });

  it('answers NOTIMP for other opcodes and FORMERR for garbage, and never answers a response', async () => {
    const query = dnsPacket.encode({ type: 'query', id: 4242, questions: [{ type: 'A', name: 'example.com' }] });
    const notify = Buffer.from(query);
    notify.writeUInt16BE((4 << 11) | notify.readUInt16BE(2), 2);
    const notimp = await rawUdp(notify);
    expect(notimp && (notimp.readUInt16BE(2) & 0xf)).toBe(4);
    const garbage = Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01]), Buffer.from('not a packet at all')]);
    const formerr = await rawUdp(garbage);
    expect(formerr?.readUInt16BE(0)).toBe(0x1234);
    expect(formerr && (formerr.readUInt16BE(2) & 0xf)).toBe(1);
    const response = Buffer.from(query);
    response.writeUInt16BE(0x8000 | response.readUInt16BE(2), 2);
    expect(await rawUdp(response)).toBeNull();
    expect(await rawUdp(Buffer.from([1, 2, 3]))).toBeNull();
    // Still serving after all that.
    const r = await q('example.com', 'A');
    expect(r.ok).toBe(true);
  });

  it('serves several queries on one TCP connection (RFC 7766)', async () => {
    const { createConnection } = await import('node:net');
    const sock = createConnection(server.port, '127.0.0.1');
    const frames = [1, 2, 3].map((id) => dnsPacket.streamEncode({ type: 'query', id, questions: [{ type: 'A', name: 'example.com' }] }));
    sock.write(Buffer.concat(frames));
    const ids = await new Promise<number[]>((resolve, reject) => {
      let buf = Buffer.alloc(0);
      const got: number[] = [];
      sock.on('error', reject);
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          got.push(buf.readUInt16BE(2));
          buf = buf.subarray(2 + buf.readUInt16BE(0));
        }
        if (got.length === 3) resolve(got);
      });
    });
    sock.destroy();
    expect(ids).toEqual([1, 2, 3]);
  });
});

describe('publishing with a delay', () => {
  it('serves the old state until the delay has passed, then the new one', async () => {
    const pub = createPublisher(150);
    pub.publishNow('example.org', { serial: 1, records: [{ record_type: 'A', name: 'www', value: '192.0.2.1', ttl: 60 }] });
    const lagging = await startDnsServer({ lookup: pub.lookup });
    const target = { host: 'ns2.test', address: '127.0.0.1', port: lagging.port, family: 4 as const };
    try {
      pub.publish('example.org', { serial: 2, records: [{ record_type: 'A', name: 'www', value: '192.0.2.2', ttl: 60 }] });
      const before = await queryDns(target, 'www.example.org', 'A', { timeoutMs: 1000, tries: 1 });
      expect(before.ok && before.answers.map((a) => a.value)).toEqual(['192.0.2.1']);
      await new Promise((r) => setTimeout(r, 300));
      const after = await queryDns(target, 'www.example.org', 'A', { timeoutMs: 1000, tries: 1 });
      expect(after.ok && after.answers.map((a) => a.value)).toEqual(['192.0.2.2']);
      pub.publish('example.org', undefined);
      await new Promise((r) => setTimeout(r, 300));
      const gone = await queryDns(target, 'www.example.org', 'A', { timeoutMs: 1000, tries: 1 });
      expect(gone.ok && gone.rcode).toBe('REFUSED');
    } finally {
      pub.close();
      await lagging.close();
    }
  });
});
