import type { DnsRecord, VpsApi } from '../../api/types.js';
import type { Change } from '../../domain/diff.js';
import { executeChange } from './changes.js';
import type { ZoneRef } from './resolve.js';

export interface ApplyReport {
  applied: Change[];
  failed: Array<{ change: Change; message: string; cause: unknown }>;
  notApplied: Change[];
  records: DnsRecord[];
}

export interface ApplyOptions {
  /** Writes in flight at once within a phase (the client still honours 429s). */
  concurrency?: number;
  put?: boolean;
  onProgress?: (done: number, total: number) => void | Promise<void>;
  signal?: AbortSignal;
}

/** Deletes (NS first), creates (NS last: after their glue), updates; each phase ends before the next starts. */
const isNs = (c: Change) => (c.action === 'create' ? c.after : c.before).record_type === 'NS';
const PHASES: Array<(c: Change) => boolean> = [
  (c) => c.action === 'delete' && isNs(c),
  (c) => c.action === 'delete' && !isNs(c),
  (c) => c.action === 'create' && !isNs(c),
  (c) => c.action === 'create' && isNs(c),
  (c) => c.action === 'update',
];

/**
 * Executes a plan in phases, deletes then creates then updates, each phase finishing before the
 * next: so a CNAME that replaces other records is only created once they are gone, an NS record
 * never outlives or precedes its in-zone glue, and the zone is never invalid mid-way. Within a phase, up to `concurrency` writes run at once. At the first
 * failure no new write starts; the in-flight ones finish, and the report says exactly what was
 * and was not applied.
 */
export async function applyPlan(api: VpsApi, zone: ZoneRef, changes: Change[], opts: ApplyOptions = {}): Promise<ApplyReport> {
  const report: ApplyReport = { applied: [], failed: [], notApplied: [], records: [] };
  const limit = Math.max(1, opts.concurrency ?? 1);
  let done = 0;
  for (const phase of PHASES) {
    const queue = changes.filter(phase);
    if (report.failed.length || opts.signal?.aborted) {
      report.notApplied.push(...queue);
      continue;
    }
    let next = 0;
    const worker = async () => {
      while (next < queue.length && !report.failed.length && !opts.signal?.aborted) {
        const change = queue[next++] as Change;
        try {
          const rec = await executeChange(api, zone, change, opts.put ? { put: true } : {});
          if (rec) report.records.push(rec);
          report.applied.push(change);
          await opts.onProgress?.(++done, changes.length);
        } catch (err) {
          report.failed.push({ change, message: err instanceof Error ? err.message : String(err), cause: err });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
    report.notApplied.push(...queue.slice(next));
  }
  return report;
}
