/**
 * The journal's hash chain: each entry's `hash` is an HMAC (keyed with the journal's state.key)
 * of its content, which includes the hash of the entry before (`prev`). A plain hash would only
 * show accidental damage: whoever rewrote an entry could recompute every hash after it. Keyed,
 * a rewritten and re-chained journal fails verification unless the rewriter also had the key.
 */
import { createHmac } from 'node:crypto';
import { redact } from '../../log.js';
import { canonicalJson } from '../../safety/confirm.js';
import type { Entry, NewEntry } from '../journal.js';

export const GENESIS = 'genesis';

export function chainKey(stateKey: string): Buffer {
  return createHmac('sha256', stateKey).update('vpsorg-dns-mcp journal-chain v1').digest();
}

export function entryMac(key: Buffer, body: object): string {
  return createHmac('sha256', key).update(canonicalJson(body)).digest('hex');
}

/**
 * The entry as every journal keeps it: secrets redacted, chained to `prev`, and its MAC. The one
 * place an entry is sealed, so the file journal, the PostgreSQL one and an import agree byte for byte.
 */
export function sealEntry(key: Buffer, entry: NewEntry, prev: string): Entry {
  const body = JSON.parse(redact(JSON.stringify({ ...entry, prev }))) as Omit<Entry, 'hash'>;
  return { ...body, hash: entryMac(key, body) } as Entry;
}

/** Checks entries one at a time, in file order, so a reader can check only what was appended since it last looked. */
export class ChainCheck {
  problems: string[] = [];
  count = 0;
  /** The hash of the last entry checked; undefined before the first. */
  last: string | undefined;
  /** The first entry's `prev` when it is not the genesis: the journal continues one rotated out of this file. */
  continuesFrom: string | undefined;

  constructor(private readonly key: Buffer) {}

  feed(e: Entry): void {
    this.count++;
    const { hash, ...body } = e;
    const at = `entry ${this.count} (${e.change_id})`;
    if (entryMac(this.key, body) !== hash) this.problems.push(`${at}: its content does not match its hash (edited, or written with another key than this journal's state.key)`);
    if (this.last === undefined) {
      if (e.prev !== GENESIS) this.continuesFrom = e.prev;
    } else if (e.prev !== this.last) {
      this.problems.push(`${at}: does not follow the entry before it (an entry was removed, reordered or inserted)`);
    }
    this.last = hash;
  }
}
