/** The journal as a list of changes, newest first, folded with later undos: list_changes, vpsorg://changes and the CLI. */
import type { Config } from '../config.js';
import { journalFor, type ChangeEntry, type JournalPage, type JournalQuery, type Listed, type UndoneEntry } from './journal.js';
import { unknownItem } from './open-writes.js';
import { checkEntry, type KeyConfig } from './evidence.js';
import { actorLabel } from './actor.js';

export { actorLabel, sameActor } from './actor.js';

export const MAX_LIMIT = 100;

export interface ChangeItem {
  change_id: string;
  time: string;
  tool: string;
  zone: string;
  summary: string;
  /** The records it touched, grouped by (action, owner, type): the first MAX_TOUCHED groups. */
  records: Touched[];
  /** How many more groups there were. */
  more_records?: number;
  undone: boolean;
  undone_by?: string;
  undoes?: string;
  client?: string;
  /** Who asked: `alice (oauth, client ci-runner)`, `static-key`, `bob (stdio)`. */
  actor?: string;
  /** The second person who approved it on the approval page (VPSORG_REQUIRE_DISTINCT_APPROVER), labelled as actor is. */
  approved_by?: string;
  /** Why this server cannot vouch for the entry (undo_change then refuses it), when it cannot. */
  unverifiable?: string;
  /** unknown: a write cut off between its request to VPS.org and its journal entry (open-writes.ts). */
  status?: 'unknown';
  /** What such a write asked for (its arguments, bounded). */
  asked?: string;
}

export interface Touched {
  action: 'create' | 'update' | 'delete';
  name: string;
  record_type: string;
  count: number;
}

const MAX_TOUCHED = 10;

/** Issue 22.8: which records a change touched, so choosing what to undo needs no dry run per candidate. */
function touched(changes: readonly unknown[]): { records: Touched[]; more_records?: number } {
  const groups = new Map<string, Touched>();
  for (const c of changes as Array<{ action?: string; before?: { name?: unknown; record_type?: unknown }; after?: { name?: unknown; record_type?: unknown } }>) {
    const action = c.action === 'create' || c.action === 'update' || c.action === 'delete' ? c.action : null;
    const rec = c.after ?? c.before;
    if (!action || !rec) continue;
    // A rename shows both owners.
    const name = c.before && c.after && c.before.name !== c.after.name ? `${String(c.before.name)} -> ${String(c.after.name)}` : String(rec.name);
    const key = `${action} ${name} ${String(rec.record_type)}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { action, name, record_type: String(rec.record_type), count: 1 });
  }
  const all = [...groups.values()];
  return { records: all.slice(0, MAX_TOUCHED), ...(all.length > MAX_TOUCHED ? { more_records: all.length - MAX_TOUCHED } : {}) };
}

const SIGN = { create: '+', update: '~', delete: '-' } as const;

/** `-www A x2, +api CNAME`: the touched records in a list row. */
export function touchedText(c: Pick<ChangeItem, 'records' | 'more_records'>): string {
  const parts = c.records.map((r) => `${SIGN[r.action]}${r.name} ${r.record_type}${r.count > 1 ? ` x${r.count}` : ''}`);
  return [...parts, ...(c.more_records ? [`+${c.more_records} more`] : [])].join(', ');
}

export interface ChangeList {
  journal: { dir: string | null; entries: number; chain: 'ok' | 'broken' | 'unavailable'; problems: string[]; ignored_lines: number[] };
  changes: ChangeItem[];
  next_cursor?: string;
}

/** list_changes' question (journal.ts JournalQuery; limit defaults to 20, at most MAX_LIMIT). */
export type ListQuery = Omit<JournalQuery, 'limit'> & { limit?: number };

function clientLabel(e: Pick<ChangeEntry, 'client'>): string | undefined {
  return e.client ? [e.client.name, e.client.version].filter(Boolean).join(' ') + ` (${e.client.transport}${e.client.key_id ? ` ${e.client.key_id}` : ''})` : undefined;
}

/** Who and which client, for any entry that says. */
function whoOf(e: Pick<ChangeEntry, 'client' | 'actor' | 'approved_by'>): Pick<ChangeItem, 'client' | 'actor' | 'approved_by'> {
  const client = clientLabel(e);
  return { ...(client ? { client } : {}), ...(e.actor ? { actor: actorLabel(e.actor) } : {}), ...(e.approved_by ? { approved_by: actorLabel(e.approved_by) } : {}) };
}

function item(e: ChangeEntry, undone: UndoneEntry | undefined, config: KeyConfig): ChangeItem {
  const finding = checkEntry(config, e, Date.now());
  return {
    change_id: e.change_id,
    time: e.time,
    tool: e.tool,
    zone: e.zone.domain,
    summary: e.summary,
    ...touched(Array.isArray(e.changes) ? e.changes : []),
    undone: !!undone && !undone.partial,
    ...(undone ? { undone_by: undone.by } : {}),
    ...(e.undoes ? { undoes: e.undoes } : {}),
    ...whoOf(e),
    ...(finding ? { unverifiable: finding.why } : {}),
  };
}

export async function listChanges(config: Pick<Config, 'journalDir' | 'stateUrl' | 'journalOff'> & KeyConfig, q: ListQuery = {}): Promise<ChangeList> {
  const journal = journalFor(config);
  if (!journal) return { journal: { dir: null, entries: 0, chain: 'unavailable', problems: ['no journal is kept (VPSORG_JOURNAL=off, or no state directory)'], ignored_lines: [] }, changes: [] };
  const limit = Math.min(Math.max(1, q.limit ?? 20), MAX_LIMIT);
  let page: JournalPage;
  try {
    page = await journal.list({ ...q, limit });
  } catch (err) {
    return { journal: { dir: journal.where, entries: 0, chain: 'unavailable', problems: [`unreadable: ${err instanceof Error ? err.message : String(err)}`], ignored_lines: [] }, changes: [] };
  }
  return {
    journal: { dir: journal.where, entries: page.entries, chain: page.problems.length ? 'broken' : 'ok', problems: page.problems.slice(0, 10), ignored_lines: page.ignored.slice(0, 10) },
    changes: page.rows.map(({ entry, undone, settled }) => (entry.type === 'pending' ? { ...unknownItem(entry, settled), ...whoOf(entry) } : item(entry, undone, config))),
    ...(page.more && page.rows.length ? { next_cursor: (page.rows.at(-1) as Listed).entry.change_id } : {}),
  };
}

export function listText(l: ChangeList): string {
  const j = l.journal;
  const head = j.dir ? `Journal ${j.dir}: ${j.entries} entries, chain ${j.chain}.` : 'No journal is kept.';
  const problems = j.problems.map((p) => `  ! ${p}`);
  const rows = l.changes.map((c) => `${c.change_id} ${c.time} ${c.tool} ${c.summary}${c.records.length ? ` [${touchedText(c)}]` : ''}${c.undone ? ` [undone by ${c.undone_by}]` : c.undone_by ? ` [partly undone by ${c.undone_by}]` : ''}${c.undoes ? ` (undoes ${c.undoes})` : ''}${c.actor ? ` by ${c.actor}` : ''}${c.approved_by ? `, approved by ${c.approved_by}` : ''}${c.unverifiable ? ` [cannot be verified here: ${c.unverifiable}]` : ''}${c.asked ? ` asked: ${c.asked}` : ''}`);
  const more = l.next_cursor ? [`More: cursor ${l.next_cursor}`] : [];
  return [head, ...problems, ...(rows.length ? rows : ['No changes recorded.']), ...more].join('\n');
}
