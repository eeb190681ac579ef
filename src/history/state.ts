/**
 * At start-up, before serving: the journal's directory and files are checked (an unusable one
 * stops the server with one line, exit 2, rather than failing every change later), and the key
 * beside the journal becomes the signing secret when VPSORG_CONFIRM_SECRET is not set. A
 * configured secret still wins: replicas must agree on one, and none of them owns this file.
 * With VPSORG_STATE_URL the journal is the shared one (history/store/pg-journal.ts), keyed by
 * that secret, so it must be set.
 */
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import { addSecret } from '../log.js';
import { journalPath } from './journal.js';
import { ensurePrivateDir, openPrivate } from './store/private-fs.js';
import { KEY_FILE, loadStateKey } from './store/state-key.js';
import { join } from 'node:path';

const why = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function openJournal(config: Config): Promise<Config> {
  if (config.stateUrl && !config.journalOff) {
    // The shared journal's chain and every receipt must verify on every replica: one secret for all.
    if (!config.confirmSecret) throw new ConfigError('VPSORG_STATE_URL keeps one change journal for every replica, keyed (like receipts and confirm tokens) by VPSORG_CONFIRM_SECRET: set it, the same on every replica (16+ random characters), or set VPSORG_JOURNAL=off.');
    return config;
  }
  const dir = config.journalDir;
  if (!dir) return config;
  const off = 'or set VPSORG_JOURNAL=off (then changes made cannot be undone with undo_change)';
  try {
    await ensurePrivateDir(dir);
  } catch (err) {
    throw new ConfigError(`The journal directory ${dir} (VPSORG_JOURNAL_DIR) is not usable: ${why(err)}. Point VPSORG_JOURNAL_DIR at a directory of your own, ${off}.`);
  }
  let key: string;
  try {
    key = await loadStateKey(dir);
    await (await openPrivate(journalPath(dir), 'r'))?.close();
  } catch (err) {
    throw new ConfigError(`The journal in ${dir} is not usable: ${why(err)}. Move that file away, ${off}.`);
  }
  addSecret(key);
  return config.confirmSecret ? config : { ...config, confirmSecret: key, keyFile: join(dir, KEY_FILE) };
}
