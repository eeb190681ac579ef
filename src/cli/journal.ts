/**
 * `vpsorg-dns-mcp journal verify`: checks the change journal (every rotated file too): the keyed
 * hash chain, and that each entry says what its signed receipt says. Exit 0 intact, 1 broken, 2 usage.
 */
import { ConfigError } from '../errors.js';
import { forSandbox, loadConfig, type Env } from '../config.js';
import { journalAt, journalPath } from '../history/journal.js';
import { openJournal } from '../history/state.js';
import { checkEntry } from '../history/evidence.js';
import { applyGlobalFlag, emptyArgs } from './args.js';
import { writeDiagnostic, writeResult } from './output.js';

const USAGE = 'usage: vpsorg-dns-mcp journal verify [--journal-dir DIR] [--sandbox]';

export async function runJournalCommand(argv: string[], env: Env): Promise<number> {
  try {
    if (argv[0] !== 'verify') throw new ConfigError(USAGE);
    const g = emptyArgs();
    for (let i = 1; i < argv.length; ) {
      const used = applyGlobalFlag(g, argv, i);
      if (!used) throw new ConfigError(`journal verify: unknown argument "${argv[i]}". ${USAGE}`);
      i += used;
    }
    const loaded = loadConfig({ ...env, ...g.env });
    const config = await openJournal(g.sandbox ? forSandbox(loaded) : loaded);
    const dir = config.journalDir;
    if (!dir) throw new ConfigError('No journal is configured (VPSORG_JOURNAL=off, or neither VPSORG_JOURNAL_DIR nor a state directory).');
    const [bound, notes]: [string[], string[]] = [[], []];
    const now = Date.now();
    let n = 0;
    // The chain says no entry changed since it was written; the receipts say who wrote them.
    const r = await journalAt(dir).verify((e) => {
      if (e.type !== 'change') return;
      n++;
      const f = checkEntry(config, e, now);
      if (f?.kind === 'edited') bound.push(`${e.change_id}: ${f.why}`);
      else if (f?.kind === 'key') notes.push(`${e.change_id}: ${f.why}`);
    });
    const problems = [...r.problems, ...bound];
    const ignored = r.ignored.length ? ` ${r.ignored.length} unreadable line(s) skipped (line ${r.ignored.join(', ')}; a crash mid-write leaves one).` : '';
    const rotated = r.files.length > 1 ? ` (with ${r.files.length - 1} rotated file(s))` : '';
    const noted = notes.length ? `\n${notes.length} receipt(s) cannot be checked with this server's key (undo_change refuses them here):\n${notes.slice(0, 20).map((x) => `  ${x}`).join('\n')}` : '';
    if (!problems.length) {
      await writeResult(`${journalPath(dir)}${rotated}: ${r.entries} entries, hash chain intact, ${n - notes.length} receipt(s) match their entries.${ignored}${noted}`);
      return 0;
    }
    writeDiagnostic(`${journalPath(dir)}${rotated}: hash chain BROKEN (${r.entries} entries).${ignored}\n${problems.map((p) => `  ${p}`).join('\n')}${noted}`);
    return 1;
  } catch (err) {
    if (err instanceof ConfigError) {
      writeDiagnostic(`vpsorg-dns-mcp journal: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
