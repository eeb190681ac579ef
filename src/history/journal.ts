/**
 * The change journal: one entry per applied change (and one per later undo of it), each durable
 * before the call returns, each carrying a keyed hash of the one before it (chain.ts), so an
 * edited or removed entry breaks the chain and `journal verify` says where. The entry format is
 * open: fields are added as optional ones, and every field is covered by the chain. What keeps
 * it is a JournalStore: files (file-journal.ts) for one machine, or PostgreSQL (pg-journal.ts) for
 * replicas sharing VPSORG_STATE_URL. A write is journalled twice: `pending` (what was asked) before
 * its first request to VPS.org, then its `change` entries (or a `settled` one) after, so a server
 * that dies in between leaves the write on record as of unknown outcome, never missing.
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
import { FileJournal, JOURNAL_FILE } from './store/file-journal.js';
import { sharedJournal } from './store/pg-journal.js';
import type { Actor } from '../safety/scopes.js';

export { JOURNAL_FILE };

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
  /** Each touched set's state after the change, shown in conflicts: used only where it matches the digest the receipt keeps. */
  after?: Array<{ n: string; t: string; rows: unknown[] }>;
  /** The change this one undid, if it was an undo. */
  undoes?: string;
  /** The channel that confirmed the change (app, url, form, token), when it was held. */
  confirmed_by?: string;
  /** The second person who approved it on the approval page (VPSORG_REQUIRE_DISTINCT_APPROVER): iss/sub/client_id. */
  approved_by?: Actor;
  /** The pending entry of the call that made it (which this entry completes). */
  pending?: string;
}

/** Before a write call's first request to VPS.org: what was asked. Its change entries (or a settled one) complete it. */
export interface PendingEntry {
  type: 'pending';
  change_id: string;
  time: string;
  tool: string;
  client?: ClientInfo;
  actor?: Actor;
  /** The zone of the first write (a zone being created has no uuid yet). */
  zone?: { uuid: string; domain: string };
  /** The call's arguments (tokens left out), bounded. */
  asked: unknown;
}

/** Completes a pending entry that has no change entry: nothing was applied, or what was is unknown. */
export interface SettledEntry {
  type: 'settled';
  change_id: string;
  time: string;
  outcome: 'none' | 'unknown';
  why?: string;
}

export interface UndoneEntry {
  type: 'undone';
  change_id: string;
  time: string;
  by: string;
  /** The undo left conflicting sets as they were (partial: true). */
  partial?: boolean;
}

export type NewEntry = ChangeEntry | UndoneEntry | PendingEntry | SettledEntry;
export type Entry = NewEntry & { prev: string; hash: string };

export const journalPath = (dir: string) => join(dir, JOURNAL_FILE);

export interface JournalView {
  /** The current journal's entries, oldest first (rotated files are not included). */
  entries: Entry[];
  /** Where the chain does not hold. */
  problems: string[];
  /** 1-based numbers of lines that are not readable entries (such as a line cut short by a crash): skipped. */
  ignored: number[];
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  problems: string[];
  /** Unreadable lines of the current journal, skipped; harmless while the chain across them holds (a crash remnant). */
  ignored: number[];
  /** What was checked, oldest first. */
  files: string[];
  /** The oldest entry checked follows one that was rotated out (deleted with the oldest file). */
  rotatedOut?: true;
}

/** What list_changes asks a journal for: data, so the shared journal can answer it in SQL. */
export interface JournalQuery {
  /** The zone asked for: entries whose zone has this (canonical) domain or this uuid. */
  zone?: { domain: string; uuid: string };
  /** VPSORG_ALLOWED_ZONES (null or absent: every zone). */
  allowed?: readonly string[] | null;
  /** Only what this caller asked for. */
  by?: Actor;
  limit: number;
  /** The change_id of the last row of the page before: the page after it. */
  cursor?: string;
}

/** A listed entry: a change with its last undo, or a write of unknown outcome with what settled it. */
export interface Listed {
  entry: (ChangeEntry | PendingEntry) & Entry;
  undone?: UndoneEntry;
  settled?: SettledEntry;
}

export interface JournalPage {
  /** How many entries the listing covers (the current file; the whole shared journal). */
  entries: number;
  problems: string[];
  ignored: number[];
  /** Newest first by recorded time (ties in append order). */
  rows: Listed[];
  more: boolean;
}

/** What keeps the journal: append one entry, list a page of changes, find one change, verify everything. */
export interface JournalStore {
  /** For people: where it is kept. */
  readonly where: string;
  /**
   * A write is refused when its pending entry cannot be written: the shared journal, whose outage
   * is the state store's (state_unavailable). The file journal is best effort: DNS work goes on.
   */
  readonly required: boolean;
  append(entry: NewEntry): Promise<Entry>;
  list(q: JournalQuery): Promise<JournalPage>;
  /** The change and every later entry about it (its undos), wherever they are kept. */
  find(changeId: string): Promise<Entry[]>;
  /** Re-reads everything, oldest first; `each` sees every entry (to check more than the chain). */
  verify(each?: (e: Entry) => void): Promise<VerifyReport>;
}

const stores = new Map<string, FileJournal>();

/** The journal kept in `dir`: one per directory per process, so its reads and appends are serialised. */
export function journalAt(dir: string): FileJournal {
  let s = stores.get(dir);
  if (!s) stores.set(dir, (s = new FileJournal(dir)));
  return s;
}

/**
 * The journal this configuration keeps: the shared one with VPSORG_STATE_URL (unless
 * VPSORG_JOURNAL=off), else the files in journalDir, else none.
 */
export function journalFor(config: Pick<Config, 'journalDir' | 'stateUrl' | 'journalOff' | 'confirmSecret'>): JournalStore | undefined {
  if (config.journalOff) return undefined;
  if (config.stateUrl) return sharedJournal(config.stateUrl, config.confirmSecret);
  return config.journalDir ? journalAt(config.journalDir) : undefined;
}

export const appendEntry = (dir: string, entry: NewEntry) => journalAt(dir).append(entry);
export const readJournal = (dir: string) => journalAt(dir).recent();
export const verifyJournal = (dir: string) => journalAt(dir).verify();
