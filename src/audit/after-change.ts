/**
 * Warn before a write makes the zone worse (issue 12.4): the audit runs on the zone as it is and
 * as it would be after the planned changes, and only findings the change adds are reported,
 * grouped by kind so that a plan of 2,000 records cannot flood the answer.
 */
import { applyChanges, type Change, type CurrentRecord } from '../domain/diff.js';
import { auditZone } from './index.js';
import type { Finding, Severity } from './types.js';

export interface ChangeWarning {
  severity: Exclude<Severity, 'info'>;
  code: string;
  /** How many findings of this kind the change adds. */
  count: number;
  /** Owner names concerned (the first few). */
  names: string[];
  /** The first finding's message and fix; the others are alike. */
  message: string;
  fix: string;
}

const MAX_NAMES = 5;
const key = (f: Finding) => `${f.code}|${f.name}|${f.message}`;

/** Findings (errors and warnings) of the zone after `changes` that the zone does not have now, grouped by kind. */
export function warningsAfter(zone: string, current: CurrentRecord[], changes: Change[]): ChangeWarning[] {
  if (!changes.length) return [];
  const before = new Map<string, number>();
  for (const f of auditZone(zone, current).findings) before.set(key(f), (before.get(key(f)) ?? 0) + 1);
  const groups = new Map<string, ChangeWarning>();
  for (const f of auditZone(zone, applyChanges(current, changes)).findings) {
    if (f.severity === 'info') continue;
    const seen = before.get(key(f)) ?? 0;
    if (seen > 0) {
      before.set(key(f), seen - 1);
      continue;
    }
    const g = groups.get(`${f.severity}|${f.code}`);
    if (!g) groups.set(`${f.severity}|${f.code}`, { severity: f.severity, code: f.code, count: 1, names: [f.name], message: f.message, fix: f.fix });
    else {
      g.count++;
      if (g.names.length < MAX_NAMES && !g.names.includes(f.name)) g.names.push(f.name);
    }
  }
  return [...groups.values()];
}

/** The warnings as lines for a data block (messages quote record data). */
export function warningLines(ws: readonly ChangeWarning[]): string[] {
  return ws.flatMap((w) => {
    const count = w.count > 1 ? ` (${w.count} findings${w.count > w.names.length ? `, first at ${w.names.length} names` : ''})` : '';
    return [`${w.severity} ${w.code} at ${w.names.join(', ')}${count}`, `    ${w.message}`, `    fix: ${w.fix}`];
  });
}
