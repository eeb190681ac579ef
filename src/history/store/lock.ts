/**
 * A lock file beside the journal, so that two server processes of one user (two clients, or a
 * client and the CLI) append one chain, not two forks of it. Node has no flock(2) and the project
 * takes no native module, so: the lock is a file made with link(2) (exclusive, and complete when
 * it appears) holding "pid host nonce". A holder that died leaves it behind; it is stale when its
 * process is gone (same host) or it is older than STALE_MS (an append takes milliseconds). A
 * stale lock is renamed aside before it is removed, and removed only if it is still the one
 * judged stale, so two processes breaking it at once cannot remove a fresh lock.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { readFile, rename, stat, unlink, link } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { NOFOLLOW, createPrivate } from './private-fs.js';

export const LOCK_FILE = 'journal.lock';
const STALE_MS = 30_000;
const WAIT_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const read = (path: string) => readFile(path, { encoding: 'utf8', flag: constants.O_RDONLY | NOFOLLOW }).catch(() => null);

/** Whether process `pid` exists (EPERM: it does, as another user's). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function stale(path: string, content: string): Promise<boolean> {
  const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
  if (age > STALE_MS) return true;
  const [pid, host] = content.split(' ');
  return host === hostname() && /^\d+$/.test(pid ?? '') && !alive(Number(pid));
}

/** Moves a stale lock aside and deletes it, unless what was moved is not the lock judged stale (then it goes back). */
async function breakLock(path: string, judged: string): Promise<void> {
  const aside = `${path}.${randomBytes(6).toString('hex')}.stale`;
  if (!(await rename(path, aside).then(() => true, () => false))) return;
  if ((await read(aside)) !== judged) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Runs `fn` holding the journal's lock in `dir`. Throws when another live process holds it for over WAIT_MS. */
export async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const path = join(dir, LOCK_FILE);
  const me = `${process.pid} ${hostname()} ${randomBytes(8).toString('hex')}`;
  const deadline = Date.now() + WAIT_MS;
  for (let pause = 2; !(await createPrivate(path, me, dir)); pause = Math.min(pause * 2, 50)) {
    const holder = await read(path);
    if (holder === null) continue;
    if (await stale(path, holder)) {
      await breakLock(path, holder);
      continue;
    }
    if (Date.now() > deadline) throw new Error(`the journal is locked by process ${holder.split(' ')[0]} (${path}); if no server is running, delete that file`);
    await sleep(pause + Math.random() * pause);
  }
  try {
    return await fn();
  } finally {
    if ((await read(path)) === me) await unlink(path).catch(() => undefined);
  }
}
