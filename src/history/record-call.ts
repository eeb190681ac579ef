/**
 * After a write tool ran: one receipt and one journal entry per zone it changed. Called by runTool
 * for every tool that is not read-only, on success and on a failure part-way (what was applied
 * then still gets a receipt). The journal is best effort: a receipt works without it.
 */
import * as z from 'zod';
import type { Config } from '../config.js';
import { log } from '../log.js';
import { changeOutOf } from '../domain/change-json.js';
import { journalFor, type ClientInfo, type JournalStore } from './journal.js';
import { makeReceipt, newChangeId, signReceipt, type ReceiptSet } from './receipt.js';
import { rowsOf, setDigest } from './sets.js';
import { summarize, type ZoneChange } from './summary.js';
import type { WriteRecorder } from './recorder.js';
import type { Channel } from '../safety/channel.js';
import type { Provenance } from '../safety/undo-hold.js';
import type { Actor } from '../safety/scopes.js';

export const undoOut = z
  .object({
    change_id: z.string().describe('Pass to undo_change (or `vpsorg-dns-mcp undo <id>`) to take this change back; list_changes shows it.'),
    receipt: z.string().describe('Signed, self-contained: undo_change accepts it even where the journal is not available.'),
    sets_in: z.enum(['receipt', 'journal']).describe('journal: the change was too large for a compact receipt; the receipt refers to its journal entry.'),
    journal: z.string().optional().describe('Why the journal entry was not written, when it was not.'),
  })
  .describe('How to take this change back.');
export type UndoOut = z.infer<typeof undoOut>;

export interface CallInfo {
  tool: string;
  client?: ClientInfo | undefined;
  /** Who asked (safety/scopes.ts Actor): recorded in the journal entry and the receipt. */
  actor?: Actor | undefined;
  /** Set by undo_change: the change this call undoes. */
  undoes?: string | undefined;
  partial?: boolean | undefined;
  /** Set by the gate: the channel that confirmed the change, when it was held. */
  confirmed?: Channel | undefined;
  /** Set by the gate: the second person who approved it on the approval page (VPSORG_REQUIRE_DISTINCT_APPROVER). */
  approver?: Actor | undefined;
  /** The call's pending entry (pending.ts), which its change entries complete. */
  pending?: string | undefined;
}

export function summaryLine(c: ZoneChange): string {
  const n = (a: string) => c.changes.filter((x) => x.action === a).length;
  const what = c.kind === 'zone_created' ? 'created the zone' : c.kind === 'zone_deleted' ? 'deleted the zone' : 'changed';
  return `${what} ${c.zone.domain}: ${c.sets.length} record set(s); ${n('create')} created, ${n('update')} updated, ${n('delete')} deleted`;
}

function receiptSets(c: ZoneChange): ReceiptSet[] {
  return c.sets.map((s) => ({ n: s.name, t: s.record_type, b: rowsOf(s.before), a: setDigest(s.after) }));
}

/** The client channel and the confirmation, for the receipt (signed: an undo reads it, safety/undo-hold.ts). */
function viaOf(info: CallInfo): { via?: Provenance } {
  const { transport, key_id } = info.client ?? {};
  const via: Provenance = { ...(transport ? { transport } : {}), ...(key_id ? { key_id } : {}), ...(info.confirmed ? { confirmed: info.confirmed } : {}) };
  return Object.keys(via).length ? { via } : {};
}

async function recordZone(config: Config, journal: JournalStore | undefined, c: ZoneChange, info: CallInfo): Promise<UndoOut> {
  const at = Date.now();
  const id = newChangeId();
  const sets = receiptSets(c);
  const receipt = makeReceipt({ id, tool: info.tool, zone: c.zone, kind: c.kind, at, ...viaOf(info), ...(info.actor ? { actor: info.actor } : {}) }, sets, journal !== undefined);
  const signed = signReceipt(config.confirmSecret, receipt);
  const out: UndoOut = { change_id: id, receipt: signed, sets_in: receipt.sets ? 'receipt' : 'journal' };
  if (!journal) return { ...out, journal: 'off (no state directory: no HOME, XDG_STATE_HOME or VPSORG_JOURNAL_DIR): keep the receipt' };
  try {
    const time = new Date(at).toISOString();
    await journal.append({
      type: 'change',
      change_id: id,
      time,
      tool: info.tool,
      ...(info.client ? { client: info.client } : {}),
      ...(info.actor ? { actor: info.actor } : {}),
      zone: c.zone,
      kind: c.kind,
      summary: summaryLine(c),
      changes: c.changes.map(changeOutOf),
      receipt: signed,
      ...(receipt.sets ? {} : { sets }),
      after: c.sets.map((x) => ({ n: x.name, t: x.record_type, rows: rowsOf(x.after) })),
      ...(info.undoes ? { undoes: info.undoes } : {}),
      ...(info.confirmed ? { confirmed_by: info.confirmed } : {}),
      ...(info.approver ? { approved_by: info.approver } : {}),
      ...(info.pending ? { pending: info.pending } : {}),
    });
    if (info.undoes) await journal.append({ type: 'undone', change_id: info.undoes, time, by: id, ...(info.partial ? { partial: true } : {}) });
    return out;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    log.warn(`journal: could not record ${id} in ${journal.where}: ${why}`);
    if (!receipt.sets) return { ...signedInline(config, c, info, id, at, sets), journal: `not written (${why}); the receipt carries the change in full` };
    return { ...out, journal: `not written (${why}); keep the receipt` };
  }
}

/** Without its journal entry a large receipt could not be used: sign one with the sets inline instead. */
function signedInline(config: Config, c: ZoneChange, info: CallInfo, id: string, at: number, sets: ReceiptSet[]): UndoOut {
  const receipt = makeReceipt({ id, tool: info.tool, zone: c.zone, kind: c.kind, at, ...viaOf(info), ...(info.actor ? { actor: info.actor } : {}) }, sets, false);
  return { change_id: id, receipt: signReceipt(config.confirmSecret, receipt), sets_in: 'receipt' };
}

/**
 * Closes the call's pending entry where its change entries do not: no change was made, or a
 * write's outcome stayed unknown (list_changes then shows it as such, and undo refuses it).
 */
async function settle(journal: JournalStore, pending: string, recorded: number, unknown: readonly string[]): Promise<void> {
  if (recorded && !unknown.length) return;
  const time = new Date().toISOString();
  const entry = unknown.length ? { outcome: 'unknown' as const, why: unknown[0] as string } : { outcome: 'none' as const };
  await journal.append({ type: 'settled', change_id: pending, time, ...entry }).catch((err: unknown) => {
    log.warn(`journal: could not settle ${pending} in ${journal.where}: ${err instanceof Error ? err.message : String(err)}`);
  });
}

/** The receipts of what `rec` saw applied; the first is the call's `undo`, the text has one line each. */
export async function recordCall(config: Config, rec: WriteRecorder, info: CallInfo): Promise<{ undo?: UndoOut; lines: string[] }> {
  // Off by choice: no history, and no receipt of ~600 bytes in every result either; the result's diff
  // (each change's `before`) is what taking a change back by hand needs.
  if (config.journalOff) return { lines: [] };
  const changes = (await rec.result()).map(summarize).filter((c): c is ZoneChange => c !== null);
  const journal = journalFor(config);
  const outs: UndoOut[] = [];
  for (const c of changes) outs.push(await recordZone(config, journal, c, info));
  if (journal && info.pending) await settle(journal, info.pending, outs.length, rec.unknown);
  const lines = outs.map((u, i) => {
    const c = changes[i] as ZoneChange;
    const tail = u.journal ? ` Journal ${u.journal}; receipt: ${u.receipt}` : '';
    return `Undo: change_id ${u.change_id} (${c.zone.domain}; undo_change takes it back).${tail}`;
  });
  return { ...(outs[0] ? { undo: outs[0] } : {}), lines };
}
