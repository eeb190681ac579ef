/** A plan for a terminal: one block per zone, the changes as a zone-file-style diff, then the summary. */
import { countsLine, plural, summaryLine, type PlanReport, type ZoneReport } from './code-report.js';
import type { CodeChange } from './code-plan.js';

function changeLine(c: CodeChange): string {
  if (c.action === 'create') return `  + ${c.name} ${c.ttl} IN ${c.type} ${c.new ?? ''}`;
  if (c.action === 'delete') return `  - ${c.name} ${c.ttl} IN ${c.type} ${c.old ?? ''}`;
  const ttl = c.old_ttl !== undefined ? `${c.old_ttl} -> ${c.ttl}` : String(c.ttl);
  return `  ~ ${c.name} ${ttl} IN ${c.type} ${c.old === c.new ? (c.new ?? '') : `${c.old ?? ''} -> ${c.new ?? ''}`}`;
}

function zoneBlock(z: ZoneReport): string[] {
  const against = z.against === 'live' ? 'the live zone' : z.against;
  const out = [`${z.zone} (${z.file} against ${against}): ${countsLine(z.counts)}, ${z.counts.unchanged} unchanged.`];
  out.push(...z.changes.map(changeLine));
  out.push(...z.effects.map((e) => `  [${e.code}] ${e.reason}`));
  out.push(...z.findings.map((f) => `  audit ${f.severity} ${f.code} at ${f.names.join(', ')}: ${f.message} Fix: ${f.fix}`));
  if (z.kept.count) out.push(`  left alone: ${plural(z.kept.count, 'protected record')} (${z.kept.names.join(', ')})`);
  if (z.ignored.live || z.ignored.file) out.push(`  ignored: ${z.ignored.live} live, ${z.ignored.file} in the file`);
  return out;
}

export function planText(r: PlanReport): string {
  return `${[...r.zones.flatMap(zoneBlock), summaryLine(r), `Plan digest: ${r.digest}`].join('\n')}\n`;
}
