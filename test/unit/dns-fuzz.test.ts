/**
 * Fuzzes the reply parser with random and mutated packets (seeded, parse only, no sockets):
 * it must never throw, and whatever it accepts must be well-formed.
 */
import { isIPv4, isIPv6 } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { answersQuery, buildQuery, parseReply } from '../../src/dns/packet.js';

/** mulberry32: small, fast, seeded. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const question = [{ name: 'www.example.com', type: 'A' as const, class: 'IN' as const }];
const seeds: Buffer[] = [
  dnsPacket.encode({
    type: 'response', id: 1, flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: question,
    answers: [
      { type: 'A', name: 'www.example.com', ttl: 60, data: '192.0.2.1' },
      { type: 'AAAA', name: 'www.example.com', ttl: 60, data: '2001:db8::1' },
      { type: 'MX', name: 'www.example.com', ttl: 60, data: { preference: 10, exchange: 'mail.example.com' } },
    ],
    authorities: [{ type: 'NS', name: 'example.com', ttl: 60, data: 'ns1.example.com' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  }),
  dnsPacket.encode({
    type: 'response', id: 2, questions: question,
    answers: [
      { type: 'TXT', name: 'www.example.com', ttl: 60, data: ['a'.repeat(200), 'b'] },
      { type: 'SRV', name: 'www.example.com', ttl: 60, data: { priority: 1, weight: 2, port: 3, target: 'x.example.com' } },
      { type: 'CAA', name: 'www.example.com', ttl: 60, data: { flags: 0, tag: 'issue', value: 'ca.example' } },
    ],
    authorities: [{ type: 'SOA', name: 'example.com', ttl: 60, data: { mname: 'ns1.example.com', rname: 'h.example.com', serial: 7, refresh: 1, retry: 1, expire: 1, minimum: 1 } }],
  }),
  dnsPacket.encode({ type: 'response', id: 3, flags: 3, questions: question }),
];

function mutate(src: Buffer, next: () => number): Buffer {
  let buf = Buffer.from(src);
  const n = 1 + Math.floor(next() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(next() * buf.length);
    switch (Math.floor(next() * 6)) {
      case 0: buf[at] = Math.floor(next() * 256); break; // byte replaced
      case 1: buf[at] = (buf[at] as number) ^ (1 << Math.floor(next() * 8)); break; // bit flip
      case 2: buf = buf.subarray(0, at); break; // truncation
      case 3: buf = Buffer.concat([buf.subarray(0, at), Buffer.from([Math.floor(next() * 256)]), buf.subarray(at)]); break; // insertion
      case 4: if (buf.length > 12) buf.writeUInt16BE(Math.floor(next() * 8), 4 + 2 * Math.floor(next() * 4)); break; // section counts
      default: if (at + 1 < buf.length) buf.writeUInt16BE(0xc000 | Math.floor(next() * buf.length), at); // compression pointer
    }
  }
  return buf;
}

describe('reply parser fuzz', () => {
  it('survives 120,000 random and mutated packets without an exception', () => {
    const next = rng(0x5eed);
    const query = buildQuery(1, 'www.example.com', 'A');
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 120_000; i++) {
      let buf: Buffer;
      if (i % 5 === 0) {
        buf = Buffer.alloc(Math.floor(next() * 300));
        for (let j = 0; j < buf.length; j++) buf[j] = Math.floor(next() * 256);
      } else {
        buf = mutate(seeds[i % seeds.length] as Buffer, next);
      }
      const r = parseReply(buf);
      answersQuery(buf, query);
      if (!r.ok) {
        if (typeof r.error !== 'string') throw new Error('rejection without a reason');
        rejected++;
        continue;
      }
      accepted++;
      for (const rr of [...r.reply.answers, ...r.reply.authorities, ...r.reply.additionals]) {
        if (rr.type === 'A' && !isIPv4(rr.value)) throw new Error(`accepted a bad A value ${rr.value}`);
        if (rr.type === 'AAAA' && !isIPv6(rr.value)) throw new Error(`accepted a bad AAAA value ${rr.value}`);
        if (typeof rr.value !== 'string' || !Number.isInteger(rr.ttl)) throw new Error('accepted a record without value or ttl');
      }
    }
    // Both outcomes must occur, or the mutations are not exercising the parser.
    expect(accepted).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(10_000);
  });
});
