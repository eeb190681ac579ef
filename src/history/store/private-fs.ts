/**
 * Files only this user may touch: the journal, its key and its lock. The directory must be a real
 * directory this user owns that nobody else can write, or another local user could swap a file
 * in it (a journal.jsonl symlink to ~/.bashrc, say) between our check and our write. Every open
 * uses O_NOFOLLOW and checks the opened file itself (fstat: type, owner, one link), so a planted
 * symlink or hard link is refused, never followed; and nothing here ever chmods a file it did
 * not create, since that would hand the planter's target our permissions.
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { link, lstat, mkdir, open, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

const uid = (): number | undefined => process.getuid?.();
/** 0 where the platform has no O_NOFOLLOW (Windows: no symlinks a user may plant there without privilege). */
export const NOFOLLOW: number = constants.O_NOFOLLOW ?? 0;

/** Why `st` is not a private directory of this user, or null when it is. */
function dirProblem(st: Stats): string | null {
  if (st.isSymbolicLink()) return 'it is a symbolic link; give the real directory';
  if (!st.isDirectory()) return 'it is not a directory';
  const me = uid();
  // Windows has no uid nor POSIX modes (stat reports 0666/0777): its ACLs are the user profile's.
  if (me === undefined) return null;
  if (st.uid !== me) return `it belongs to another user (uid ${st.uid}); use a directory of your own`;
  if (st.mode & 0o022) return `other users can write to it (mode ${(st.mode & 0o7777).toString(8)}); chmod go-w it, or use a fresh one`;
  return null;
}

/** Creates `dir` (0700, with its parents) when missing, then checks it. Throws an Error naming what is wrong. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const st = await lstat(dir).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw new Error(`it cannot be read (${err.code ?? err.message})`);
    await mkdir(dir, { recursive: true, mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
      throw new Error(`it does not exist and cannot be created (${e.code ?? e.message})`);
    });
    return lstat(dir);
  });
  const problem = dirProblem(st);
  if (problem) throw new Error(problem);
}

/** Why an opened file is not ours alone, or null. */
function fileProblem(st: Stats): string | null {
  if (!st.isFile()) return 'it is not a regular file';
  if (st.nlink !== 1) return `it has ${st.nlink} hard links (another name could be swapped for it)`;
  const me = uid();
  if (me === undefined) return null;
  if (st.uid !== me) return `it belongs to another user (uid ${st.uid})`;
  if (st.mode & 0o077) return `other users may read or write it (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it if it is yours`;
  return null;
}

export class PrivateFileError extends Error {
  constructor(
    readonly path: string,
    why: string,
  ) {
    super(`${path}: ${why}`);
    this.name = 'PrivateFileError';
  }
}

/**
 * Opens an existing file for reading (`r`) or appending (`a`), refusing a symlink, a hard link,
 * another user's file or one others can read. Returns null when it does not exist.
 */
export async function openPrivate(path: string, how: 'r' | 'a'): Promise<FileHandle | null> {
  const flags = (how === 'r' ? constants.O_RDONLY : constants.O_WRONLY | constants.O_APPEND) | NOFOLLOW;
  let fh: FileHandle;
  try {
    fh = await open(path, flags);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new PrivateFileError(path, 'it is a symbolic link (refused, not followed)');
    throw err;
  }
  const problem = fileProblem(await fh.stat());
  if (problem) {
    await fh.close();
    throw new PrivateFileError(path, problem);
  }
  return fh;
}

/**
 * Creates `path` holding `data` (mode 0600) only if nothing has that name yet: written under a
 * temporary name, then hard-linked into place, so the file appears complete or not at all and an
 * existing name (a planted symlink included) is never replaced. False when the name was taken.
 */
export async function createPrivate(path: string, data: string, dir: string): Promise<boolean> {
  const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  try {
    await writeFile(tmp, data, { mode: 0o600, flag: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW });
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
