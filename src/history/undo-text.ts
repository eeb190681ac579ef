/** How undo verdicts read: for the agent (record values inside a data block) and as structured data. */
import { UserError } from '../errors.js';
import { dataBlock } from '../domain/display.js';
import type { RecordSpec } from '../domain/model.js';
import type { SetVerdict } from './undo-plan.js';

const state = (rs: RecordSpec[] | null) =>
  rs === null ? '(only its digest is known)' : rs.length ? rs.map((r) => `${r.value} ttl ${r.ttl}${r.priority !== null ? ` prio ${r.priority}` : ''}`).join(' | ') : '(none)';

const row = (r: RecordSpec) => ({ value: r.value, ttl: r.ttl, priority: r.priority });

export function verdictOut(v: SetVerdict) {
  return { name: v.name, record_type: v.record_type, status: v.status, before: v.before.map(row), after: v.after?.map(row) ?? null, now: v.now.map(row) };
}

/** The three states of each conflicting set, in a data block (values are provider text). */
export function conflictBlock(conflicts: SetVerdict[]): string {
  return dataBlock(conflicts.flatMap((v) => [`${v.name} ${v.record_type}`, `  before: ${state(v.before)}`, `  after:  ${state(v.after)}`, `  now:    ${state(v.now)}`]));
}

export function conflictError(conflicts: SetVerdict[], total: number): UserError {
  return new UserError(
    `${conflicts.length} of ${total} record set(s) changed since the change (neither as it left them nor as they were before), so nothing was undone:\n${conflictBlock(conflicts)}`,
    {
      code: 'conflict',
      field: 'partial',
      hint: 'Look at each conflicting set; call again with partial: true to undo the other sets and leave these as they are, or fix them by hand.',
      details: { conflicts: conflicts.map(verdictOut) },
    },
  );
}

export function verdictLine(verdicts: SetVerdict[]): string {
  const n = (s: string) => verdicts.filter((v) => v.status === s).length;
  return `${n('restore')} set(s) to restore, ${n('already_undone')} already as before, ${n('conflict')} in conflict (left as they are).`;
}
