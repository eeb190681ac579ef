/**
 * The fix every live finding carries (issue 25.5): the exact call that makes the change, always a
 * preview first (dry_run: true), so the agent's next call is the fix and the gate judges it like
 * any other change; or an instruction when the fix lies outside VPS.org.
 */
import type { AuditRecord } from '../types.js';
import type { LiveFix } from './types.js';

/** Deletes exactly this record (name, type and value pick it; the gate asks to confirm). */
export function deleteFix(zone: string, r: AuditRecord, tradeoff?: string): LiveFix {
  const args = { zone, name: r.name, record_type: r.record_type, value: r.value, dry_run: true };
  return tradeoff ? { tool: 'delete_record', arguments: args, tradeoff } : { tool: 'delete_record', arguments: args };
}

/** Deletes every record at name + type (e.g. a whole delegation). */
export function deleteSetFix(zone: string, name: string, type: string, tradeoff: string): LiveFix {
  return { tool: 'delete_record', arguments: { zone, name, record_type: type, whole_set: true, dry_run: true }, tradeoff };
}

/** Makes each (name, record_type) set hold exactly the records given (apply_zone upsert). */
export function upsertFix(zone: string, records: Array<{ name: string; record_type: string; value: string; ttl?: number; priority?: number | null }>): LiveFix {
  return { tool: 'apply_zone', arguments: { zone, mode: 'upsert', records, dry_run: true } };
}

export const instruction = (text: string): LiveFix => ({ instruction: text });

/** The fix as one line of text. */
export function fixText(f: LiveFix): string {
  if ('instruction' in f) return f.instruction;
  return `${f.tool} ${JSON.stringify(f.arguments)}${f.tradeoff ? ` (trade-off: ${f.tradeoff})` : ''}`;
}
