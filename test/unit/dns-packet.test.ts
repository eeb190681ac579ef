import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { answersQuery, buildQuery, EDNS_UDP_PAYLOAD, parseReply } from '../../src/dns/packet.js';
import { wireProblem } from '../../src/dns/wire.js';

const response = (answers: Answer[], extra: Partial<dnsPacket.Packet> = {}) =>
  dnsPacket.encode({ type: 'response', id: 4242, flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: [{ name: 'www.example.com', type: 'A', class: 'IN' }], answers, ...extra });

/** A reply whose only answer is an A record at the end, so its RDATA can be cut or lengthened. */
function withA(): Buffer {
  return response([{ type: 'A', name: 'www.example.com', ttl: 60, data: '192.0.2.1' }]);
}

describe('buildQuery', () => {
  it('asks without recursion, with EDNS0 at 1232 bytes and the given id', () => {
    const q = dnsPacket.decode(buildQuery(513, 'WWW.Example.com.', 'mx'));
    expect(q.id).toBe(513);
    expect(q.flag_rd).toBe(false);
    expect(q.questions).toEqual([{ name: 'www.example.com', type: 'MX', class: 'IN' }]);
    const opt = q.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize: number } | undefined;
    expect(opt?.udpPayloadSize).toBe(EDNS_UDP_PAYLOAD);
    expect(dnsPacket.decode(buildQuery(1, 'x.test', 'A', { rd: true })).flag_rd).toBe(true);
  });
});

describe('parseReply', () => {
  it('reads every record type the provider supports into the canonical form', () => {
    const buf = response([
      { type: 'A', name: 'www.example.com', ttl: 60, data: '192.0.2.1' },
      { type: 'AAAA', name: 'www.example.com', ttl: 60, data: '2001:0db8:0:0:0:0:0:1' },
      { type: 'MX', name: 'example.com', ttl: 60, data: { preference: 10, exchange: 'Mail.Example.com' } },
      { type: 'TXT', name: 'example.com', ttl: 60, data: [Buffer.from('v=spf1 '), Buffer.from('-all')] },
      { type: 'SRV', name: '_sip._tcp.example.com', ttl: 60, data: { priority: 1, weight: 5, port: 5060, target: 'sip.example.com' } },
      { type: 'CAA', name: 'example.com', ttl: 60, data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } },
      { type: 'NS', name: 'example.com', ttl: 60, data: 'ns1.vps.org' },
      { type: 'SOA', name: 'example.com', ttl: 60, data: { mname: 'ns1.vps.org', rname: 'hostmaster.example.com', serial: 2024010101, refresh: 1, retry: 2, expire: 3, minimum: 4 } },
    ]);
    const r = parseReply(buf);
    if (!r.ok) throw new Error(r.error);
    expect(r.reply.aa).toBe(true);
    expect(r.reply.answers.map((a) => `${a.type} ${a.value}`)).toEqual([
      'A 192.0.2.1',
      'AAAA 2001:db8::1',
      'MX 10 mail.example.com.',
      'TXT v=spf1 -all',
      'SRV 1 5 5060 sip.example.com.',
      'CAA 0 issue "letsencrypt.org"',
      'NS ns1.vps.org.',
      'SOA ns1.vps.org. hostmaster.example.com. 2024010101 1 2 3 4',
    ]);
  });

  it('treats a TTL with the top bit set as zero (RFC 2181 section 8)', () => {
    const buf = withA();
    buf.writeUInt32BE(0x80000001, buf.length - 10);
    const r = parseReply(buf);
    expect(r.ok && r.reply.answers[0]?.ttl).toBe(0);
  });

  it('rejects a truncated A record that dns-packet alone would decode as 192.0.2.undefined', () => {
    const full = withA();
    const cut = Buffer.concat([full.subarray(0, full.length - 1)]);
    cut.writeUInt16BE(3, cut.length - 5);
    const r = parseReply(cut);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/RDLENGTH says 3/);
  });

  it('rejects an RDLENGTH running past the end, trailing bytes and a short header', () => {
    expect(parseReply(withA().subarray(0, withA().length - 2)).ok).toBe(false);
    const r = parseReply(Buffer.concat([withA(), Buffer.from([0, 0])]));
    expect(!r.ok && r.error).toMatch(/2 unexpected bytes/);
    expect(parseReply(Buffer.alloc(5)).ok).toBe(false);
  });

  it('rejects compression pointers that loop or point forwards', () => {
    const full = withA();
    const answerAt = 12 + 17 + 4; // header, www.example.com (17 bytes), type and class
    const rr = (pointer: number) => Buffer.concat([full.subarray(0, answerAt), Buffer.from([0xc0 | (pointer >> 8), pointer & 255]), full.subarray(full.length - 14)]);
    expect(parseReply(rr(12)).ok).toBe(true);
    expect(wireProblem(rr(answerAt))).toMatch(/does not point backwards/);
    expect(parseReply(rr(answerAt)).ok).toBe(false);
    expect(parseReply(rr(answerAt + 6)).ok).toBe(false);
  });

  it('rejects an NS whose name overruns its RDLENGTH', () => {
    const buf = response([{ type: 'NS', name: 'example.com', ttl: 60, data: 'ns1.vps.org' }, { type: 'A', name: 'x.example.com', ttl: 1, data: '192.0.2.9' }]);
    const rdlenAt = buf.indexOf(Buffer.from('ns1')) - 3;
    buf.writeUInt16BE(buf.readUInt16BE(rdlenAt) - 4, rdlenAt);
    expect(parseReply(buf).ok).toBe(false);
  });

  it('never throws on garbage', () => {
    for (const bytes of [[], [1, 2, 3], new Array(12).fill(255), new Array(40).fill(0xc0)]) {
      expect(parseReply(Buffer.from(bytes)).ok).toBe(false);
    }
  });
});

describe('answersQuery (RFC 5452 matching)', () => {
  const query = buildQuery(777, 'www.example.com', 'A');
  const q = { id: 777, questions: [{ name: 'www.example.com', type: 'A' as const, class: 'IN' as const }] };
  const resp = (over: Partial<dnsPacket.Packet>) => dnsPacket.encode({ type: 'response', ...q, ...over });

  it('accepts the same id and question, with the name in any case', () => {
    expect(answersQuery(resp({}), query)).toBe(true);
    expect(answersQuery(resp({ questions: [{ name: 'WWW.EXAMPLE.COM', type: 'A', class: 'IN' }] }), query)).toBe(true);
  });

  it('ignores another id, another name, another type, a query (QR clear) or no question', () => {
    expect(answersQuery(resp({ id: 778 }), query)).toBe(false);
    expect(answersQuery(resp({ questions: [{ name: 'www.example.org', type: 'A', class: 'IN' }] }), query)).toBe(false);
    expect(answersQuery(resp({ questions: [{ name: 'www.example.com', type: 'AAAA', class: 'IN' }] }), query)).toBe(false);
    expect(answersQuery(dnsPacket.encode({ type: 'query', ...q }), query)).toBe(false);
    expect(answersQuery(resp({ questions: [] }), query)).toBe(false);
    expect(answersQuery(Buffer.alloc(3), query)).toBe(false);
  });
});
