/**
 * Snapshots written before a delete runs (VPSORG_BACKUP_DIR). The file is written to a temporary
 * name and renamed, so a crash never leaves a half snapshot that looks complete; mode 0600 since
 * a zone can hold private names (internal hosts, verification tokens).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError, UserError } from '../errors.js';
import { redact } from '../log.js';

/** A file-name-safe form of a zone name (the provider's text is not trusted to be one). */
function safeZone(zone: string): string {
  const s = zone.toLowerCase().replace(/[^a-z0-9.-]/g, '_').replace(/\.{2,}/g, '_').replace(/^[.-]+/, '');
  return s.slice(0, 200) || 'zone';
}

export function backupFileName(zone: string, op: string, at: Date): string {
  // Colons are not allowed in Windows file names; the ISO form otherwise sorts by time.
  return `${safeZone(zone)}-${at.toISOString().replace(/:/g, '-')}-${op.replace(/[^a-z0-9_-]/gi, '_')}.zone`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The directory must be a real directory that only its owner can write: through a symlink, or in a
 * directory anyone can write, another user could swap or read the snapshot a restore relies on.
 */
async function checkDir(root: string): Promise<void> {
  const st = await lstat(root);
  if (st.isSymbolicLink()) throw new Error('it is a symbolic link; point VPSORG_BACKUP_DIR at the real directory');
  if (!st.isDirectory()) throw new Error('it is not a directory');
  if (st.mode & 0o002) throw new Error('it is world-writable; use a directory only this user can write (chmod o-w, or a fresh one)');
}

/**
 * Writes the snapshot and returns its absolute path. Throws a UserError when it cannot: the caller
 * must then not delete anything, since the promise is that nothing deleted is unrecoverable.
 */
export async function writeBackup(dir: string, zone: string, op: string, text: string, at: Date): Promise<string> {
  const root = isAbsolute(dir) ? dir : resolve(dir);
  const base = backupFileName(zone, op, at);
  const tmp = join(root, `.${base}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(root, { recursive: true, mode: 0o700 });
    await checkDir(root);
    let target = join(root, base);
    for (let i = 2; await exists(target); i++) target = join(root, base.replace(/\.zone$/, `-${i}.zone`));
    // A secret must not reach disk even if a record value happens to contain one.
    await writeFile(tmp, redact(text), { mode: 0o600, flag: 'wx' });
    await rename(tmp, target);
    return target;
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    const why = err instanceof Error ? err.message : String(err);
    throw new UserError(`Could not write the snapshot to VPSORG_BACKUP_DIR (${root}): ${why}. Nothing was changed.`, {
      code: 'backup_failed',
      hint: 'Fix the directory (it must be writable by the server) or unset VPSORG_BACKUP_DIR to keep the snapshot only in the result, then confirm again.',
    });
  }
}

/**
 * At start-up: a VPSORG_BACKUP_DIR the server cannot use is a configuration error (exit 2), found
 * before the first delete needs it. A directory that does not exist yet is made when its parent
 * exists (as a delete would); a missing parent is most likely a typo, and is reported.
 */
export async function checkBackupDir(dir: string): Promise<void> {
  const root = isAbsolute(dir) ? dir : resolve(dir);
  const fail = (why: string, what: string) => new ConfigError(`VPSORG_BACKUP_DIR ${root} ${why}: ${what}, or unset VPSORG_BACKUP_DIR to keep delete snapshots only in the results.`);
  try {
    await lstat(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw fail('is not usable (a part of its path is a file, not a folder)', 'give a directory path');
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(`cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'give a directory this user may read and write');
    try {
      await mkdir(root, { mode: 0o700 });
    } catch {
      throw fail(`does not exist and cannot be created (does ${dirname(root)} exist?)`, `create it first (mkdir -m 700 ${root})`);
    }
  }
  try {
    await checkDir(root);
  } catch (err) {
    throw fail(`is not usable (${err instanceof Error ? err.message : String(err)})`, 'fix it');
  }
  try {
    await access(root, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    throw fail('cannot be read and written by this user', `fix its permissions (chmod 700 ${root}) or give another directory`);
  }
}
