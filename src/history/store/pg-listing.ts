/**
 * list_changes on the shared journal: the listing contract of page.ts in SQL, over the facet
 * columns (migration 4) and their indexes, so a page reads about `limit` rows however long the
 * journal is, and any change in it can be listed, paged to and filtered on. The columns only
 * index the chained `line`, which alone is shown (and verified).
 */
import type pg from 'pg';
import { actorKey } from '../actor.js';
import { facetsOf, type Facets } from './page.js';
import { parseEntry } from './journal-lines.js';
import type { Entry, JournalPage, JournalQuery, Listed, SettledEntry, UndoneEntry } from '../journal.js';

const FACETS = ['kind', 'at', 'zone_domain', 'zone_uuid', 'actor', 'pending', 'outcome'] as const;
/** Rows filled in or inserted per statement. */
const BATCH = 1000;

type Db = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface NewRow {
  entry: Entry;
  origin: string | null;
}

/** Inserts sealed entries in their order (so `seq` follows the chain), with their facets, BATCH per statement. */
export async function insertRows(c: Db, rows: readonly NewRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const part = rows.slice(i, i + BATCH);
    const f = part.map((r) => facetsOf(r.entry));
    const cols = [part.map((r) => r.entry.change_id), part.map((r) => JSON.stringify(r.entry)), part.map((r) => r.entry.hash), part.map((r) => r.origin), ...FACETS.map((k) => f.map((x) => x[k]))];
    const names = ['change_id', 'line', 'hash', 'origin', ...FACETS];
    await c.query(`INSERT INTO vpsorg_journal (${names.join(', ')}) SELECT ${names.map((n) => `v.${n}`).join(', ')} FROM unnest(${names.map((_, k) => `$${k + 1}::text[]`).join(', ')}) WITH ORDINALITY AS v(${names.join(', ')}, n) ORDER BY v.n`, cols);
  }
}

/** Fills in the facets of rows that lack them (written before migration 4, or by an older replica). */
export async function fillFacets(db: Db): Promise<void> {
  for (;;) {
    const rows = (await db.query<{ seq: string; line: string }>('SELECT seq, line FROM vpsorg_journal WHERE kind IS NULL ORDER BY seq LIMIT $1', [BATCH])).rows;
    if (!rows.length) return;
    const f = rows.map((r) => facetsOf(parseEntry(r.line)));
    const set = FACETS.map((k) => `${k} = v.${k}`).join(', ');
    await db.query(`UPDATE vpsorg_journal j SET ${set} FROM unnest($1::bigint[], ${FACETS.map((_, k) => `$${k + 2}::text[]`).join(', ')}) AS v(seq, ${FACETS.join(', ')}) WHERE j.seq = v.seq AND j.kind IS NULL`, [rows.map((r) => r.seq), ...FACETS.map((k) => f.map((x: Facets) => x[k]))]);
    if (rows.length < BATCH) return;
  }
}

/** A pending write is listed while nothing closed it (open-writes.ts): no settled `none`, and a settled `unknown` or no change completing it. */
const OPEN = `(j.kind = 'change' OR (
  NOT EXISTS (SELECT 1 FROM vpsorg_journal s WHERE s.change_id = j.change_id AND s.kind = 'settled' AND s.outcome = 'none')
  AND (EXISTS (SELECT 1 FROM vpsorg_journal s WHERE s.change_id = j.change_id AND s.kind = 'settled')
       OR NOT EXISTS (SELECT 1 FROM vpsorg_journal c WHERE c.pending = j.change_id))))`;

/** The WHERE of a page (page.ts `matches`), with its parameters. */
function filters(q: JournalQuery, cursor: { at: string; seq: string } | undefined): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const $ = (v: unknown) => `$${params.push(v)}`;
  const where = ["j.kind IN ('change', 'pending')", OPEN];
  if (q.zone) where.push(`(j.zone_domain = ${$(q.zone.domain)} OR j.zone_uuid = ${$(q.zone.uuid)})`);
  if (q.allowed != null) {
    const exact = q.allowed.filter((p) => !p.startsWith('*.'));
    const below = q.allowed.filter((p) => p.startsWith('*.')).map((p) => p.slice(1));
    where.push(`(j.zone_domain = ANY(${$(exact)}::text[]) OR EXISTS (SELECT 1 FROM unnest(${$(below)}::text[]) s WHERE right(j.zone_domain, length(s)) = s))`);
  }
  if (q.by) where.push(`j.actor = ${$(actorKey(q.by))}`);
  if (cursor) where.push(`(j.at, j.seq) < (${$(cursor.at)}, ${$(cursor.seq)}::bigint)`);
  return { where: where.join(' AND '), params };
}

/** The last of each change_id's entries of `kind`, for the ids given. */
async function lastOf<T extends Entry>(db: Db, kind: string, ids: string[]): Promise<Map<string, T>> {
  if (!ids.length) return new Map();
  const rows = await db.query<{ line: string }>('SELECT DISTINCT ON (change_id) line FROM vpsorg_journal WHERE kind = $1 AND change_id = ANY($2) ORDER BY change_id, seq DESC', [kind, ids]);
  return new Map(rows.rows.map((r) => parseEntry(r.line)).filter((e): e is T => e !== null).map((e) => [e.change_id, e]));
}

export async function listPage(db: Db, q: JournalQuery): Promise<Pick<JournalPage, 'rows' | 'more'>> {
  const cursor = q.cursor === undefined ? undefined : (await db.query<{ at: string; seq: string }>("SELECT at, seq FROM vpsorg_journal WHERE change_id = $1 AND kind IN ('change', 'pending') ORDER BY seq LIMIT 1", [q.cursor])).rows[0];
  const { where, params } = filters(q, cursor);
  const found = await db.query<{ line: string }>(`SELECT j.line FROM vpsorg_journal j WHERE ${where} ORDER BY j.at DESC, j.seq DESC LIMIT ${Math.max(1, Math.floor(q.limit)) + 1}`, params);
  const entries = found.rows.map((r) => parseEntry(r.line)).filter((e): e is Listed['entry'] => e !== null);
  const page = entries.slice(0, q.limit);
  const [undone, settled] = await Promise.all([
    lastOf<UndoneEntry & Entry>(db, 'undone', page.filter((e) => e.type === 'change').map((e) => e.change_id)),
    lastOf<SettledEntry & Entry>(db, 'settled', page.filter((e) => e.type === 'pending').map((e) => e.change_id)),
  ]);
  const rows = page.map((entry): Listed => {
    const s = entry.type === 'pending' ? settled.get(entry.change_id) : undefined;
    const u = entry.type === 'change' ? undone.get(entry.change_id) : undefined;
    return { entry, ...(s ? { settled: s } : {}), ...(u ? { undone: u } : {}) };
  });
  return { rows, more: found.rows.length > q.limit };
}
