/**
 * The key kept beside the journal (`state.key`, 32 random bytes, base64url, mode 0600), made once
 * by the first process that needs it. It keys the journal's hash chain, and without
 * VPSORG_CONFIRM_SECRET it is the secret for receipts and tokens too: a stdio server is a new
 * process each time its client starts, and a change made by yesterday's process must still be
 * undoable today. Whoever can read it can sign as this server; it is as private as the journal.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createPrivate, openPrivate, PrivateFileError } from './private-fs.js';

export const KEY_FILE = 'state.key';
const SHAPE = /^[A-Za-z0-9_-]{43}$/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readKey(path: string): Promise<string | null> {
  const fh = await openPrivate(path, 'r');
  if (!fh) return null;
  try {
    const text = (await fh.readFile('utf8')).trim();
    if (!SHAPE.test(text)) throw new PrivateFileError(path, 'it is not a key this server wrote (delete it to make a new one; receipts signed with it then stop working)');
    return text;
  } finally {
    await fh.close();
  }
}

/** The key in `dir`, or null when there is none (never creates one: for reading a journal made elsewhere). */
export const readStateKey = (dir: string): Promise<string | null> => readKey(join(dir, KEY_FILE));

/** The key in `dir` (created when missing). Throws PrivateFileError when the file there is not usable. */
export async function loadStateKey(dir: string): Promise<string> {
  const path = join(dir, KEY_FILE);
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const found = await readKey(path);
      if (found) return found;
      const fresh = randomBytes(32).toString('base64url');
      if (await createPrivate(path, `${fresh}\n`, dir)) return fresh;
    } catch (err) {
      // Another process creating it holds a second (temporary) link for a moment: look again.
      if (!(err instanceof PrivateFileError && /hard links/.test(err.message))) throw err;
      await sleep(25);
    }
  }
  throw new PrivateFileError(path, 'it keeps changing (another process is replacing it)');
}
