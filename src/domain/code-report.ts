/**
 * A DNS-as-code plan as the `plan` command reports it (JSON as is; text and Markdown are rendered
 * from it by code-text.ts and code-markdown.ts), so that every format says the same thing.
 */
import type { CodeChange } from './code-plan.js';

/** What a change would add to the zone's audit (audit/after-change.ts ChangeWarning). */
export interface CodeFinding {
  severity: string;
  code: string;
  count: number;
  names: string[];
  message: string;
  fix: string;
}

export interface ZoneReport {
  zone: string;
  /** The zone file that says what the zone should be. */
  file: string;
  /** What it was compared with: `live` (the provider), or the path of a committed export. */
  against: string;
  counts: { create: number; update: number; delete: number; unchanged: number };
  changes: CodeChange[];
  /** The effect policy's findings (src/safety/effect.ts): what `apply` needs `--confirm` for. */
  effects: Array<{ code: string; reason: string }>;
  findings: CodeFinding[];
  /** Protected live records the file does not name, left as they are (their names, the first few). */
  kept: { count: number; names: string[] };
  ignored: { live: number; file: number };
  /** Lines of the file that are not records of the zone (the SOA, other types). */
  skipped: number;
}

export interface PlanReport {
  digest: string;
  /** Changes in all zones. */
  total: number;
  /** Every effect code any zone's changes carry: `--confirm` must name each. */
  effects: string[];
  zones: ZoneReport[];
}

export function planReport(zones: ZoneReport[], digest: string): PlanReport {
  const effects = [...new Set(zones.flatMap((z) => z.effects.map((e) => e.code)))].sort();
  return { digest, total: zones.reduce((n, z) => n + z.changes.length, 0), effects, zones };
}

/** `2 create, 1 update, 1 delete`: the counts that are not zero. */
export function countsLine(c: Pick<ZoneReport['counts'], 'create' | 'update' | 'delete'>): string {
  const parts = (['create', 'update', 'delete'] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`);
  return parts.length ? parts.join(', ') : 'no changes';
}

export const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** The one line every format ends with. */
export function summaryLine(r: PlanReport): string {
  const changed = r.zones.filter((z) => z.changes.length > 0).length;
  const sum = { create: 0, update: 0, delete: 0 };
  for (const z of r.zones) for (const k of ['create', 'update', 'delete'] as const) sum[k] += z.counts[k];
  const head = r.total === 0 ? `No changes in ${plural(r.zones.length, 'zone')}` : `${plural(r.total, 'change')} (${countsLine(sum)}) in ${changed} of ${plural(r.zones.length, 'zone')}`;
  return `${head}${r.effects.length ? `; apply needs --confirm ${r.effects.join(',')}` : ''}.`;
}
