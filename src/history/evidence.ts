/**
 * Whether a journal entry holds up here: its receipt verifies with this server's key, and the
 * entry says what the receipt signed (the same change, zone and tool; set data and after-state
 * matching the digests the receipt keeps). The chain shows an entry was not edited since it was
 * written; the receipt shows it was written by a server holding the signing key.
 */
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import { digest } from '../safety/confirm.js';
import type { ChangeEntry } from './journal.js';
import { verifyReceipt, type Receipt, type ReceiptSet } from './receipt.js';
import { setDigest, setKeyOf, specsOf, type Row } from './sets.js';

export type KeyConfig = Pick<Config, 'confirmSecret' | 'keyFile'>;

/** Why a receipt this server did not sign is refused, and what the user can do about it. */
export function keyAdvice(config: KeyConfig): { why: string; todo: string } {
  if (config.keyFile) {
    return {
      why: `it was signed with another key than this server's (${config.keyFile}): made while VPSORG_CONFIRM_SECRET was set, or before that file was replaced`,
      todo: 'Run the undo with the VPSORG_CONFIRM_SECRET that was set when the change was made, or put back the old values by hand (the journal entry lists each change old -> new).',
    };
  }
  if (config.confirmSecret) {
    return {
      why: 'it was signed with another key than this VPSORG_CONFIRM_SECRET: made under another secret, or with none set (then with the state.key beside the journal)',
      todo: 'Run the undo with the secret that was in use when the change was made (unset VPSORG_CONFIRM_SECRET if there was none), or put back the old values by hand.',
    };
  }
  return {
    why: 'it was signed by another server process, and this one keeps no key that outlives it (no journal directory, and no VPSORG_CONFIRM_SECRET)',
    todo: 'Set VPSORG_CONFIRM_SECRET (16+ characters), or give the server a journal directory (HOME or VPSORG_JOURNAL_DIR), so that later changes can be undone after a restart; put this one back by hand.',
  };
}

/** The entry's after-state rows, keyed by set, kept only where they match the receipt's digest. */
export function boundAfter(entry: Pick<ChangeEntry, 'after'> | undefined, sets: readonly ReceiptSet[]): { rows: Map<string, Row[]>; mismatched: number } {
  const want = new Map(sets.map((s) => [setKeyOf({ name: s.n, record_type: s.t }), s]));
  const rows = new Map<string, Row[]>();
  let mismatched = 0;
  for (const a of entry?.after ?? []) {
    const set = want.get(setKeyOf({ name: a.n, record_type: a.t as ReceiptSet['t'] }));
    if (set && setDigest(specsOf({ name: set.n, record_type: set.t }, a.rows as Row[])) === set.a) rows.set(setKeyOf({ name: set.n, record_type: set.t }), a.rows as Row[]);
    else mismatched++;
  }
  return { rows, mismatched };
}

export type Finding = { kind: 'edited' | 'key' | 'expired'; why: string };

/** Null when the entry holds up; else what is wrong with it, and whether that is tampering (edited) or only this server's key or the receipt's age. */
export function checkEntry(config: KeyConfig, e: ChangeEntry, now: number): Finding | null {
  let r: Receipt;
  try {
    r = verifyReceipt(config.confirmSecret, e.receipt, now);
  } catch (err) {
    const reason = err instanceof UserError ? err.details?.['reason'] : undefined;
    if (reason === 'forged') return { kind: 'key', why: `its receipt cannot be verified here: ${keyAdvice(config).why}` };
    if (reason === 'expired') return { kind: 'expired', why: 'its receipt expired (receipts last 30 days); undo_change refuses it' };
    return { kind: 'edited', why: 'its receipt is not readable (edited)' };
  }
  if (r.id !== e.change_id || r.tool !== e.tool || r.zone.uuid !== e.zone.uuid || r.zone.domain !== e.zone.domain) return { kind: 'edited', why: 'it does not describe the change its receipt signed (edited)' };
  if (r.ref && digest(e.sets) !== r.ref.sets) return { kind: 'edited', why: 'its record sets do not match the digest its receipt signed (edited)' };
  const sets = r.sets ?? (e.sets as ReceiptSet[]);
  if (boundAfter(e, sets).mismatched) return { kind: 'edited', why: 'its after-state does not match the digest its receipt signed (edited)' };
  return null;
}
