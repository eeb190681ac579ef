/**
 * The change journal: JSON Lines, one entry per applied change (and one per later undo of it),
 * mode 0600, each line fsynced before the call returns. Each entry carries the hash of the one
 * before it, so an edited or removed entry breaks the chain and `journal verify` says where. A
 * crash mid-write leaves a truncated last line: it is ignored when reading, the next append starts
 * on a fresh line and chains to the last whole entry, so the remnant is reported but breaks
 * nothing. Nothing here may block DNS work: callers catch and report failures.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../safety/confirm.js';
import { redact } from '../log.js';
import type { Actor } from '../safety/scopes.js';

export const JOURNAL_FILE = 'journal.jsonl';
const GENESIS = 'genesis';

export interface ClientInfo {
  name?: string;
  version?: string;
  transport: 'stdio' | 'http' | 'cli';
  key_id?: string;
}

export interface ChangeEntry {
  type: 'change';
  change_id: string;
  time: string;
  tool: string;
  client?: ClientInfo;
  /** Who asked (issue 23): the token's iss/sub/client_id, `static-key`, or the local user. */
  actor?: Actor;
  zone: { uuid: string; domain: string };
  kind: string;
  summary: string;
  changes: unknown[];
  receipt: string;
  /** The receipt's set data, when it was too large to carry (the receipt binds it by digest). */
  sets?: unknown[];
  /** Each touched set's state after the change (a receipt keeps only its digest): shown in conflicts. */
  after?: Array<{ n: string; t: string; rows: unknown[] }>;
  /** The change this one undid, if it was an undo. */
  undoes?: string;
  /** The channel that confirmed the change (app, url, form, token), when it was held. */
  confirmed_by?: string;
}

export interface UndoneEntry {
  type: 'undone';
  change_id: string;
  time: string;
  by: string;
  /** The undo left conflicting sets as they were (partial: true). */
  partial?: boolean;
}

export type Entry = (ChangeEntry | UndoneEntry) & { prev: string; hash: string };

export const journalPath = (dir: string) => join(dir, JOURNAL_FILE);

function hashOf(entry: object): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

async function readText(dir: string): Promise<string> {
  try {
    return await readFile(journalPath(dir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

export interface JournalRead {
  entries: Entry[];
  /** 1-based numbers of lines that are not readable entries (such as a line cut short by a crash): skipped. */
  ignored: number[];
}

function parseLines(text: string): JournalRead {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const out: JournalRead = { entries: [], ignored: [] };
  lines.forEach((line, i) => {
    try {
      const e = JSON.parse(line) as Entry;
      if (e && typeof e === 'object' && typeof e.hash === 'string' && typeof e.change_id === 'string') return void out.entries.push(e);
    } catch {
      /* skipped below */
    }
    out.ignored.push(i + 1);
  });
  return out;
}

export async function readJournal(dir: string): Promise<JournalRead> {
  return parseLines(await readText(dir));
}

const queues = new Map<string, Promise<unknown>>();
/** The journal's size and last hash after this process's last append: the file is re-read only when another process wrote to it. */
const tails = new Map<string, { size: number; hash: string; clean: boolean }>();

async function lastOf(dir: string): Promise<{ hash: string; clean: boolean }> {
  const size = await stat(journalPath(dir)).then((s) => s.size, () => 0);
  const known = tails.get(dir);
  if (known && known.size === size) return known;
  const text = await readText(dir);
  return { hash: parseLines(text).entries.at(-1)?.hash ?? GENESIS, clean: text === '' || text.endsWith('\n') };
}

/** Appends one entry (chained to the last readable one) and fsyncs it. Appends in this process are serialised. */
export function appendEntry(dir: string, entry: ChangeEntry | UndoneEntry): Promise<Entry> {
  const run = async (): Promise<Entry> => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const last = await lastOf(dir);
    const body = JSON.parse(redact(JSON.stringify({ ...entry, prev: last.hash }))) as Omit<Entry, 'hash'>;
    const full = { ...body, hash: hashOf(body) } as Entry;
    const fh = await open(journalPath(dir), 'a', 0o600);
    try {
      await fh.chmod(0o600);
      await fh.write(`${last.clean ? '' : '\n'}${JSON.stringify(full)}\n`);
      await fh.sync();
      tails.set(dir, { size: (await fh.stat()).size, hash: full.hash, clean: true });
    } finally {
      await fh.close();
    }
    return full;
  };
  const prev = queues.get(dir) ?? Promise.resolve();
  const next = prev.then(run, run);
  queues.set(dir, next.catch(() => undefined));
  return next;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  problems: string[];
  /** Unreadable lines skipped; harmless while the chain across them holds (a crash remnant). */
  ignored: number[];
}

/** Checks every entry's hash and its link to the one before; an unreadable line that was an entry breaks the next link. */
export async function verifyJournal(dir: string): Promise<VerifyReport> {
  const read = await readJournal(dir);
  const problems: string[] = [];
  let prev = GENESIS;
  read.entries.forEach((e, i) => {
    const { hash, ...body } = e;
    if (hashOf(body) !== hash) problems.push(`entry ${i + 1} (${e.change_id}): its content does not match its hash (edited)`);
    if (e.prev !== prev) problems.push(`entry ${i + 1} (${e.change_id}): does not follow the entry before it (an entry was removed, reordered or inserted)`);
    prev = hash;
  });
  return { ok: problems.length === 0, entries: read.entries.length, problems, ignored: read.ignored };
}
