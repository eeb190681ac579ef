/** Reading journal files: JSON Lines through private opens (private-fs.ts), from an offset on, as bytes become whole lines. */
import type { FileHandle } from 'node:fs/promises';
import { openPrivate } from './private-fs.js';
import type { Entry } from '../journal.js';

export function parseEntry(line: string): Entry | null {
  try {
    const e = JSON.parse(line) as Entry;
    if (e && typeof e === 'object' && typeof e.hash === 'string' && typeof e.prev === 'string' && typeof e.change_id === 'string') return e;
  } catch {
    /* not an entry */
  }
  return null;
}

export interface Chunk {
  /** Whole lines from `from` on (without their newline). */
  lines: string[];
  /** Where the next read starts: just after the last newline (an incomplete last line waits there). */
  next: number;
  size: number;
  dev: number;
  ino: number;
}

async function readFrom(fh: FileHandle, from: number, size: number): Promise<Buffer> {
  const buf = Buffer.alloc(size - from);
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, from + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/**
 * The whole lines of `path` from byte `from` (or, when the file was replaced, shortened, or is far
 * larger than `window`, from a fresh start: the last `window` bytes of it). Null when it does not exist.
 */
export async function readLines(path: string, from: number, same: (dev: number, ino: number) => boolean, window: number): Promise<(Chunk & { restarted: boolean }) | null> {
  const fh = await openPrivate(path, 'r');
  if (!fh) return null;
  try {
    const st = await fh.stat();
    const restarted = !same(st.dev, st.ino) || st.size < from;
    let start = restarted ? 0 : from;
    // A file grown past the bound (written by an older version) is read from its last window only.
    let skipFirst = false;
    if (restarted && st.size > 2 * window) [start, skipFirst] = [st.size - window, true];
    const buf = await readFrom(fh, start, st.size);
    const end = buf.lastIndexOf(0x0a) + 1;
    let text = buf.subarray(0, end).toString('utf8');
    if (skipFirst) text = text.slice(text.indexOf('\n') + 1);
    const lines = text.split('\n');
    lines.pop();
    return { lines, next: start + end, size: st.size, dev: st.dev, ino: st.ino, restarted };
  } finally {
    await fh.close();
  }
}

/** Every entry of a whole file (an archive, or the journal for `journal verify`), with the line numbers that are not entries. */
export async function readAll(path: string): Promise<{ entries: Entry[]; ignored: number[] } | null> {
  const chunk = await readLines(path, 0, () => false, Number.MAX_SAFE_INTEGER);
  if (!chunk) return null;
  const out = { entries: [] as Entry[], ignored: [] as number[] };
  chunk.lines.forEach((line, i) => {
    const e = parseEntry(line);
    if (e) out.entries.push(e);
    else out.ignored.push(i + 1);
  });
  // A last line with no newline is a write cut short: skipped like an unreadable line.
  if (chunk.next < chunk.size) out.ignored.push(chunk.lines.length + 1);
  return out;
}
