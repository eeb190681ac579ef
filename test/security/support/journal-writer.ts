/**
 * A second server process as far as the journal is concerned: appends `count` entries to the
 * journal in `dir`, starting once `go` exists (so every writer starts together), then exits.
 * Run with `node --import tsx`.
 */
import { existsSync } from 'node:fs';
import { FileJournal } from '../../../src/history/store/file-journal.js';

const [dir, name, count, go] = process.argv.slice(2) as [string, string, string, string];
const journal = new FileJournal(dir);
process.stdout.write('ready\n');
while (!existsSync(go)) await new Promise((r) => setTimeout(r, 5));
for (let i = 0; i < Number(count); i++) {
  await journal.append({ type: 'change', change_id: `chg_${name}_${i}`, time: new Date().toISOString(), tool: 'create_record', zone: { uuid: 'z', domain: 'example.com' }, kind: 'records', summary: `${name} ${i}`, changes: [], receipt: 'vur1.x.y' });
}
