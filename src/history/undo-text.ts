/** How undo verdicts read: for the agent (record values inside a data block) and as structured data. */
import { UserError } from '../errors.js';
import { dataBlock } from '../domain/display.js';
import { LIST_JSON, LIST_TEXT, fit, omittedNote, type Page } from '../domain/fit.js';
import type { RecordSpec } from '../domain/model.js';
import type { SetVerdict } from './undo-plan.js';

const state = (rs: RecordSpec[] | null) =>
  rs === null ? '(only its digest is known)' : rs.length ? rs.map((r) => `${r.value} ttl ${r.ttl}${r.priority !== null ? ` prio ${r.priority}` : ''}`).join(' | ') : '(none)';

const row = (r: RecordSpec) => ({ value: r.value, ttl: r.ttl, priority: r.priority });

export function verdictOut(v: SetVerdict) {
  return { name: v.name, record_type: v.record_type, status: v.status, before: v.before.map(row), after: v.after?.map(row) ?? null, now: v.now.map(row) };
}

const conflictLines = (v: SetVerdict) => [`${v.name} ${v.record_type}`, `  before: ${state(v.before)}`, `  after:  ${state(v.after)}`, `  now:    ${state(v.now)}`];

/**
 * The three states of each conflicting set, in a data block (values are provider text): as many as
 * fit a quarter of the text budget, and how many more there are.
 */
export function conflictBlock(conflicts: SetVerdict[]): string {
  const { items, page } = fit(conflicts, { text: (v) => conflictLines(v).join('\n'), textBytes: LIST_TEXT / 4 });
  const more = page.omitted ? `\n${page.omitted} more conflicting set(s) not shown.` : '';
  return dataBlock(items.flatMap(conflictLines)) + more;
}

const ORDER = { conflict: 0, restore: 1, already_undone: 2 } as const;

/**
 * The per-set verdicts a result carries: conflicts first (what the person must look at), then the
 * sets to restore, as many as fit a sixth of the list budget (the plan's changes and the gate's
 * snapshot share the rest); the counts in the text cover every set, the diff every change.
 */
export function setsView(verdicts: SetVerdict[]): { sets: Array<ReturnType<typeof verdictOut>>; sets_page: Page; note: string } {
  const ordered = [...verdicts].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const { items, page } = fit(ordered, { json: verdictOut, jsonBytes: LIST_JSON / 6 });
  const note = omittedNote(page, 'record sets (conflicts first)', ['the counts above cover every set, and the plan every change'], { cursor: false });
  return { sets: items.map(verdictOut), sets_page: page, note };
}

export function conflictError(conflicts: SetVerdict[], total: number): UserError {
  return new UserError(
    `${conflicts.length} of ${total} record set(s) changed since the change (neither as it left them nor as they were before), so nothing was undone:\n${conflictBlock(conflicts)}`,
    {
      code: 'conflict',
      field: 'partial',
      hint: 'Look at each conflicting set; call again with partial: true to undo the other sets and leave these as they are, or fix them by hand.',
      details: { conflicts: setsView(conflicts).sets },
    },
  );
}

export function verdictLine(verdicts: SetVerdict[]): string {
  const n = (s: string) => verdicts.filter((v) => v.status === s).length;
  return `${n('restore')} set(s) to restore, ${n('already_undone')} already as before, ${n('conflict')} in conflict (left as they are).`;
}
