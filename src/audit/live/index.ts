/**
 * The live audit (issue 25): the zone's own checks (../index.ts), then the checks that look
 * outside the zone through a LiveResolver, each finding with the call that fixes it. No I/O here
 * but what the resolver does; the tool builds the resolver (src/dns/live-resolver.ts).
 */
import { auditZone } from '../index.js';
import { SEVERITIES, type AuditRecord, type AuditReport, type Finding, type NotChecked, type Severity } from '../types.js';
import { checkTargets } from './targets.js';
import { checkDelegations } from './delegation.js';
import { MAIL_CHECKS } from './mail/index.js';
import type { LiveCheck, LiveFinding, LiveOptions, LiveResolver } from './types.js';

export type { LiveAnswer, LiveCheck, LiveFinding, LiveFix, LiveOptions, LiveResolver, LiveRr, LiveServerAnswer } from './types.js';
export { fixText } from '../fix.js';

/** The live checks, in report order. */
export const LIVE_CHECKS: LiveCheck[] = [checkTargets, checkDelegations, ...MAIL_CHECKS];

export interface LiveReport extends AuditReport {
  findings: Array<Finding | LiveFinding>;
  live: { lookups: number; elapsed_ms: number; exhausted: string | null };
}

/** Static checks the live ones replace: they resolve what the static check could only skip. */
const REPLACED = new Set(['dangling_cname', 'mx_target', 'ns_target', 'srv_target']);

const rank = (s: Severity) => SEVERITIES.indexOf(s);
const byImportance = (a: Finding, b: Finding) => rank(a.severity) - rank(b.severity) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

export async function auditZoneLive(zone: string, records: readonly AuditRecord[], resolver: LiveResolver, extra: Omit<LiveOptions, 'skip'> = {}, checks: readonly LiveCheck[] = LIVE_CHECKS): Promise<LiveReport> {
  const started = Date.now();
  const base = auditZone(zone, records);
  const skipped = new Map<string, NotChecked>();
  const opts: LiveOptions = {
    ...extra,
    skip(check, reason, recs) {
      const key = `${check}|${reason}`;
      const n = skipped.get(key) ?? { check, reason, records: [] };
      n.records.push(...recs.map((r) => ({ ...r })));
      skipped.set(key, n);
    },
  };
  // Checks run one after another: they share the resolver's memo, and its budget is spent in order.
  const live: LiveFinding[] = [];
  for (const check of checks) live.push(...(await check(base.zone, records, resolver, opts)));
  // A live finding about what the zone's own check also saw (same code, name and records: an MX
  // target that is a CNAME, two SPF records) takes its place: it is what is served, and has the fix call.
  const key = (f: Finding) => `${f.code}|${f.name}|${f.records.map((r) => `${r.record_type} ${r.value}`).sort().join(',')}`;
  const seen = new Set(live.map(key));
  const findings = [...base.findings.filter((f) => !seen.has(key(f))), ...live].sort(byImportance);
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const notChecked = [...base.not_checked.filter((n) => !REPLACED.has(n.check) || !/outside the zone/.test(n.reason)), ...skipped.values()];
  return { ...base, counts, findings, not_checked: notChecked, live: { lookups: resolver.lookups, elapsed_ms: Date.now() - started, exhausted: resolver.exhausted } };
}
