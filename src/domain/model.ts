/**
 * The record model: one canonical form per record so that comparing records is comparing strings.
 * Names are relative and lowercase (`@` for the apex); values are normalised per type
 * (see values.ts); TTL defaults as the provider's does; priority exists only for MX and SRV.
 */
import type { RecordType, DnsRecord, RecordInput } from '../api/types.js';
import { normaliseName } from './names.js';
import { normaliseValue, apiValue, inputValue, comparableValue } from './values.js';

export { normaliseName, fqdn, normaliseZone, isInZone } from './names.js';
export { normaliseValue } from './values.js';
export type { NormalisedValue } from './values.js';
export type { RecordType };

/**
 * The provider's types (contract: "Records"). Kept here rather than imported so that the domain
 * has no runtime dependency on the API layer; the check below keeps the two lists in step.
 */
export const SUPPORTED_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA'] as const satisfies readonly RecordType[];
type _SameTypes = [RecordType] extends [(typeof SUPPORTED_TYPES)[number]] ? true : never;
const _sameTypes: _SameTypes = true;

export interface RecordSpec {
  name: string;
  record_type: RecordType;
  value: string;
  ttl: number;
  priority: number | null;
}

export interface RecordInputLike {
  name: string;
  record_type: string;
  value: string;
  ttl?: number | undefined;
  priority?: number | null | undefined;
}

/** The provider's default (contract: "ttl (default 3600)"). */
export const DEFAULT_TTL = 3600;
export const MIN_TTL = 60;
/** One week: longer TTLs are capped by most resolvers anyway (RFC 8767 suggests 7 days). */
export const MAX_TTL = 604800;

export function hasPriority(type: string): boolean {
  return type === 'MX' || type === 'SRV';
}

/** `a`, ` mx ` -> `A`, `MX`; null when the provider does not support the type. */
export function parseRecordType(type: string): RecordType | null {
  const t = type.trim().toUpperCase();
  return (SUPPORTED_TYPES as readonly string[]).includes(t) ? (t as RecordType) : null;
}

/**
 * The canonical spec of an input. Call validateRecord first: an unknown type is kept as given
 * (uppercased) so that nothing throws, but the result is then not meaningful.
 */
export function normaliseRecord(input: RecordInputLike, zone: string): RecordSpec {
  const type = (parseRecordType(input.record_type) ?? input.record_type.trim().toUpperCase()) as RecordType;
  return {
    name: normaliseName(input.name, zone),
    record_type: type,
    value: normaliseValue(type, input.value, zone).value,
    ttl: input.ttl ?? DEFAULT_TTL,
    priority: hasPriority(type) ? (input.priority ?? null) : null,
  };
}

/** A record as a tool's caller gave it, in canonical form: its value read once by inputValue. Validate first. */
export function recordFromInput(input: RecordInputLike, zone: string): RecordSpec {
  const type = parseRecordType(input.record_type);
  return normaliseRecord({ ...input, value: type && typeof input.value === 'string' ? inputValue(type, input.value).value : input.value }, zone);
}

/** The value as the provider wants it (hostnames without trailing dot, TXT unquoted). */
export function toApiValue(spec: RecordSpec, _zone: string): string {
  return apiValue(spec.record_type, spec.value);
}

/** Identity for comparison: two records with the same key are the same record (TTL aside). */
export function recordKey(r: RecordSpec): string {
  const base = `${r.name}|${r.record_type}|${comparableValue(r.record_type, r.value)}`;
  return hasPriority(r.record_type) ? `${base}|${r.priority ?? ''}` : base;
}

/** A record as the provider returns it, in canonical form for diffing. */
export function toCurrentRecord(r: Pick<DnsRecord, 'uuid' | 'record_type' | 'name' | 'value' | 'ttl' | 'priority'>, zone: string): RecordSpec & { uuid: string } {
  return { ...normaliseRecord({ name: r.name, record_type: r.record_type, value: r.value, ttl: r.ttl, priority: r.priority ?? null }, zone), uuid: r.uuid };
}

/** The body the provider wants for a create/PUT of `spec` (priority only for MX/SRV). */
export function toRecordInput(spec: RecordSpec, zone: string): RecordInput {
  const name = spec.name.endsWith('.') ? spec.name.slice(0, -1) : spec.name;
  const body: RecordInput = { record_type: spec.record_type, name, value: toApiValue(spec, zone), ttl: spec.ttl };
  if (hasPriority(spec.record_type)) body.priority = spec.priority;
  return body;
}

/** The readings normalising took that the user should hear about (e.g. how a target was read). */
export function readingNotes(input: RecordInputLike, zone: string): string[] {
  const type = parseRecordType(input.record_type);
  if (!type || typeof input.value !== 'string') return [];
  const read = inputValue(type, input.value);
  return [...read.notes, ...normaliseValue(type, read.value, zone).notes];
}
