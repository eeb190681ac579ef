/**
 * `vpsorg-dns-mcp export --dir zones/`: every zone of the account as `<zone>.zone`, in the form
 * `plan` reads, so that export then plan is an empty plan. The file changes only when the records
 * do: canonical order, and an SOA that is the provider's generated one with serial 1, because the
 * real serial moves on every change and would make every export a diff (plan never touches the SOA).
 * Records managed elsewhere (code-rules.ts) are left out: the repository does not own them.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Env } from '../config.js';
import { renderZoneFile } from '../domain/zonefile.js';
import { sortLive } from '../domain/code-rules.js';
import { normaliseZone } from '../domain/names.js';
import { providerNsNames } from '../dns/zone-soa.js';
import { UserError } from '../errors.js';
import { readRules } from './code-inputs.js';
import { liveRecords } from './code-zones.js';
import { runCodeCommand } from './code.js';
import { writeResult } from './output.js';
import { EXIT } from './report.js';

export const EXPORT_SOA_NOTE = 'SOA as the provider generates it, serial fixed at 1: the provider sets the real one; plan and apply leave the SOA alone';

/** Writes `text` unless the file holds it already; whether it wrote. */
async function writeIfChanged(path: string, text: string): Promise<boolean> {
  const old = await readFile(path, 'utf8').catch(() => null);
  if (old === text) return false;
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
  return true;
}

interface Exported {
  zone: string;
  file: string;
  records: number;
  written: boolean;
  left_out: { protected: number; ignored: number };
}

export function runExportCommand(argv: string[], env: Env): Promise<number> {
  return runCodeCommand('export', argv, env, async (a, open) => {
    const rules = await readRules(a);
    const session = await open();
    const dir = a.dir as string;
    const wanted = a.zone ? a.zone.split(',').map((z) => normaliseZone(z.trim())) : null;
    const zones = (await session.ctx.zones.visibleZones()).filter((z) => !wanted || wanted.includes(z.domain)).sort((x, y) => (x.domain < y.domain ? -1 : 1));
    const missing = wanted?.filter((w) => !zones.some((z) => z.domain === w)) ?? [];
    if (missing.length) throw new UserError(`No zone ${missing.join(', ')} in this account (or outside VPSORG_ALLOWED_ZONES).`, { code: 'not_found', field: 'zone' });
    await mkdir(dir, { recursive: true });
    const out: Exported[] = [];
    for (const z of zones) {
      const sorted = sortLive(await liveRecords(session.ctx, z), rules);
      const text = renderZoneFile(z.domain, sorted.managed, { nameservers: providerNsNames(session.config), serial: 1, soaNote: EXPORT_SOA_NOTE });
      const file = join(dir, `${z.domain}.zone`);
      out.push({ zone: z.domain, file, records: sorted.managed.length, written: await writeIfChanged(file, text), left_out: { protected: sorted.protected.length, ignored: sorted.ignored.length } });
    }
    const line = (o: Exported) => `${o.zone}: ${o.records} records -> ${o.file}${o.written ? '' : ' (unchanged)'}${o.left_out.protected + o.left_out.ignored ? `; left out, managed elsewhere: ${o.left_out.protected} protected, ${o.left_out.ignored} ignored` : ''}`;
    await writeResult(a.format === 'json' ? JSON.stringify({ zones: out }, null, 2) : out.map(line).join('\n') || 'No zones in this account.');
    return EXIT.ok;
  });
}
