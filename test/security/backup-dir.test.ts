// Issue 13 point 12: the snapshot a restore relies on is not written where another user could swap it.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBackup } from '../../src/safety/backup.js';
import { UserError } from '../../src/errors.js';

describe('VPSORG_BACKUP_DIR', () => {
  const base = mkdtempSync(join(tmpdir(), 'rt-backup-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const write = (dir: string) => writeBackup(dir, 'example.com', 'delete_zone', '$ORIGIN example.com.\n', new Date());

  it('refuses a world-writable directory', async () => {
    const dir = join(base, 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const err = await write(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(String(err)).toMatch(/world-writable/);
  });

  it('refuses a symbolic link to a directory', async () => {
    const real = join(base, 'real');
    mkdirSync(real, { mode: 0o700 });
    const link = join(base, 'link');
    symlinkSync(real, link);
    const err = await write(link).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(String(err)).toMatch(/symbolic link/);
  });

  it('writes into a private directory', async () => {
    const dir = join(base, 'private');
    mkdirSync(dir, { mode: 0o700 });
    await expect(write(dir)).resolves.toMatch(/example\.com-.*delete_zone\.zone$/);
  });
});
