/**
 * Building queries and parsing replies with dns-packet, with the validation dns-packet lacks:
 * a strict structural pass first (wire.ts), then decode inside try/catch, then a check that
 * decode consumed every byte and that every address is an address.
 */
import { randomInt } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { canonicalName } from './names.js';
import { wireValue } from './values.js';
import { wireProblem } from './wire.js';

/** RFC 9715 / DNS flag day 2020: a payload size that avoids IP fragmentation. */
export const EDNS_UDP_PAYLOAD = 1232;

/** One resource record, value in the canonical form of values.ts. */
export interface Rr {
  name: string;
  type: string;
  ttl: number;
  value: string;
}

export interface Reply {
  id: number;
  rcode: string;
  aa: boolean;
  tc: boolean;
  question: { name: string; type: string } | null;
  answers: Rr[];
  authorities: Rr[];
  additionals: Rr[];
}

export type ParseResult = { ok: true; reply: Reply } | { ok: false; error: string };

/** A fresh random 16-bit id from the CSPRNG (RFC 5452: ids must not be guessable). */
export function randomId(): number {
  return randomInt(0, 0x10000);
}

/** A query with recursion desired off (we ask authoritative servers) and an EDNS0 OPT record. */
export function buildQuery(id: number, name: string, type: string, opts: { rd?: boolean } = {}): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: opts.rd ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ name: canonicalName(name), type: type.toUpperCase() as RecordType, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_PAYLOAD, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
}

function toRrs(list: dnsPacket.Answer[] | undefined): Rr[] {
  const out: Rr[] = [];
  for (const a of list ?? []) {
    if (a.type === 'OPT') continue;
    const data = (a as { data?: unknown }).data;
    if ((a.type === 'A' && !isIPv4(String(data))) || (a.type === 'AAAA' && !isIPv6(String(data)))) {
      throw new Error(`${a.type} record for ${a.name} holds a bad address`);
    }
    const value = wireValue(a.type, data);
    if (value === null) throw new Error(`${a.type} record for ${a.name} could not be read`);
    // RFC 2181 section 8: a TTL with the top bit set is treated as zero.
    const ttl = a.ttl === undefined || a.ttl > 0x7fffffff ? 0 : a.ttl;
    out.push({ name: canonicalName(a.name), type: a.type, ttl, value });
  }
  return out;
}

/** Parses a reply; never throws. */
export function parseReply(buf: Buffer): ParseResult {
  const problem = wireProblem(buf);
  if (problem) return { ok: false, error: `malformed reply: ${problem}` };
  try {
    const p = dnsPacket.decode(buf);
    if (dnsPacket.decode.bytes !== buf.length) return { ok: false, error: `malformed reply: decoded ${dnsPacket.decode.bytes} of ${buf.length} bytes` };
    const q = p.questions?.[0];
    return {
      ok: true,
      reply: {
        id: p.id ?? 0,
        rcode: (p as { rcode?: string }).rcode ?? 'NOERROR',
        aa: p.flag_aa,
        tc: p.flag_tc,
        question: q ? { name: canonicalName(q.name), type: q.type } : null,
        answers: toRrs(p.answers),
        authorities: toRrs(p.authorities),
        additionals: toRrs(p.additionals),
      },
    };
  } catch (err) {
    return { ok: false, error: `malformed reply: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Length of the question section of one of our queries (uncompressed name + type + class). */
function questionLength(query: Buffer): number {
  let pos = 12;
  while ((query[pos] ?? 0) !== 0) pos += 1 + (query[pos] as number);
  return pos + 5 - 12;
}

/**
 * Decides from the raw bytes whether a datagram answers `query` (RFC 5452): a response (QR
 * set) with the same id and exactly the same question. Names compare case-insensitively; the
 * reply's question is never compressed (it is the first name), so bytes can be compared.
 */
export function answersQuery(reply: Buffer, query: Buffer): boolean {
  if (reply.length < 12 || reply.readUInt16BE(0) !== query.readUInt16BE(0) || (reply[2] as number) < 0x80) return false;
  if (reply.readUInt16BE(4) !== 1) return false;
  const qlen = questionLength(query);
  if (reply.length < 12 + qlen) return false;
  const lower = (buf: Buffer, end: number) => buf.subarray(12, end).toString('latin1').replace(/[A-Z]/g, (c) => c.toLowerCase());
  const nameEnd = 12 + qlen - 4;
  return lower(reply, nameEnd) === lower(query, nameEnd) && reply.subarray(nameEnd, nameEnd + 4).equals(query.subarray(nameEnd, nameEnd + 4));
}
