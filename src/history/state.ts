/**
 * At start-up, before serving: the journal's directory and files are checked (an unusable one
 * stops the server with one line, exit 2, rather than failing every change later), and the key
 * beside the journal becomes the signing secret when VPSORG_CONFIRM_SECRET is not set. A
 * configured secret still wins: replicas must agree on one, and none of them owns this file.
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
