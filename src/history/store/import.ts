/**
 * `journal import`: a file journal (a folder, with its rotated files, or one file) copied once into
 * the shared journal. The file chain is checked first with the state.key beside it; a broken one is
 * not imported. Each entry is then re-chained under the shared journal's key (chain.ts) with its
 * content unchanged, so its receipt still verifies under the same secret, and it remembers the hash
 * it had in the file (`origin`), so importing the same journal again adds nothing.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ChainCheck, chainKey } from './chain.js';
import { FileJournal } from './file-journal.js';
import { readAll } from './journal-lines.js';
import { readStateKey } from './state-key.js';
import type { PgJournal } from './pg-journal.js';
import type { Entry } from '../journal.js';

export interface ImportReport {
  /** Entries read from the file journal. */
  read: number;
  added: number;
  /** What prevents the import (a broken chain, no key): nothing was imported. */
  problems: string[];
  /** The first file entry follows one rotated out of what was read. */
  partial: boolean;
}

async function readSource(path: string): Promise<{ entries: Entry[]; problems: string[]; partial: boolean }> {
  const folder = (await stat(path)).isDirectory();
  const dir = folder ? path : dirname(path);
  const key = await readStateKey(dir);
  if (!key) return { entries: [], problems: [`${dir} has no state.key: the file journal's chain cannot be checked (its key lives beside it)`], partial: false };
  if (folder) {
    const entries: Entry[] = [];
    const r = await new FileJournal(dir).verify((e) => entries.push(e));
    return { entries, problems: r.problems, partial: r.rotatedOut === true };
  }
  const read = await readAll(path);
  const check = new ChainCheck(chainKey(key));
  for (const e of read?.entries ?? []) check.feed(e);
  const problems = read ? check.problems : [`${basename(path)} cannot be read`];
  return { entries: read?.entries ?? [], problems, partial: check.continuesFrom !== undefined };
}

export async function importJournal(path: string, into: PgJournal): Promise<ImportReport> {
  const src = await readSource(path);
  if (src.problems.length) return { read: src.entries.length, added: 0, problems: src.problems, partial: src.partial };
  // The content as it was written; only the chain links are made anew.
  const added = await into.appendAll(src.entries.map(({ prev: _prev, hash, ...entry }) => ({ entry, origin: hash })));
  return { read: src.entries.length, added: added.length, problems: [], partial: src.partial };
}
