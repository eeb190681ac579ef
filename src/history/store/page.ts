/**
 * One listing contract for both journals. What a listing filters and orders on is derived from an
 * entry here, once: the file journal filters its entries with it in memory (pageOf), the shared one
 * stores it in columns beside each chained line (pg-listing.ts) and lets SQL do the same, so the
 * two list alike. Order: newest first by the entry's recorded time, ties in append order; the chain
 * itself stays in append order (an imported old entry is appended, and listed by its time).
 */
import { normaliseZone, zoneAllowed } from '../../domain/names.js';
import { actorKey } from '../actor.js';
import { openWrites } from '../open-writes.js';
import type { Entry, JournalPage, JournalQuery, Listed, UndoneEntry } from '../journal.js';

export interface Facets {
  /** The entry's type; '' for a line that is not an entry. */
  kind: string;
  /** Its time as an ISO string (what the listing orders on); '' without one. */
  at: string;
  zone_domain: string | null;
  zone_uuid: string | null;
  /** actorKey of who asked. */
  actor: string | null;
  /** A change: the pending entry it completes. */
  pending: string | null;
  /** A settled entry: its outcome. */
  outcome: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function atOf(time: unknown): string {
  if (typeof time !== 'string') return '';
  const t = Date.parse(time);
  // One spelling per instant, so ordering the strings orders the times.
  return Number.isFinite(t) ? new Date(t).toISOString() : time;
}

export function facetsOf(e: Entry | null): Facets {
  if (!e) return { kind: '', at: '', zone_domain: null, zone_uuid: null, actor: null, pending: null, outcome: null };
  const x = e as Partial<Record<'zone' | 'actor' | 'pending' | 'outcome', unknown>> & Entry;
  const zone = x.zone && typeof x.zone === 'object' ? (x.zone as Record<string, unknown>) : {};
  const domain = str(zone['domain']);
  const actor = x.actor && typeof x.actor === 'object' ? actorKey(x.actor as Parameters<typeof actorKey>[0]) : null;
  return {
    kind: String(e.type),
    at: atOf(e.time),
    zone_domain: domain === null ? null : normaliseZone(domain),
    zone_uuid: str(zone['uuid']),
    actor,
    pending: e.type === 'change' ? str(x.pending) : null,
    outcome: e.type === 'settled' ? str(x.outcome) : null,
  };
}

/** The filters of `q` on one entry's facets (the SQL of pg-listing.ts says the same). */
export function matches(f: Facets, q: JournalQuery): boolean {
  if (q.zone && f.zone_domain !== q.zone.domain && f.zone_uuid !== q.zone.uuid) return false;
  if (q.allowed != null && (f.zone_domain === null || !zoneAllowed(f.zone_domain, q.allowed))) return false;
  return q.by === undefined || f.actor === actorKey(q.by);
}

const listable = (f: Facets) => f.kind === 'change' || f.kind === 'pending';

/** A page of `entries` (in append order) as `q` asks: what the file journal lists. */
export function pageOf(entries: readonly Entry[], q: JournalQuery): Pick<JournalPage, 'rows' | 'more'> {
  const undone = new Map<string, UndoneEntry>();
  for (const e of entries) if (e.type === 'undone') undone.set(e.change_id, e);
  const open = openWrites(entries);
  const f = entries.map(facetsOf);
  // The cursor is a position (its time, then its place), so a page goes on after it whatever the filter.
  const c = q.cursor === undefined ? -1 : entries.findIndex((e, i) => listable(f[i] as Facets) && e.change_id === q.cursor);
  const cf = f[c];
  const after = (i: number, x: Facets) => !cf || x.at < cf.at || (x.at === cf.at && i < c);
  const shown = entries.flatMap((e, i) => {
    const x = f[i] as Facets;
    const ok = (x.kind === 'change' || (x.kind === 'pending' && open.has(e.change_id))) && matches(x, q) && after(i, x);
    return ok ? [{ i, at: x.at }] : [];
  });
  shown.sort((a, b) => (a.at === b.at ? b.i - a.i : a.at < b.at ? 1 : -1));
  const rows = shown.slice(0, q.limit).map(({ i }): Listed => {
    const entry = entries[i] as Listed['entry'];
    if (entry.type === 'pending') {
      const settled = open.get(entry.change_id);
      return { entry, ...(settled ? { settled } : {}) };
    }
    const u = undone.get(entry.change_id);
    return { entry, ...(u ? { undone: u } : {}) };
  });
  return { rows, more: shown.length > q.limit };
}
