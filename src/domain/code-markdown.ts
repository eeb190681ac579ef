/**
 * A plan as a pull-request comment: a GitHub-flavoured table per zone, the gate's findings as
 * badges, a summary line, and hidden markers a workflow finds its own comment by (to update it in
 * place rather than add one per push) and reads the reviewed digest from (to apply exactly it).
 * Record data is provider or file data: it goes into code spans, escaped so no cell can break
 * out of its table or add markup.
 */
import { countsLine, plural, summaryLine, type PlanReport, type ZoneReport } from './code-report.js';
import type { CodeChange } from './code-plan.js';

export const PLAN_MARKER = '<!-- vpsorg-dns-mcp:plan -->';
const DIGEST_MARKER = (d: string) => `<!-- vpsorg-dns-mcp:digest ${d} -->`;

/**
 * The digest a comment carries, or null. The markers are whole lines at the top of the comment;
 * record data can quote them only inside a table row, so a workflow matches whole lines
 * (`grep -m1 '^<!-- vpsorg-dns-mcp:digest'`) and a body that starts with PLAN_MARKER.
 */
export function digestInComment(body: string): string | null {
  return /^<!-- vpsorg-dns-mcp:digest ([0-9a-f]{64}) -->$/m.exec(body)?.[1] ?? null;
}

/** An inline code span that holds any text: a fence longer than any backtick run inside, pipes escaped for the table. */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

const OP = { create: 'create', update: 'update', delete: 'delete' } as const;

function row(c: CodeChange): string {
  const ttl = c.old_ttl !== undefined ? `${c.old_ttl} → ${c.ttl}` : String(c.ttl);
  const value = c.action === 'create' ? `→ ${code(c.new ?? '')}` : c.action === 'delete' ? `${code(c.old ?? '')} → (removed)` : c.old === c.new ? code(c.new ?? '') : `${code(c.old ?? '')} → ${code(c.new ?? '')}`;
  return `| ${OP[c.action]} | ${code(c.name)} | ${c.type} | ${ttl} | ${value} |`;
}

function zoneSection(z: ZoneReport): string[] {
  const badges = z.effects.map((e) => `**\`${e.code}\`**`).join(' ');
  const head = `#### ${code(z.zone)}: ${countsLine(z.counts)}, ${z.counts.unchanged} unchanged${badges ? ` ${badges}` : ''}`;
  const out = ['', head, '', `Desired: ${code(z.file)}; compared with ${z.against === 'live' ? 'the live zone' : code(z.against)}.`];
  if (z.changes.length) out.push('', '| Operation | Name | Type | TTL | Old → New |', '|---|---|---|---|---|', ...z.changes.map(row));
  if (z.effects.length) out.push('', `> **Held by the gate** (apply needs \`--confirm ${z.effects.map((e) => e.code).join(',')}\`):`, ...z.effects.map((e) => `> - \`${e.code}\`: ${escapeText(e.reason)}`));
  if (z.findings.length) out.push('', '**Audit findings this change adds:**', ...z.findings.map((f) => `- ${f.severity} \`${f.code}\` at ${f.names.map(code).join(', ')}${f.count > 1 ? ` (${f.count})` : ''}: ${escapeText(f.message)} Fix: ${escapeText(f.fix)}`));
  if (z.kept.count) out.push('', `Left alone (managed elsewhere): ${plural(z.kept.count, 'protected record')} (${z.kept.names.map(code).join(', ')}).`);
  if (z.ignored.live || z.ignored.file) out.push('', `Ignored: ${z.ignored.live} live, ${z.ignored.file} in the file.`);
  return out;
}

/** Text outside code spans: markup characters and HTML escaped. */
export function escapeText(s: string): string {
  return s.replace(/[\\`*_[\]<>|#~]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : `\\${ch}`));
}

export function planMarkdown(r: PlanReport): string {
  const title = r.total === 0 ? 'DNS plan: no changes' : `DNS plan: ${plural(r.total, 'change')}`;
  const lines = [PLAN_MARKER, DIGEST_MARKER(r.digest), `### ${title}`];
  for (const z of r.zones) lines.push(...zoneSection(z));
  lines.push('', `**Summary:** ${escapeText(summaryLine(r))} Plan digest: \`${r.digest}\`.`);
  return `${lines.join('\n')}\n`;
}
