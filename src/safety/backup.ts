/**
 * Snapshots written before a delete runs (VPSORG_BACKUP_DIR). The file is written to a temporary
 * name and renamed, so a crash never leaves a half snapshot that looks complete; mode 0600 since
 * a zone can hold private names (internal hosts, verification tokens).
 */
import { randomBytes } from 'node:crypto';
import { access, lstat, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
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
