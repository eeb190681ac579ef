/**
 * Finds what to undo: a receipt given directly, or the one a change_id names in the journal. Every
 * check here runs before any request to the provider.
 */
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import { digest } from '../safety/confirm.js';
import { journalFor, type ChangeEntry, type Entry, type PendingEntry, type UndoneEntry } from './journal.js';
import { refuseUnknown } from './open-writes.js';
import { refused, verifyReceipt, type Receipt, type ReceiptSet } from './receipt.js';
import { boundAfter, keyAdvice } from './evidence.js';
import type { Row } from './sets.js';

export interface UndoSource {
  receipt: Receipt;
  sets: ReceiptSet[];
  /** Each set's after-state, when the journal has it. */
  after: Map<string, Row[]> | undefined;
  /** The undo that already took it back, per the journal. */
  undoneBy: string | undefined;
}

async function journalEntries(config: Config, id: string | undefined, needed: boolean): Promise<Entry[]> {
  const journal = journalFor(config);
  if (!journal) {
    if (!needed) return [];
    throw new UserError(`No change journal is kept here (${config.journalOff ? 'VPSORG_JOURNAL=off' : 'no state directory'}), so a change_id cannot be looked up.`, {
      code: 'journal_unavailable',
      field: 'change_id',
      hint: config.journalOff
        ? 'Changes made with the journal off left no undo record: take one back by hand from the `before` of its changes (apply_zone), or turn the journal on (VPSORG_JOURNAL=on) for changes to come.'
        : 'Pass the `receipt` the change returned instead (structuredContent.undo.receipt), or set VPSORG_JOURNAL_DIR.',
    });
  }
  try {
    return id === undefined ? [] : await journal.find(id);
  } catch (err) {
    if (!needed) return [];
    throw new UserError(`The change journal could not be read: ${err instanceof Error ? err.message : String(err)}.`, { code: 'journal_unavailable', field: 'change_id', hint: 'Pass the `receipt` the change returned instead.' });
  }
}

/** The change id a receipt claims, unverified: only to find its journal entry (verified() checks it). */
function receiptId(text: string | undefined): string | undefined {
  try {
    const id = (JSON.parse(Buffer.from(text?.split('.')[1] ?? '', 'base64url').toString('utf8')) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** As verifyReceipt, with advice for a foreign key that fits how this server is keyed. */
function verified(config: Config, text: string, now: number): Receipt {
  try {
    return verifyReceipt(config.confirmSecret, text, now);
  } catch (err) {
    if (!(err instanceof UserError && err.details?.['reason'] === 'forged')) throw err;
    const { why, todo } = keyAdvice(config);
    throw refused('forged', `it failed its integrity check: it was altered, or ${why}.`, todo);
  }
}

export async function undoSource(config: Config, args: { change_id?: string | undefined; receipt?: string | undefined }, now: number): Promise<UndoSource> {
  const entries = await journalEntries(config, args.change_id ?? receiptId(args.receipt), args.receipt === undefined);
  const find = (id: string) => entries.find((e): e is ChangeEntry & Entry => e.type === 'change' && e.change_id === id);
  let text = args.receipt;
  if (text === undefined) {
    const entry = find(args.change_id as string);
    const pending = entries.find((e): e is PendingEntry & Entry => e.type === 'pending' && e.change_id === args.change_id);
    if (!entry && pending && !entries.some((e) => e.type === 'settled' && e.outcome === 'none')) throw refuseUnknown(pending);
    if (!entry) {
      throw new UserError(`No change ${args.change_id} in the journal (${journalFor(config)?.where ?? 'none'}).`, { code: 'not_found', field: 'change_id', hint: 'list_changes shows the recorded changes; or pass the receipt.' });
    }
    text = entry.receipt;
  }
  const receipt = verified(config, text, now);
  if (args.change_id !== undefined && args.change_id !== receipt.id) {
    throw refused('other_change', `it is the receipt of ${receipt.id}, not of ${args.change_id}.`, 'Pass either change_id or receipt, or both for the same change.');
  }
  const entry = find(receipt.id);
  let sets = receipt.sets;
  if (!sets) {
    // A large change: its sets are in the journal entry, bound to the receipt by their digest.
    if (!entry?.sets || digest(entry.sets) !== receipt.ref?.sets) {
      throw refused('journal_mismatch', `its record sets live in journal entry ${receipt.id}, which is ${entry ? 'not the one the receipt was signed for (edited)' : 'not in this journal'}.`, 'Run the undo where the change was made (same VPSORG_JOURNAL_DIR), or restore from a snapshot.');
    }
    sets = entry.sets as ReceiptSet[];
  }
  // The journal's after-state is shown in conflicts only where the receipt's digest vouches for it.
  const after = entry?.after ? boundAfter(entry, sets).rows : undefined;
  const undone = entries.filter((e): e is UndoneEntry & Entry => e.type === 'undone' && e.change_id === receipt.id && !e.partial).at(-1);
  return { receipt, sets, after, undoneBy: undone?.by };
}
