/**
 * The journal in PostgreSQL (VPSORG_STATE_URL): one keyed hash chain for every replica. An append
 * is one transaction that takes an advisory lock, reads the last hash and inserts after it, so
 * concurrent appends from any number of processes chain one after another, in `seq` order (the
 * lock is held until commit, so no entry can commit before the one it follows). Entries are sealed
 * as the file journal's are (chain.ts), keyed from VPSORG_CONFIRM_SECRET, which every replica
 * shares; a state.key beside one replica's files could not be.
 */
import type pg from 'pg';
import { UserError } from '../../errors.js';
import { sharedPostgres } from '../../state/index.js';
import type { PostgresState } from '../../state/postgres.js';
import { ChainCheck, GENESIS, chainKey, sealEntry } from './chain.js';
import { parseEntry } from './journal-lines.js';
import { fillFacets, insertRows, listPage, type NewRow } from './pg-listing.js';
import type { Entry, JournalPage, JournalQuery, JournalStore, NewEntry, VerifyReport } from '../journal.js';

/** The advisory lock of the journal's head (the migrations take 0x76707330). */
const JOURNAL_LOCK = 0x76707331;
/**
 * list_changes checks the chain of this many of the newest entries, and of every one appended
 * after them (`journal verify` checks all); it lists from the whole journal (pg-listing.ts).
 */
const CHECKED = 5000;
const BATCH = 1000;

interface Row {
  seq: string;
  line: string;
}

export class PgJournal implements JournalStore {
  readonly required = true;
  /** How far the chain was checked (`seq`), and how many entries came before where the check began. */
  private tail: { seq: number; before: number; ignored: number[]; check: ChainCheck } | undefined;
  private reading: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: () => Promise<PostgresState>,
    private readonly secret: string | undefined,
    readonly where: string,
  ) {}

  private key(): Buffer {
    if (!this.secret) throw new UserError('The shared journal (VPSORG_STATE_URL) is keyed by VPSORG_CONFIRM_SECRET, which is not set.', { code: 'journal_unavailable', hint: 'Set VPSORG_CONFIRM_SECRET, the same on every replica.' });
    return chainKey(this.secret);
  }

  /** Appends `entries` as one transaction under the head's lock; `origin` (an imported entry's old hash) is skipped when already there. */
  async appendAll(entries: Array<{ entry: NewEntry; origin?: string }>): Promise<Entry[]> {
    const key = this.key();
    const s = await this.store();
    return s.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [JOURNAL_LOCK]);
      let prev = (await c.query<{ hash: string }>('SELECT hash FROM vpsorg_journal ORDER BY seq DESC LIMIT 1')).rows[0]?.hash ?? GENESIS;
      const origins = entries.map((e) => e.origin).filter((o): o is string => o !== undefined);
      const had = new Set(origins.length ? (await c.query<{ origin: string }>('SELECT origin FROM vpsorg_journal WHERE origin = ANY($1)', [origins])).rows.map((r) => r.origin) : []);
      const rows: NewRow[] = [];
      for (const { entry, origin } of entries) {
        if (origin !== undefined && had.has(origin)) continue;
        const full = sealEntry(key, entry, prev);
        rows.push({ entry: full, origin: origin ?? null });
        prev = full.hash;
      }
      await insertRows(c, rows);
      return rows.map((r) => r.entry);
    });
  }

  async append(entry: NewEntry): Promise<Entry> {
    return (await this.appendAll([{ entry }]))[0] as Entry;
  }

  /** A read: its failure is reported as such (not as a refused write, which state_unavailable says). */
  private async read<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
    const s = await this.store();
    try {
      return await s.run(fn);
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
      throw new Error(`the shared journal (VPSORG_STATE_URL) cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`, { cause: err });
    }
  }

  /** Rows after `seq`, in order, a batch at a time, each parsed (null: not an entry). */
  private async *rows(after: number): AsyncGenerator<{ seq: number; entry: Entry | null }> {
    let from = after;
    for (;;) {
      const batch = await this.read((p) => p.query<Row>('SELECT seq, line FROM vpsorg_journal WHERE seq > $1 ORDER BY seq LIMIT $2', [from, BATCH]));
      for (const r of batch.rows) yield { seq: (from = Number(r.seq)), entry: parseEntry(r.line) };
      if (batch.rows.length < BATCH) return;
    }
  }

  /** The chain from the newest CHECKED entries on, checked as far as it grew since the last call; nothing else is kept. */
  private checked(): Promise<Pick<JournalPage, 'entries' | 'problems' | 'ignored'>> {
    // One refresh at a time: each advances the same tail.
    const run = this.reading.then(async () => {
      let t = this.tail;
      if (!t) {
        const start = Number((await this.read((p) => p.query<{ seq: string }>('SELECT seq FROM vpsorg_journal ORDER BY seq DESC OFFSET $1 LIMIT 1', [CHECKED]))).rows[0]?.seq ?? 0);
        const before = start ? Number((await this.read((p) => p.query<{ n: string }>('SELECT count(*) AS n FROM vpsorg_journal WHERE seq <= $1', [start]))).rows[0]?.n ?? 0) : 0;
        t = this.tail = { seq: start, before, ignored: [], check: new ChainCheck(this.key()) };
      }
      for await (const r of this.rows(t.seq)) {
        t.seq = r.seq;
        if (!r.entry) t.ignored.push(r.seq);
        else t.check.feed(r.entry);
      }
      return { entries: t.before + t.check.count, problems: t.check.problems, ignored: t.ignored };
    });
    this.reading = run.catch(() => undefined);
    return run;
  }

  async list(q: JournalQuery): Promise<JournalPage> {
    await this.read(fillFacets);
    const head = await this.checked();
    return { ...head, ...(await this.read((p) => listPage(p, q))) };
  }

  async find(changeId: string): Promise<Entry[]> {
    const rows = await this.read((p) => p.query<Row>('SELECT seq, line FROM vpsorg_journal WHERE change_id = $1 ORDER BY seq', [changeId]));
    return rows.rows.map((r) => parseEntry(r.line)).filter((e): e is Entry => e !== null);
  }

  async verify(each?: (e: Entry) => void): Promise<VerifyReport> {
    const check = new ChainCheck(this.key());
    const ignored: number[] = [];
    for await (const r of this.rows(0)) {
      if (!r.entry) ignored.push(r.seq);
      else {
        check.feed(r.entry);
        each?.(r.entry);
      }
    }
    return { ok: check.problems.length === 0, entries: check.count, problems: check.problems, ignored, files: [this.where], ...(check.continuesFrom ? { rotatedOut: true } : {}) };
  }
}

const journals = new Map<string, PgJournal>();

/** The shared journal of `url`: one per URL and secret in this process, on the state store's pool. */
export function sharedJournal(url: string, secret: string | undefined): PgJournal {
  const id = `${url}\n${secret ?? ''}`;
  let j = journals.get(id);
  if (!j) {
    const u = new URL(url);
    const db = decodeURIComponent(u.pathname.slice(1)) || '(default database)';
    journals.set(id, (j = new PgJournal(() => sharedPostgres(url), secret, `PostgreSQL journal (VPSORG_STATE_URL, database ${db})`)));
  }
  return j;
}
