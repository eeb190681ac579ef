/**
 * Undo receipts: `vur1.` + base64url(payload JSON) + '.' + base64url(HMAC-SHA256). Keyed like the
 * confirm tokens (VPSORG_CONFIRM_SECRET, else the key beside the journal, else a per-process key: see
 * history/state.ts), under a label of its own so a
 * receipt is never a confirm token nor the reverse. A receipt names the zone, the before-state of
 * every record set the change touched and a digest of each set's after-state, so undo needs no
 * server state; a change too large for that keeps its sets in the journal entry, and the receipt
 * binds them by digest.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { confirmKey, digest } from '../safety/confirm.js';
import { UserError } from '../errors.js';
import type { RecordType } from '../domain/model.js';
import type { ChangeKind } from './summary.js';
import type { Row } from './sets.js';
import type { Provenance } from '../safety/undo-hold.js';
import type { Actor } from '../safety/scopes.js';

export const RECEIPT_TTL_MS = 30 * 24 * 3600_000;
/** Above this many characters of set data a receipt refers to its journal entry instead. */
export const MAX_INLINE_SETS = 6000;
const PREFIX = 'vur1';

export interface ReceiptSet {
  n: string;
  t: RecordType;
  /** The before-state: what undo restores. */
  b: Row[];
  /** Digest of the after-state (setDigest). */
  a: string;
}

export interface Receipt {
  v: 1;
  id: string;
  tool: string;
  zone: { uuid: string; domain: string };
  kind: ChangeKind;
  at: number;
  exp: number;
  /** Who asked for the change (signed with the rest). */
  actor?: Actor;
  /** The sets, inline; absent when they live in the journal entry (then `ref`). */
  sets?: ReceiptSet[];
  ref?: { journal: true; sets: string };
  /** How the change was made (client channel, and what confirmed it if it was held): its undo asks for the same (safety/undo-hold.ts). */
  via?: Provenance;
}

export function newChangeId(): string {
  return `chg_${randomBytes(9).toString('base64url')}`;
}

function key(secret: string | undefined): Buffer {
  return createHmac('sha256', confirmKey(secret)).update('vpsorg-dns-mcp undo-receipt v1').digest();
}

/** Builds the receipt; with `journaled`, large set data stays in the journal and the receipt binds it by digest. */
export function makeReceipt(base: Omit<Receipt, 'v' | 'exp' | 'sets' | 'ref'>, sets: ReceiptSet[], journaled: boolean): Receipt {
  const exp = base.at + RECEIPT_TTL_MS;
  const inline = JSON.stringify(sets).length <= MAX_INLINE_SETS || !journaled;
  return inline ? { v: 1, ...base, exp, sets } : { v: 1, ...base, exp, ref: { journal: true, sets: digest(sets) } };
}

export function signReceipt(secret: string | undefined, r: Receipt): string {
  const body = Buffer.from(JSON.stringify(r)).toString('base64url');
  return `${PREFIX}.${body}.${createHmac('sha256', key(secret)).update(body).digest('base64url')}`;
}

export function refused(reason: string, message: string, hint: string): UserError {
  return new UserError(`Receipt refused, nothing was changed: ${message}`, { code: 'receipt_refused', field: 'receipt', hint, details: { reason } });
}

const B64 = /^[A-Za-z0-9_-]+$/;

/** Checks signature, shape and age; throws receipt_refused naming the reason. No request is made. */
export function verifyReceipt(secret: string | undefined, text: string, now: number): Receipt {
  const [prefix, body, sig, ...rest] = text.trim().split('.');
  if (prefix !== PREFIX || !body || !sig || rest.length || !B64.test(body) || !B64.test(sig) || body.length > 200_000) {
    throw refused('malformed', 'this is not an undo receipt this server issued.', 'Pass the receipt exactly as the change returned it, or its change_id.');
  }
  const want = createHmac('sha256', key(secret)).update(body).digest();
  const got = Buffer.from(sig, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    throw refused(
      'forged',
      'it failed its integrity check: it was altered, or signed with another key (another VPSORG_CONFIRM_SECRET, or a server restarted without one).',
      'Use the change_id with the server that made the change, or set the same VPSORG_CONFIRM_SECRET on every replica.',
    );
  }
  let r: Receipt;
  try {
    r = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Receipt;
  } catch {
    throw refused('malformed', 'its content is not readable.', 'Pass the receipt exactly as the change returned it.');
  }
  if (r?.v !== 1 || typeof r.exp !== 'number' || typeof r.zone?.uuid !== 'string' || (!Array.isArray(r.sets) && !r.ref)) {
    throw refused('malformed', 'its content is not a receipt of this version.', 'Pass the receipt exactly as the change returned it.');
  }
  if (r.exp <= now) {
    throw refused('expired', `it expired at ${new Date(r.exp).toISOString()} (receipts last 30 days).`, 'Compare the zone with the change by hand (list_changes shows it) and use apply_zone.');
  }
  return r;
}
