/**
 * RFC 3597 5: rdata in the generic form `\# <length> <hex>`, which BIND accepts for every type,
 * known ones included (`a TYPE1 \# 4 C0000201` is `a A 192.0.2.1`). Decoded here into the
 * presentation tokens the usual form would have, so that one reader handles both.
 */
import type { RecordType } from '../api/types.js';
import type { Token } from './zonefile-lexer.js';
import { escapeBytes } from './charstring.js';

export type GenericResult = { toks: Token[] } | { error: string };

const HOST_LABEL = /^[a-z0-9_-]{1,63}$/i;

/** An uncompressed wire name (RFC 1035 3.1) at `at`; null when malformed or a label needs escapes. */
function wireName(b: Buffer, at: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let i = at;
  while (i < b.length) {
    const len = b[i] ?? 0;
    if (len === 0) return { name: `${labels.join('.')}.`, end: i + 1 };
    // 0xC0: a compression pointer, not allowed in generic rdata (RFC 3597 4).
    if (len > 63 || i + 1 + len > b.length) return null;
    const label = b.subarray(i + 1, i + 1 + len).toString('latin1');
    if (!HOST_LABEL.test(label)) return null;
    labels.push(label);
    i += 1 + len;
  }
  return null;
}

/** RFC 1035 character-strings (length-prefixed) filling `b` exactly; null when they do not. */
function charStrings(b: Buffer, at: number): Buffer[] | null {
  const out: Buffer[] = [];
  let i = at;
  while (i < b.length) {
    const len = b[i] ?? 0;
    if (i + 1 + len > b.length) return null;
    out.push(b.subarray(i + 1, i + 1 + len));
    i += 1 + len;
  }
  return out.length ? out : null;
}


function ipv6(b: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':');
}

/** `\# len hex...` tokens (after the type) as the usual tokens of `type`, or why not. */
export function genericTokens(type: RecordType, toks: Token[]): GenericResult {
  const len = toks[1] && !toks[1].quoted && /^[0-9]+$/.test(toks[1].text) ? Number(toks[1].text) : NaN;
  const hex = toks.slice(2).map((t) => t.text).join('');
  if (!Number.isInteger(len) || toks.slice(2).some((t) => t.quoted) || !/^([0-9a-f]{2})*$/i.test(hex)) return { error: 'generic data (\\#) must be `\\# <length> <hex digits>`' };
  const b = Buffer.from(hex, 'hex');
  if (b.length !== len) return { error: `generic data (\\#) says ${len} bytes but holds ${b.length}` };
  const line = toks[0]?.line ?? 0;
  const word = (text: string): Token => ({ text, quoted: false, line });
  const quoted = (bytes: Uint8Array): Token => ({ text: escapeBytes(bytes), quoted: true, line });
  const bad = (what: string): GenericResult => ({ error: `generic data (\\#) is not a valid ${type} record: ${what}` });
  switch (type) {
    case 'A':
      return b.length === 4 ? { toks: [word([...b].join('.'))] } : bad('an address is 4 bytes');
    case 'AAAA':
      return b.length === 16 ? { toks: [word(ipv6(b))] } : bad('an address is 16 bytes');
    case 'CNAME':
    case 'NS': {
      const n = wireName(b, 0);
      return n && n.end === b.length ? { toks: [word(n.name)] } : bad('a host name in wire form, uncompressed');
    }
    case 'MX': {
      const n = b.length > 2 ? wireName(b, 2) : null;
      return n && n.end === b.length ? { toks: [word(String(b.readUInt16BE(0))), word(n.name)] } : bad('a 2-byte preference and a host name');
    }
    case 'SRV': {
      const n = b.length > 6 ? wireName(b, 6) : null;
      if (!n || n.end !== b.length) return bad('priority, weight, port (2 bytes each) and a host name');
      return { toks: [word(String(b.readUInt16BE(0))), word(String(b.readUInt16BE(2))), word(String(b.readUInt16BE(4))), word(n.name)] };
    }
    case 'TXT': {
      const parts = charStrings(b, 0);
      return parts ? { toks: parts.map(quoted) } : bad('length-prefixed strings');
    }
    case 'CAA': {
      const tagLen = b[1] ?? 0;
      if (b.length < 2 + tagLen || tagLen === 0) return bad('flags, tag length, tag and value');
      return { toks: [word(String(b[0] ?? 0)), word(b.subarray(2, 2 + tagLen).toString('latin1')), quoted(b.subarray(2 + tagLen))] };
    }
  }
}
