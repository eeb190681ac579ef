/** The zone audit: pure checks over a zone's records, no I/O, no SDK. */
import { ZoneIndex } from './zone-index.js';
import { Sink } from './sink.js';
import { checkCnames, checkHostTargets } from './checks-targets.js';
import { checkDmarc, checkSpf } from './checks-mail.js';
import { checkAddresses, checkAmbiguousNames, checkCaa, checkTtls, checkWildcards } from './checks-misc.js';
import { SEVERITIES, type AuditRecord, type AuditReport, type Finding, type Severity } from './types.js';

export type { AuditRecord, AuditReport, Finding, NotChecked, Severity } from './types.js';
export { SEVERITIES } from './types.js';
export { classifyAddress } from './addresses.js';
export { groupFindings, groupsText, exampleOf, fixLine, notCheckedSummary, type FindingGroup, type FindingExample } from './groups.js';
import { fixLine } from './groups.js';

const CHECKS = [checkAmbiguousNames, checkCnames, checkHostTargets, checkSpf, checkDmarc, checkCaa, checkTtls, checkAddresses, checkWildcards];

const rank = (s: Severity) => SEVERITIES.indexOf(s);
const byImportance = (a: Finding, b: Finding) => rank(a.severity) - rank(b.severity) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** Every finding about `records` (the zone's records as the API returns them), most severe first. */
export function auditZone(zone: string, records: readonly AuditRecord[]): AuditReport {
  const ix = new ZoneIndex(zone, records);
  const sink = new Sink();
  for (const check of CHECKS) check(ix, sink);
  const findings = [...sink.findings].sort(byImportance);
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return { zone: ix.zone, record_count: records.length, counts, findings, not_checked: sink.notChecked() };
}

export function summaryLine(r: AuditReport): string {
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  return `Audit of ${r.zone} (${n(r.record_count, 'record')}): ${n(r.counts.error, 'error')}, ${n(r.counts.warning, 'warning')}, ${r.counts.info} info.`;
}

/** The findings as a short table (severity, code, name) with each message and fix beneath. */
export function findingLines(r: AuditReport): string[] {
  const codeWidth = Math.max(4, ...r.findings.map((f) => f.code.length));
  const lines: string[] = [];
  for (const f of r.findings) {
    lines.push(`${f.severity.padEnd(7)} ${f.code.padEnd(codeWidth)} ${f.name}`);
    lines.push(`        ${f.message}`);
    lines.push(`        ${fixLine(f)}`);
  }
  return lines;
}

export function notCheckedLines(r: AuditReport): string[] {
  return r.not_checked.map((n) => `${n.check}: ${n.records.length} record${n.records.length === 1 ? '' : 's'} not checked (${n.reason})`);
}
