/**
 * `vpsorg-dns-mcp journal verify`: checks the change journal (every rotated file too, or the shared
 * one with VPSORG_STATE_URL): the keyed hash chain, and that each entry says what its signed
 * receipt says. Exit 0 intact, 1 broken, 2 usage. `journal import` is journal-import.ts.
 */
import { ConfigError } from '../errors.js';
import { forSandbox, loadConfig, type Config, type Env } from '../config.js';
import { journalFor, journalPath, type Entry, type JournalStore } from '../history/journal.js';
import { openWrites } from '../history/open-writes.js';
import { openJournal } from '../history/state.js';
import { checkEntry } from '../history/evidence.js';
import { applyGlobalFlag, emptyArgs } from './args.js';
import { writeDiagnostic, writeResult } from './output.js';

export const JOURNAL_USAGE = 'usage: vpsorg-dns-mcp journal verify [--journal-dir DIR] [--sandbox]\n       vpsorg-dns-mcp journal import PATH   (a file journal folder or file, into the VPSORG_STATE_URL one)';

/** The configuration the journal subcommands run with: flags after the subcommand, positionals handed back. */
export async function journalConfig(argv: string[], env: Env): Promise<{ config: Config; positional: string[] }> {
  const g = emptyArgs();
  const positional: string[] = [];
  for (let i = 1; i < argv.length; ) {
    const used = argv[i]?.startsWith('--') ? applyGlobalFlag(g, argv, i) : 0;
    if (!used) positional.push(argv[i] as string);
    i += used || 1;
  }
  const loaded = loadConfig({ ...env, ...g.env });
  return { config: await openJournal(g.sandbox ? forSandbox(loaded) : loaded), positional };
}

/** `journal verify`'s report of `journal`: 0 intact, 1 broken. */
export async function verifyReport(config: Config, journal: JournalStore): Promise<number> {
  const [bound, notes]: [string[], string[]] = [[], []];
  const now = Date.now();
  let n = 0;
  const writes: Entry[] = [];
  // The chain says no entry changed since it was written; the receipts say who wrote them.
  const r = await journal.verify((e) => {
    if (e.type === 'pending' || e.type === 'settled' || (e.type === 'change' && e.pending)) writes.push(e);
    if (e.type !== 'change') return;
    n++;
    const f = checkEntry(config, e, now);
    if (f?.kind === 'edited') bound.push(`${e.change_id}: ${f.why}`);
    else if (f?.kind === 'key') notes.push(`${e.change_id}: ${f.why}`);
  });
  const unknown = openWrites(writes).size;
  const where = config.journalDir && !config.stateUrl ? journalPath(config.journalDir) : journal.where;
  const problems = [...r.problems, ...bound];
  const ignored = r.ignored.length ? ` ${r.ignored.length} unreadable line(s) skipped (line ${r.ignored.join(', ')}; a crash mid-write leaves one).` : '';
  const rotated = r.files.length > 1 ? ` (with ${r.files.length - 1} rotated file(s))` : '';
  const open = unknown > 0 ? ` ${unknown} write(s) of unknown outcome (cut off mid-write: list_changes shows them).` : '';
  const noted = notes.length ? `\n${notes.length} receipt(s) cannot be checked with this server's key (undo_change refuses them here):\n${notes.slice(0, 20).map((x) => `  ${x}`).join('\n')}` : '';
  if (!problems.length) {
    await writeResult(`${where}${rotated}: ${r.entries} entries, hash chain intact, ${n - notes.length} receipt(s) match their entries.${open}${ignored}${noted}`);
    return 0;
  }
  writeDiagnostic(`${where}${rotated}: hash chain BROKEN (${r.entries} entries).${ignored}\n${problems.map((p) => `  ${p}`).join('\n')}${noted}`);
  return 1;
}

export async function runJournalCommand(argv: string[], env: Env): Promise<number> {
  try {
    if (argv[0] === 'import') return await (await import('./journal-import.js')).runJournalImport(argv, env);
    if (argv[0] !== 'verify') throw new ConfigError(JOURNAL_USAGE);
    const { config, positional } = await journalConfig(argv, env);
    if (positional.length) throw new ConfigError(`journal verify: unknown argument "${positional[0]}". ${JOURNAL_USAGE}`);
    const journal = journalFor(config);
    if (!journal) throw new ConfigError('No journal is configured (VPSORG_JOURNAL=off, or neither VPSORG_STATE_URL, VPSORG_JOURNAL_DIR nor a state directory).');
    return await verifyReport(config, journal);
  } catch (err) {
    if (err instanceof ConfigError) {
      writeDiagnostic(`vpsorg-dns-mcp journal: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
