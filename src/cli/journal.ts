/** `vpsorg-dns-mcp journal verify`: checks the change journal's hash chain. Exit 0 intact, 1 broken, 2 usage. */
import { ConfigError } from '../errors.js';
import { loadConfig, type Env } from '../config.js';
import { journalPath, verifyJournal } from '../history/journal.js';
import { applyGlobalFlag, emptyArgs } from './args.js';
import { writeDiagnostic, writeResult } from './output.js';

export async function runJournalCommand(argv: string[], env: Env): Promise<number> {
  try {
    if (argv[0] !== 'verify') throw new ConfigError('usage: vpsorg-dns-mcp journal verify [--journal-dir DIR]');
    const g = emptyArgs();
    for (let i = 1; i < argv.length; ) {
      const used = applyGlobalFlag(g, argv, i);
      if (!used) throw new ConfigError(`journal verify: unknown argument "${argv[i]}".`);
      i += used;
    }
    const dir = loadConfig({ ...env, ...g.env }).journalDir;
    if (!dir) throw new ConfigError('No journal is configured (VPSORG_JOURNAL=off, or neither VPSORG_JOURNAL_DIR nor a state directory).');
    const r = await verifyJournal(dir);
    const ignored = r.ignored.length ? ` ${r.ignored.length} unreadable line(s) skipped (line ${r.ignored.join(', ')}; a crash mid-write leaves one).` : '';
    if (r.ok) {
      await writeResult(`${journalPath(dir)}: ${r.entries} entries, hash chain intact.${ignored}`);
      return 0;
    }
    writeDiagnostic(`${journalPath(dir)}: hash chain BROKEN (${r.entries} entries).${ignored}\n${r.problems.map((p) => `  ${p}`).join('\n')}`);
    return 1;
  } catch (err) {
    if (err instanceof ConfigError) {
      writeDiagnostic(`vpsorg-dns-mcp journal: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
