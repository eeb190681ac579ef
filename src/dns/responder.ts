/**
 * One query in, one response out, as bytes. The header bits follow RFC 1035 4.1.1: QR set, the
 * opcode, id and RD copied from the query, RA clear (recursion is never offered), AA when we
 * answer from our own zone. Over UDP an answer bigger than the client can take is cut to the
 * question with TC set (RFC 2181 9), and the client retries over TCP.
 */
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { answerQuestion, type ZoneLookup } from './zone-answers.js';

const RCODES = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
type Rcode = keyof typeof RCODES;

/** RFC 1035 4.2.1: without EDNS a UDP message is at most 512 bytes. */
export const CLASSIC_UDP_SIZE = 512;
/** Our own advertised EDNS payload size (DNS flag day 2020: avoids IP fragmentation). */
export const SERVER_UDP_SIZE = 1232;
const MAX_UDP_SIZE = 4096;

const OPT: Answer = { type: 'OPT', name: '.', udpPayloadSize: SERVER_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] };

/** Header flags: opcode and RD from the query (bits 11-14, 8), then AA, TC and the rcode. */
function flags(queryFlags: number, aa: boolean, tc: boolean, rcode: Rcode): number {
  const copied = queryFlags & ((0xf << 11) | dnsPacket.RECURSION_DESIRED);
  return copied | (aa ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | (tc ? dnsPacket.TRUNCATED_RESPONSE : 0) | RCODES[rcode];
}

/** A reply that only states an error, echoing what could be read of the query. */
function errorReply(query: Buffer, rcode: Rcode, decoded?: DecodedPacket): Buffer {
  const id = query.readUInt16BE(0);
  const queryFlags = query.readUInt16BE(2);
  const questions = decoded?.questions?.length === 1 ? decoded.questions : [];
  return dnsPacket.encode({ type: 'response', id, flags: flags(queryFlags, false, false, rcode), questions, answers: [], authorities: [], additionals: [] });
}

export interface RespondOptions {
  /** UDP: the size limit applies; TCP: no limit (null). */
  transport: 'udp' | 'tcp';
}

/**
 * Builds the response to `query`, or null when nothing must be sent (a response packet, or
 * too short to carry an id: answering those could start a loop or amplify spoofed traffic).
 */
export function respond(query: Buffer, lookup: ZoneLookup, opts: RespondOptions): Buffer | null {
  if (query.length < 12 || (query[2] as number) & 0x80) return null;
  let decoded: DecodedPacket;
  try {
    decoded = dnsPacket.decode(query);
  } catch {
    return errorReply(query, 'FORMERR');
  }
  const queryFlags = query.readUInt16BE(2);
  if (((queryFlags >> 11) & 0xf) !== 0) return errorReply(query, 'NOTIMP', decoded);
  const question = decoded.questions?.[0];
  if (!question || decoded.questions?.length !== 1) return errorReply(query, 'FORMERR', decoded);
  const opt = decoded.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  const additionalsTail = opt ? [OPT] : [];
  const qclass = question.class ?? 'IN';
  if (qclass !== 'IN' && qclass !== 'ANY') return errorReply(query, 'REFUSED', decoded);

  const r = answerQuestion(lookup, question.name, String(question.type));
  const packet: Packet = {
    type: 'response',
    id: decoded.id ?? 0,
    flags: flags(queryFlags, r.aa, false, r.rcode),
    questions: [question],
    answers: r.answers,
    authorities: r.authorities,
    additionals: [...r.additionals, ...additionalsTail],
  };
  let out: Buffer;
  try {
    out = dnsPacket.encode(packet);
  } catch {
    return errorReply(query, 'SERVFAIL', decoded);
  }
  if (opts.transport === 'tcp') return out;
  const limit = opt ? Math.min(Math.max(CLASSIC_UDP_SIZE, opt.udpPayloadSize ?? CLASSIC_UDP_SIZE), MAX_UDP_SIZE) : CLASSIC_UDP_SIZE;
  if (out.length <= limit) return out;
  return dnsPacket.encode({ ...packet, flags: flags(queryFlags, r.aa, true, r.rcode), answers: [], authorities: [], additionals: additionalsTail });
}
