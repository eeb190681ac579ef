/**
 * The approval view's changes as text lines, for the confirmation form: one line per change with
 * the values (old -> new for updates), escaped and shortened but never hidden (approval-view.ts),
 * and the changes that matter most called out: apex NS (who answers for the domain), NS (a
 * delegated subdomain), MX (where mail goes), the apex A/AAAA/CNAME (where the domain points).
 */
import type { Change, CurrentRecord } from '../domain/diff.js';
import { orderForApproval, viewChange, type ApprovalChange, type ApprovalRecord, type ApprovalView } from './approval-view.js';

export { calloutOf } from './approval-view.js';

export const MAX_CHANGE_LINES = 25;

const valueOf = (r: ApprovalRecord) => `${r.priority != null ? `${r.priority} ` : ''}${r.value}`;

/** One line for one change, e.g. `CHANGE @ A: 192.0.2.1 -> 203.0.113.9  [APEX A: where the domain itself points]`. */
export function changeLine(c: ApprovalChange): string {
  const tail = c.callouts.length ? `  [${c.callouts.join('; ')}]` : '';
  const label = `${c.name} ${c.type}`;
  if (c.action === 'create' && c.after) return `ADD ${label}: ${valueOf(c.after)} (ttl ${c.after.ttl})${tail}`;
  if (c.action === 'delete' && c.before) return `DELETE ${label}: ${valueOf(c.before)}${tail}`;
  const before = c.before as ApprovalRecord;
  const after = c.after as ApprovalRecord;
  const to = c.to ? ` -> ${c.to.name} ${c.to.type}` : '';
  const ttl = before.ttl !== after.ttl ? ` (ttl ${before.ttl} -> ${after.ttl})` : '';
  const value = valueOf(before) === valueOf(after) ? valueOf(after) : `${valueOf(before)} -> ${valueOf(after)}`;
  return `CHANGE ${label}${to}: ${value}${ttl}${tail}`;
}

/** The lines of a view for a form, in the view's order (what makes the call held first), at most MAX_CHANGE_LINES, then how many more. */
export function viewLines(view: Pick<ApprovalView, 'changes' | 'total'>): string[] {
  const shown = view.changes.slice(0, MAX_CHANGE_LINES).map(changeLine);
  return view.total > shown.length ? [...shown, `... and ${view.total - shown.length} more changes not shown here`] : shown;
}

/** The lines for a list of changes (tests, and callers without a view). */
export function changeLines(changes: Change[], zone = 'example.com', current: readonly CurrentRecord[] = []): string[] {
  const ordered = orderForApproval(changes, current, zone);
  return viewLines({ changes: ordered.slice(0, MAX_CHANGE_LINES).map((c) => viewChange(c, zone)), total: changes.length });
}
