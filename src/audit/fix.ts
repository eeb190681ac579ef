/**
 * The call that fixes a finding (issue 25.5), for the zone's own findings and the live ones alike:
 * the exact tool call that makes the change, always a dry run first, so the agent's next call is
 * the fix and the gate judges it like any other change; or an instruction where the fix needs a
 * person's judgment or lies outside VPS.org. Values come from the zone's own records only.
 */
import { handOffValue } from '../domain/values.js';
import type { RecordType } from '../domain/model.js';
import type { AuditRecord } from './types.js';

/** A fix call's argument: a scalar, or apply_zone's records (flat objects of scalars). */
export type FixScalar = string | number | boolean | null;
export type FixArg = FixScalar | Array<Record<string, FixScalar>>;

export type FixTool = 'apply_zone' | 'delete_record' | 'create_record' | 'update_ttl';
export type FixCall = { tool: FixTool; arguments: Record<string, FixArg>; tradeoff?: string } | { instruction: string };

/** A type, not an interface: it must fit a fix call's argument (an object of scalars). */
export type DesiredRecord = {
  name: string;
  record_type: string;
  value: string;
  ttl?: number;
  priority?: number | null;
};

/** The provider's default TTL, for a set the zone does not hold yet. */
export { DEFAULT_TTL } from '../domain/model.js';

const call = (tool: FixTool, args: Record<string, FixArg>, tradeoff?: string): FixCall => ({ tool, arguments: { ...args, dry_run: true }, ...(tradeoff ? { tradeoff } : {}) });

export const instruction = (text: string): FixCall => ({ instruction: text });

/** Deletes exactly this record (name, type and value pick it; the gate asks to confirm). */
export function deleteFix(zone: string, r: Pick<AuditRecord, 'name' | 'record_type' | 'value'>, tradeoff?: string): FixCall {
  return call('delete_record', { zone, name: r.name, record_type: r.record_type, value: r.value }, tradeoff);
}

/** Deletes every record at name + type (e.g. a whole delegation). */
export function deleteSetFix(zone: string, name: string, type: string, tradeoff: string): FixCall {
  return call('delete_record', { zone, name, record_type: type, whole_set: true }, tradeoff);
}

/** Adds one record beside those at its name (create_record leaves the others alone). */
export function createFix(zone: string, r: DesiredRecord, tradeoff?: string): FixCall {
  return call('create_record', { zone, ...r, value: handOffValue(r.record_type as RecordType, r.value) }, tradeoff);
}

/** One TTL for a whole record set (RFC 2181 5.2). */
export function ttlFix(zone: string, name: string, type: string, ttl: number, tradeoff?: string): FixCall {
  return call('update_ttl', { zone, name, record_type: type, ttl }, tradeoff);
}

/**
 * apply_zone, mode upsert: each (name, type) set it names ends up exactly the records listed, so
 * the records of a set that stay are listed too (a site-verification TXT beside the SPF record).
 * A TXT text that apply_zone would read as zone-file quoting is handed off quoted, so a kept
 * record stays byte for byte what it is. Upsert cannot empty a set: list at least one record.
 */
export function upsertFix(zone: string, records: DesiredRecord[], tradeoff?: string): FixCall {
  const out = records.map((r) => ({ ...r, value: handOffValue(r.record_type as RecordType, r.value) }));
  return call('apply_zone', { zone, records: out, mode: 'upsert' }, tradeoff);
}

/** The fix as one line of text. */
export function fixText(f: FixCall): string {
  if ('instruction' in f) return f.instruction;
  return `${f.tool} ${JSON.stringify(f.arguments)}${f.tradeoff ? ` (trade-off: ${f.tradeoff})` : ''}`;
}
