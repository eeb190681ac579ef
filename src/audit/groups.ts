/**
 * Findings as a result shows them: identical findings (same severity and code) become one group
 * with a count and a few examples, so 300 private addresses cost one entry, not 300.
 */
import type { AuditRecord, AuditReport, Finding, NotChecked, Severity } from './types.js';
import type { LiveFinding } from './live/types.js';
import { fixText, type FixCall } from './fix.js';

/** Records shown per example; the rest are counted. */
export const RECORDS_PER_EXAMPLE = 5;
export const EXAMPLES_PER_GROUP = 3;

export interface FindingExample {
  name: string;
  message: string;
  fix: string;
  records: AuditRecord[];
  /** Records concerned beyond those shown. */
  records_omitted: number;
  /** The call that fixes it (or an instruction). */
  fix_call: FixCall;
  confidence?: 'high' | 'medium' | 'low';
}

export interface FindingGroup {
  severity: Severity;
  code: string;
  /** How many findings of this code. */
  count: number;
  examples: FindingExample[];
}

export function exampleOf(f: Finding | LiveFinding): FindingExample {
  const sure = 'confidence' in f && f.confidence ? { confidence: f.confidence } : {};
  return { name: f.name, message: f.message, fix: f.fix, records: f.records.slice(0, RECORDS_PER_EXAMPLE), records_omitted: Math.max(0, f.records.length - RECORDS_PER_EXAMPLE), fix_call: f.fix_call, ...sure };
}

/** The line under a finding that says how to fix it: the exact call, or what a person must decide. */
export function fixLine(f: Finding): string {
  return `${'instruction' in f.fix_call ? 'fix' : 'next'}: ${fixText(f.fix_call)}`;
}

/** Groups in the report's order (most severe first); `examples` is how many findings each group shows in full. */
export function groupFindings(findings: readonly Finding[], examples = EXAMPLES_PER_GROUP): Array<FindingGroup & { all: Finding[] }> {
  const groups = new Map<string, FindingGroup & { all: Finding[] }>();
  for (const f of findings) {
    const key = `${f.severity}|${f.code}`;
    const g = groups.get(key) ?? { severity: f.severity, code: f.code, count: 0, examples: [], all: [] };
    g.count++;
    g.all.push(f);
    if (g.examples.length < examples) g.examples.push(exampleOf(f));
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** What could not be checked, with a few of the records and the count of all. */
export function notCheckedSummary(n: NotChecked): { check: string; reason: string; count: number; records: AuditRecord[] } {
  return { check: n.check, reason: n.reason, count: n.records.length, records: n.records.slice(0, RECORDS_PER_EXAMPLE) };
}

/** A group as lines: head with the count and the first names, then the first example's message and fix. */
export function groupLines(g: FindingGroup & { all: Finding[] }, codeWidth: number): string[] {
  const first = g.examples[0];
  const all = [...new Set(g.all.map((f) => f.name))];
  const names = all.slice(0, 5).join(', ') + (all.length > 5 ? `, ... (${all.length - 5} more)` : '');
  const head = `${g.severity.padEnd(7)} ${g.code.padEnd(codeWidth)} ${g.count > 1 ? `x${g.count} at ${names}` : (first?.name ?? '')}`;
  const f = g.all[0];
  return first && f ? [head, `        ${first.message}${first.confidence ? ` (confidence: ${first.confidence})` : ''}`, `        ${fixLine(f)}`] : [head];
}

export function groupsText(r: AuditReport, groups: Array<FindingGroup & { all: Finding[] }>): string[] {
  const codeWidth = Math.max(4, ...r.findings.map((f) => f.code.length));
  return groups.flatMap((g) => groupLines(g, codeWidth));
}
