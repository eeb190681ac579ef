/**
 * Checks an interrupted apply_zone against what really happened in the emulator: the result's
 * applied / failed / not_applied lists (from the error's data) must cover the plan exactly, each
 * applied change must be in the zone, each not-applied one must not be, and a failed change found
 * applied is allowed only when its message said the outcome was unknown.
 */
import type { RecordSpec } from '../../../src/domain/model.js';
import { compare, expectSame, keyOf, type Comparison, type Expected, type Snapshot } from './state.js';
import { tally } from './recorder.js';
import type { CallResult } from './world.js';

export interface ChangeOut {
  action: 'create' | 'update' | 'delete';
  before?: RecordSpec & { uuid: string };
  after?: RecordSpec;
  error?: string;
}

/** Stable identity of a planned change, to match lists against the plan. */
export const changeId = (c: ChangeOut): string => `${c.action}:${c.before?.uuid ?? ''}:${c.after ? keyOf(c.after) : ''}`;

/** Messages that admit the outcome is unknown (a write whose answer was lost). */
export const UNCERTAIN = /may or may not have been applied|may have reached the server|did not answer/i;

function reflected(c: ChangeOut, initial: Snapshot, actual: Snapshot, domain: string): boolean {
  const have = actual.get(domain) ?? [];
  switch (c.action) {
    case 'create': {
      const k = keyOf(c.after as RecordSpec);
      const before = (initial.get(domain) ?? []).filter((r) => keyOf(r) === k).length;
      return have.filter((r) => keyOf(r) === k).length > before;
    }
    case 'update': {
      const h = have.find((r) => r.uuid === c.before?.uuid);
      return h !== undefined && keyOf(h) === keyOf(c.after as RecordSpec);
    }
    case 'delete':
      return !have.some((r) => r.uuid === c.before?.uuid);
  }
}

export function applyChange(e: Expected, domain: string, c: ChangeOut): Expected {
  const out = expectSame(e);
  const recs = out.get(domain) ?? [];
  if (c.action === 'create') recs.push({ ...(c.after as RecordSpec) });
  if (c.action === 'update') {
    const i = recs.findIndex((r) => r.uuid === c.before?.uuid);
    if (i >= 0) recs[i] = { ...(c.after as RecordSpec), uuid: c.before?.uuid as string };
  }
  out.set(domain, c.action === 'delete' ? recs.filter((r) => r.uuid !== c.before?.uuid) : recs);
  return out;
}

export interface ApplyVerdict {
  problems: string[];
  comparison: Comparison;
  applied: number;
  failed: number;
  notApplied: number;
}

/** Verifies an apply_zone error result whose details list applied / failed / not_applied. */
export function verifyInterrupted(planned: ChangeOut[], r: CallResult, initial: Snapshot, actual: Snapshot, domain: string): ApplyVerdict {
  const problems: string[] = [];
  const d = r.error?.details as { applied?: ChangeOut[]; failed?: ChangeOut[]; not_applied?: ChangeOut[] } | undefined;
  const applied = d?.applied ?? [];
  const failed = d?.failed ?? [];
  const notApplied = d?.not_applied ?? [];
  if (!d) problems.push(`no applied/failed/not_applied lists in the error data (code ${r.error?.code})`);
  const listed = [...applied, ...failed, ...notApplied].map(changeId).sort();
  const plan = planned.map(changeId).sort();
  if (d && JSON.stringify(listed) !== JSON.stringify(plan)) problems.push(`the lists (${listed.length}) do not cover the plan (${plan.length}) exactly once`);
  let expected = expectSame(initial);
  for (const c of applied) {
    if (!reflected(c, initial, actual, domain)) problems.push(`listed as applied but not in the zone: ${changeId(c)}`);
    expected = applyChange(expected, domain, c);
  }
  for (const c of notApplied) {
    if (reflected(c, initial, actual, domain)) problems.push(`listed as not applied but in the zone: ${changeId(c)}`);
  }
  for (const c of failed) {
    if (!reflected(c, initial, actual, domain)) continue;
    tally.failed_but_applied++;
    if (!UNCERTAIN.test(c.error ?? '')) problems.push(`listed as failed (${c.error}) but applied, and the message did not say the outcome was unknown: ${changeId(c)}`);
    expected = applyChange(expected, domain, c);
  }
  const comparison = compare(expected, actual);
  return { problems: [...problems, ...comparison.problems], comparison, applied: applied.length, failed: failed.length, notApplied: notApplied.length };
}
