/**
 * One SPF lookup through the live resolver, as a receiver reads it: a name no query can be made
 * for does not exist, and the sender's validated names (`ptr`, `%{p}`) are found the one way
 * RFC 7208 5.5 gives.
 */
import type { LiveResolver, LiveStatus } from '../types.js';
import { reverseName, sameAddress } from './spf-macro.js';

export interface SpfQuery {
  name: string;
  type: string;
  status: LiveStatus;
  values: string[];
  detail: string;
}

/** RFC 7208 4.6.4: an mx or ptr lookup MUST NOT look up more than 10 names' addresses. */
export const MAX_NAMES = 10;

/** Why no DNS query can be composed for `name` (RFC 1035 2.3.4 lengths), or null. */
function unaskable(name: string): string | null {
  const labels = name.replace(/\.$/, '').split('.');
  if (labels.some((l) => l === '')) return 'has an empty label';
  if (labels.some((l) => Buffer.byteLength(l) > 63)) return 'has a label longer than 63 bytes';
  return Buffer.byteLength(name) > 253 ? 'is longer than 253 bytes' : null;
}

export async function ask(resolver: LiveResolver, name: string, type: string): Promise<SpfQuery> {
  // RFC 7208 4.3 and 4.8: such a name does not exist (a receiver's "none", or no match), never a temperror.
  const bad = unaskable(name);
  if (bad) return { name, type, status: 'nxdomain', values: [], detail: `"${name}" ${bad}: no such name can exist` };
  const a = await resolver.lookup(name, type);
  return { name, type, status: a.status, values: a.records.filter((r) => r.type === type).map((r) => r.value), detail: a.detail };
}

/** The names of the sender's PTR records (the first 10) whose `type` addresses include it; none on a DNS error. */
export async function validatedNames(resolver: LiveResolver, ip: string, type: 'A' | 'AAAA'): Promise<string[]> {
  const ptr = await ask(resolver, reverseName(ip), 'PTR');
  const names = ptr.values.slice(0, MAX_NAMES).map((v) => v.replace(/\.$/, ''));
  const found = await Promise.all(names.map(async (h) => ((await ask(resolver, h, type)).values.some((a) => sameAddress(a, ip)) ? h : null)));
  return found.filter((h): h is string => h !== null);
}
