import { isIPv4, isIPv6 } from 'node:net';
import type { RecordType } from '../api/types.js';
import { invalid } from './api-error.js';
import { bareName, hostnameProblem, show } from './names.js';

const TXT_MAX = 4096;
const CAA_TAGS = ['issue', 'issuewild', 'iodef'];

function bad(type: RecordType, value: string, rule: string): never {
  throw invalid('value', `Invalid ${type} value ${show(value)}: ${rule}`);
}

function checkHost(type: RecordType, value: string, underscore: boolean, host = value): void {
  const problem = hostnameProblem(bareName(host), { underscore });
  if (problem) bad(type, value, `a hostname is expected (e.g. mail.example.com), and ${show(host)} ${problem}`);
}

function checkUint(type: RecordType, value: string, text: string, what: string, max: number): number {
  const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= max)) bad(type, value, `${what} must be an integer from 0 to ${max}`);
  return n;
}

function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Checks a record's value for its type, as the provider does; returns the value to store. */
export function checkValue(type: RecordType, input: unknown): string {
  if (input === undefined || input === null || input === '') {
    throw invalid('value', `value is required for ${type} records`);
  }
  if (typeof input !== 'string') throw invalid('value', 'value must be a string');
  const value = input;
  switch (type) {
    case 'A':
      if (!isIPv4(value)) bad(type, value, 'an IPv4 address is expected, e.g. 192.0.2.1');
      break;
    case 'AAAA':
      // node accepts a zone index (fe80::1%eth0), which has no meaning in DNS data.
      if (!isIPv6(value) || value.includes('%')) bad(type, value, 'an IPv6 address is expected, e.g. 2001:db8::1');
      break;
    case 'CNAME':
      checkHost(type, value, true);
      break;
    case 'NS':
    case 'MX':
      checkHost(type, value, false);
      break;
    case 'TXT':
      if (Buffer.byteLength(value, 'utf8') > TXT_MAX) bad(type, value, `TXT values may be at most ${TXT_MAX} bytes (UTF-8)`);
      // Control characters cannot be written into the generated zone file safely.
      if (hasControlChar(value)) bad(type, value, 'control characters (newline, tab, ...) are not allowed');
      break;
    case 'SRV': {
      const m = /^(\S+) +(\S+) +(\S+)$/.exec(value);
      if (!m) bad(type, value, 'expected "weight port target", e.g. 10 5060 sip.example.com (the SRV priority goes in the priority field)');
      checkUint(type, value, m[1] ?? '', 'weight', 65535);
      checkUint(type, value, m[2] ?? '', 'port', 65535);
      // RFC 2782: a target of "." means the service is decidedly not available.
      if (m[3] !== '.') checkHost(type, value, false, m[3]);
      break;
    }
    case 'CAA': {
      const m = /^(\S+) +(\S+) +"([^"]*)"$/.exec(value);
      if (!m) bad(type, value, 'expected flags tag "value", e.g. 0 issue "letsencrypt.org"');
      checkUint(type, value, m[1] ?? '', 'flags', 255);
      // RFC 8659 4.1: tags match case-insensitively; the value may hold no quote or control character.
      if (hasControlChar(m[3] ?? '')) bad(type, value, 'control characters are not allowed in the CAA value');
      if (!CAA_TAGS.includes((m[2] ?? '').toLowerCase())) bad(type, value, `the tag must be one of ${CAA_TAGS.join(', ')}`);
      if (m[2]?.toLowerCase() === 'iodef' && !/^(mailto:|https?:\/\/)\S+$/.test(m[3] ?? '')) {
        bad(type, value, 'an iodef value must be a mailto: or http(s):// URL (RFC 8659)');
      }
      break;
    }
  }
  return value;
}

/** A comparison key under which two values mean the same DNS data. */
export function canonicalValue(type: RecordType, value: string): string {
  switch (type) {
    case 'AAAA':
      return new URL(`http://[${value}]/`).hostname;
    case 'CNAME':
    case 'NS':
    case 'MX':
      return bareName(value);
    case 'SRV': {
      const [w, p, t] = value.split(/ +/);
      return `${Number(w)} ${Number(p)} ${bareName(t ?? '')}`;
    }
    case 'CAA': {
      const m = /^(\S+) +(\S+) +(".*")$/.exec(value);
      return m ? `${Number(m[1])} ${m[2]?.toLowerCase()} ${m[3]}` : value;
    }
    default:
      return value;
  }
}
