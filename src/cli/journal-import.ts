/**
 * `vpsorg-dns-mcp journal import PATH`: copies a file journal (its folder, rotated files included,
 * or one file) into the shared journal of VPSORG_STATE_URL, once (history/store/import.ts), then
 * reports the shared journal as `journal verify` does. Exit 0 done, 1 not imported, 2 usage.
 */
import { ConfigError } from '../errors.js';
import type { Env } from '../config.js';
import { journalFor } from '../history/journal.js';
import { importJournal } from '../history/store/import.js';
import type { PgJournal } from '../history/store/pg-journal.js';
import { JOURNAL_USAGE, journalConfig, verifyReport } from './journal.js';
import { writeDiagnostic, writeResult } from './output.js';

export async function runJournalImport(argv: string[], env: Env): Promise<number> {
  const { config, positional } = await journalConfig(argv, env);
  if (positional.length !== 1) throw new ConfigError(`journal import takes one PATH: the file journal's folder (VPSORG_JOURNAL_DIR) or a journal file. ${JOURNAL_USAGE}`);
  if (!config.stateUrl) throw new ConfigError('journal import copies a file journal into the shared one: set VPSORG_STATE_URL (and VPSORG_CONFIRM_SECRET) as the servers have them.');
  const into = journalFor(config) as PgJournal | undefined;
  if (!into) throw new ConfigError('VPSORG_JOURNAL=off: there is no shared journal to import into.');
  const path = positional[0] as string;
  let r: Awaited<ReturnType<typeof importJournal>>;
  try {
    r = await importJournal(path, into);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ConfigError(`journal import: ${path} does not exist.`);
    throw err;
  }
  if (r.problems.length) {
    writeDiagnostic(`${path}: not imported, nothing was changed (${r.read} entries read):\n${r.problems.map((p) => `  ${p}`).join('\n')}`);
    return 1;
  }
  const again = r.read > r.added ? ` ${r.read - r.added} were imported before and were left as they are.` : '';
  const partial = r.partial ? ' Its oldest entry follows one that is not there (rotated out, or in a file not given): import the folder to include the rotated files.' : '';
  // Appended to the chain, listed by time: say so, since the chain's order is not the listing's.
  const listed = r.added ? ' list_changes shows them by their recorded times, among the changes made since.' : '';
  await writeResult(`${path}: ${r.read} entries read, ${r.added} added to the shared journal.${listed}${again}${partial}`);
  return verifyReport(config, into);
}
