/**
 * Writes whose outcome the journal does not know: a `pending` entry that nothing completed (the
 * server stopped, or lost its store, between the request to VPS.org and the journal entry; or the
 * write is still running on some replica), or one settled as `unknown` (the answer was lost, and
 * nothing proved whether it was applied). list_changes shows them as such, with what was asked; undo refuses them.
 */
import { UserError } from '../errors.js';
import type { Entry, PendingEntry, SettledEntry } from './journal.js';
import type { ChangeItem } from './listing.js';

/** The longest `asked` shown in a list row. */
const ASKED_CHARS = 300;

/** Pending ids whose outcome is unknown, with the settled entry that says so (undefined: never completed). */
export function openWrites(entries: readonly Entry[]): Map<string, SettledEntry | undefined> {
  const open = new Map<string, SettledEntry | undefined>();
  for (const e of entries) {
    if (e.type === 'pending') open.set(e.change_id, undefined);
    else if (e.type === 'settled' && e.outcome === 'none') open.delete(e.change_id);
    else if (e.type === 'settled') open.set(e.change_id, e);
    else if (e.type === 'change' && e.pending && !open.get(e.pending)) open.delete(e.pending);
  }
  return open;
}

function askedText(asked: unknown): string {
  const text = JSON.stringify(asked) ?? '';
  return text.length > ASKED_CHARS ? `${text.slice(0, ASKED_CHARS)}...` : text;
}

export function unknownItem(e: PendingEntry, settled: SettledEntry | undefined): ChangeItem {
  const why = settled?.why ? 'sent, but its answer was lost and nothing proved whether it was applied' : 'cut off before the journal recorded its outcome (still running, or the server stopped mid-write)';
  return {
    change_id: e.change_id,
    time: e.time,
    tool: e.tool,
    zone: e.zone?.domain ?? '(unknown zone)',
    summary: `outcome unknown: ${e.tool} was ${why}; check the zone`,
    records: [],
    undone: false,
    status: 'unknown',
    asked: askedText(e.asked),
  };
}

/** undo_change of such a write: refused, with what was asked, since the journal cannot say what to take back. */
export function refuseUnknown(e: PendingEntry): UserError {
  return new UserError(`Change ${e.change_id} cannot be undone: its outcome is unknown. ${e.tool} sent its change to VPS.org at ${e.time}, but the journal has no record of what was applied under this id (the server stopped mid-write, or the answer was lost; a write that finished since is listed under a change_id of its own). Nothing was changed now.`, {
    code: 'outcome_unknown',
    field: 'change_id',
    hint: `Compare the zone${e.zone ? ` ${e.zone.domain}` : ''} (list_records) with what was asked, ${askedText(e.asked)}, and put back by hand what you do not want.`,
  });
}
