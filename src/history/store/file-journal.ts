/**
 * The journal as files: `journal.jsonl`, rotated to `journal.1.jsonl` ... `journal.<keep>.jsonl`
 * (the oldest dropped) when it would pass `maxBytes`; the first entry after a rotation chains to
 * the last one before it. Appends from every process of this user go through the lock file
 * (lock.ts); reads remember how far they got, so list_changes reads only what was appended since.
 */
import { constants } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ChainCheck, GENESIS, chainKey, sealEntry } from './chain.js';
import { readAll, readLines, parseEntry } from './journal-lines.js';
import { withLock } from './lock.js';
import { NOFOLLOW, ensurePrivateDir, openPrivate } from './private-fs.js';
import { loadStateKey } from './state-key.js';
import { pageOf } from './page.js';
import type { Entry, JournalPage, JournalQuery, JournalStore, JournalView, NewEntry, VerifyReport } from '../journal.js';

export const JOURNAL_FILE = 'journal.jsonl';
/** 4 MiB is some thousands of changes; with 4 rotated files the journal keeps at most 20 MiB. */
export const MAX_JOURNAL_BYTES = 4 * 1024 * 1024;
export const KEEP_ROTATED = 4;

interface Tail {
  dev: number;
  ino: number;
  offset: number;
  lines: number;
  entries: Entry[];
  ignored: number[];
  check: ChainCheck;
  /** Bytes after the last newline: a write cut short, so the next append starts a fresh line. */
  partial: boolean;
  /** The rotated file this one continues was compared (once per reading from the start). */
  joined: boolean;
}

export class FileJournal implements JournalStore {
  readonly required = false;
  private key: Promise<Buffer> | undefined;
  private tail: Tail | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly opts: { maxBytes: number; keep: number } = { maxBytes: MAX_JOURNAL_BYTES, keep: KEEP_ROTATED },
  ) {}

  get where(): string {
    return this.dir;
  }

  private file(i = 0): string {
    return join(this.dir, i ? `journal.${i}.jsonl` : JOURNAL_FILE);
  }

  private chainKey(): Promise<Buffer> {
    this.key ??= loadStateKey(this.dir).then(chainKey, (err: unknown) => {
      this.key = undefined;
      throw err;
    });
    return this.key;
  }

  /** One operation at a time in this process: reading advances shared state. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async refresh(): Promise<Tail> {
    const t = this.tail;
    const chunk = await readLines(this.file(), t?.offset ?? 0, (dev, ino) => !!t && t.dev === dev && t.ino === ino, this.opts.maxBytes);
    // Nothing to check needs no key: reading never creates one where there is no journal.
    const key = chunk ? await this.chainKey() : Buffer.alloc(0);
    if (!chunk) return (this.tail = { dev: -1, ino: -1, offset: 0, lines: 0, entries: [], ignored: [], check: new ChainCheck(key), partial: false, joined: true });
    const cur: Tail = t && !chunk.restarted ? t : { dev: chunk.dev, ino: chunk.ino, offset: 0, lines: 0, entries: [], ignored: [], check: new ChainCheck(key), partial: false, joined: false };
    for (const line of chunk.lines) {
      cur.lines++;
      const e = parseEntry(line);
      if (!e) cur.ignored.push(cur.lines);
      else {
        cur.entries.push(e);
        cur.check.feed(e);
      }
    }
    Object.assign(cur, { offset: chunk.next, partial: chunk.next < chunk.size });
    if (!cur.joined && cur.check.continuesFrom) {
      cur.joined = true;
      const before = (await readAll(this.file(1)).catch(() => null))?.entries.at(-1);
      if (before && before.hash !== cur.check.continuesFrom) cur.check.problems.unshift(`entry 1 (${cur.entries[0]?.change_id ?? '?'}): does not follow the last entry of journal.1.jsonl (entries were removed between them)`);
    }
    return (this.tail = cur);
  }

  recent(): Promise<JournalView> {
    return this.serial(async () => {
      const t = await this.refresh();
      return { entries: t.entries, problems: t.check.problems, ignored: t.ignored };
    });
  }

  /** A page of the current file's changes (rotated files are not listed; find() still reads them). */
  list(q: JournalQuery): Promise<JournalPage> {
    return this.serial(async () => {
      const t = await this.refresh();
      return { entries: t.entries.length, problems: t.check.problems, ignored: t.ignored, ...pageOf(t.entries, q) };
    });
  }

  append(entry: NewEntry): Promise<Entry> {
    return this.serial(async () => {
      await ensurePrivateDir(this.dir);
      return withLock(this.dir, async () => {
        let t = await this.refresh();
        // An empty journal after a rotation (or after someone deleted it) continues the newest rotated file.
        const prev = t.check.last ?? (await readAll(this.file(1)))?.entries.at(-1)?.hash ?? GENESIS;
        const full = sealEntry(await this.chainKey(), entry, prev);
        const line = `${JSON.stringify(full)}\n`;
        if (t.offset > 0 && t.offset + Buffer.byteLength(line) > this.opts.maxBytes) {
          await this.rotate();
          t = await this.refresh();
        }
        await this.write(`${t.partial ? '\n' : ''}${line}`);
        await this.refresh();
        return full;
      });
    });
  }

  private async write(text: string): Promise<void> {
    // Created here (O_EXCL: never through a name someone planted), so created with 0600 and never chmodded.
    const fh = (await openPrivate(this.file(), 'a')) ?? (await open(this.file(), constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600));
    try {
      await fh.write(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  private async rotate(): Promise<void> {
    for (let i = this.opts.keep; i >= 1; i--) {
      await rename(this.file(i - 1), this.file(i)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
  }

  find(changeId: string): Promise<Entry[]> {
    return this.serial(async () => {
      let hits = (await this.refresh()).entries.filter((e) => e.change_id === changeId);
      for (let i = 1; i <= this.opts.keep && !hits.some((e) => e.type === 'change'); i++) {
        const older = (await readAll(this.file(i)))?.entries.filter((e) => e.change_id === changeId) ?? [];
        hits = [...older, ...hits];
      }
      return hits;
    });
  }

  /** Every file, oldest first, as one chain: what `journal verify` reports. Reads everything again. */
  verify(each?: (e: Entry) => void): Promise<VerifyReport> {
    return this.serial(async () => {
      let check = new ChainCheck(Buffer.alloc(0));
      const files: string[] = [];
      let ignored: number[] = [];
      for (let i = this.opts.keep; i >= 0; i--) {
        const read = await readAll(this.file(i));
        if (!read) continue;
        if (!files.length) check = new ChainCheck(await this.chainKey());
        files.push(this.file(i));
        for (const e of read.entries) {
          check.feed(e);
          each?.(e);
        }
        if (i === 0) ignored = read.ignored;
      }
      return { ok: check.problems.length === 0, entries: check.count, problems: check.problems, ignored, files, ...(check.continuesFrom ? { rotatedOut: true } : {}) };
    });
  }
}
