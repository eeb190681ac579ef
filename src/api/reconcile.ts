import type { DnsRecord, RecordInput } from './types.js';

/**
 * Matching a record we tried to write against what the provider holds, for reading back after a
 * lost answer. Names and hostnames are compared as DNS does: case-insensitively, trailing dot
 * ignored, `@`/the zone apex/an FQDN inside the zone all meaning the same node.
 */
const HOST_VALUE_TYPES = new Set(['CNAME', 'MX', 'NS']);

const host = (v: string) => v.trim().toLowerCase().replace(/\.$/, '');

/** A record name relative to `zone` ('@' for the apex); without a zone, only case and dot are folded. */
export function normaliseName(name: string, zone?: string): string {
  const n = host(name);
  if (n === '' || n === '@') return '@';
  if (zone === undefined) return n;
  const z = host(zone);
  if (n === z) return '@';
  return n.endsWith(`.${z}`) ? n.slice(0, -(z.length + 1)) : n;
}

export function normaliseValue(recordType: string, value: string): string {
  const v = value.trim();
  const type = recordType.toUpperCase();
  if (HOST_VALUE_TYPES.has(type)) return host(v);
  if (type === 'SRV') {
    const parts = v.split(/\s+/);
    const target = parts.pop();
    return [...parts, host(target ?? '')].join(' ');
  }
  if (type === 'CAA') {
    const m = /^(\d+)\s+(\S+)\s+(.*)$/.exec(v);
    return m ? `${m[1]} ${(m[2] ?? '').toLowerCase()} ${m[3]}` : v;
  }
  if (type === 'AAAA') {
    // The WHATWG URL parser canonicalises IPv6 (2001:0db8::1 -> 2001:db8::1).
    try { return new URL(`http://[${v}]/`).hostname.slice(1, -1); } catch { return v.toLowerCase(); }
  }
  return v;
}

/** An unset priority matches anything: the provider may store null or 0 for types without one. */
function samePriority(wanted: number | null | undefined, held: number | null | undefined): boolean {
  return wanted === undefined || wanted === null || wanted === held;
}

/** Does `held` (in zone `zone`) hold what `wanted` asked to create? */
export function sameRecord(wanted: RecordInput, held: DnsRecord, zone: string): boolean {
  return wanted.record_type.toUpperCase() === held.record_type.toUpperCase()
    && normaliseName(wanted.name, zone) === normaliseName(held.name, zone)
    && normaliseValue(wanted.record_type, wanted.value) === normaliseValue(held.record_type, held.value)
    && samePriority(wanted.priority, held.priority);
}

/** Do all the fields a PATCH asked for already hold the requested values? */
export function patchApplied(patch: Partial<RecordInput>, held: DnsRecord): boolean {
  const type = patch.record_type ?? held.record_type;
  if (patch.record_type !== undefined && patch.record_type.toUpperCase() !== held.record_type.toUpperCase()) return false;
  if (patch.name !== undefined && normaliseName(patch.name) !== normaliseName(held.name)) return false;
  if (patch.value !== undefined && normaliseValue(type, patch.value) !== normaliseValue(held.record_type, held.value)) return false;
  if (patch.ttl !== undefined && patch.ttl !== held.ttl) return false;
  if (patch.priority !== undefined && (patch.priority ?? null) !== (held.priority ?? null)) return false;
  return true;
}
