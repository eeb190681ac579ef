/**
 * Domain-name helpers for the wire side. Names are compared case-insensitively (RFC 4343) and
 * kept without the trailing dot, the way the provider's API shows them.
 */
import { fqdn, normaliseName, normaliseZone } from '../domain/model.js';
import { UserError } from '../errors.js';

/** The record model's zone form (lower-case, one trailing dot stripped), except that the root stays `.`. */
export function canonicalName(name: string): string {
  return normaliseZone(name) || '.';
}

export function sameName(a: string, b: string): boolean {
  return canonicalName(a) === canonicalName(b);
}

/** True when `name` equals `zone` or lies below it. */
export function isAtOrBelow(name: string, zone: string): boolean {
  const n = canonicalName(name);
  const z = canonicalName(zone);
  return z === '.' || n === z || n.endsWith(`.${z}`);
}

/** The parent of a name (`a.b.c` -> `b.c`, `c` -> `.`). */
export function parentName(name: string): string {
  const n = canonicalName(name);
  if (n === '.') return '.';
  const i = n.indexOf('.');
  return i < 0 ? '.' : n.slice(i + 1);
}

/** The fully qualified owner name (no trailing dot) of a record name, read as the record model does. */
export function ownerName(zone: string, name: string): string {
  return canonicalName(fqdn(normaliseName(name, zone), zone));
}

/**
 * Why a name cannot be put on the wire, or null. dns-packet does not check this itself: a label
 * over 63 bytes silently corrupts the packet it encodes.
 */
export function nameProblem(name: string): string | null {
  const n = canonicalName(name);
  if (n === '.') return null;
  if (Buffer.byteLength(n) > 253) return 'is longer than 253 characters';
  for (const label of n.split('.')) {
    if (label.length === 0) return 'has an empty label (two dots in a row)';
    if (Buffer.byteLength(label) > 63) return `has a label longer than 63 bytes ("${label.slice(0, 20)}...")`;
    // eslint-disable-next-line no-control-regex -- control characters are exactly what we look for
    if (/[\s\x00-\x1f\x7f]/.test(label)) return `has a blank or control character in "${label}"`;
    if (/[^\x21-\x7e]/.test(label)) return `has a character that is not printable ASCII in "${label}" (use the xn-- form for IDNs)`;
  }
  return null;
}

/** Throws a UserError naming the field when the name cannot be queried. */
export function assertQueryName(name: string, field = 'name'): string {
  const problem = nameProblem(name);
  if (problem) {
    throw new UserError(`${field}: "${name}" ${problem}`, { code: 'validation', field, hint: 'Give a valid DNS name such as www.example.com.' });
  }
  return canonicalName(name);
}
