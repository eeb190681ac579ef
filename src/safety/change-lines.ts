/**
 * What a human's confirmation form says a write changes: one line per change with the values
 * (old -> new for updates), escaped and shortened but never hidden, and the changes that matter
 * most called out: apex NS (who answers for the domain), NS (a delegated subdomain), MX (where
 * mail goes), the apex A/AAAA/CNAME (where the domain itself points).
 */
import type { Change } from '../domain/diff.js';
import type { RecordSpec } from '../domain/model.js';
import { escapeForDisplay } from '../domain/display.js';

const MAX_VALUE = 80;
const MAX_NAME = 60;
export const MAX_CHANGE_LINES = 25;

function shorten(s: string, max: number): string {
  const e = escapeForDisplay(s);
  return e.length > max ? `${e.slice(0, max)}... (${e.length - max} more characters)` : e;
}

/** The call-out for a record, or '' when it is an ordinary one. */
export function calloutOf(r: Pick<RecordSpec, 'name' | 'record_type'>): string {
  if (r.record_type === 'NS') return r.name === '@' ? 'APEX NS: who answers for the whole domain' : 'NS: hands this subdomain to other nameservers';
  if (r.record_type === 'MX') return 'MX: where mail for this name is delivered';
  if (r.name === '@' && ['A', 'AAAA', 'CNAME'].includes(r.record_type)) return `APEX ${r.record_type}: where the domain itself points`;
  return '';
}

function valueOf(r: RecordSpec): string {
  const prio = (r.record_type === 'MX' || r.record_type === 'SRV') && r.priority != null ? `${r.priority} ` : '';
  return `${prio}${shorten(r.value, MAX_VALUE)}`;
}

const label = (r: RecordSpec) => `${shorten(r.name, MAX_NAME)} ${r.record_type}`;

/** One line for one change, e.g. `UPDATE @ A: 192.0.2.1 -> 203.0.113.9  [APEX A: where the domain itself points]`. */
export function changeLine(c: Change): string {
  const r = c.action === 'create' ? c.after : c.before;
  const callouts = [...new Set([calloutOf(r), c.action === 'update' ? calloutOf(c.after) : ''].filter(Boolean))];
  const tail = callouts.length ? `  [${callouts.join('; ')}]` : '';
  if (c.action === 'create') return `ADD ${label(c.after)}: ${valueOf(c.after)} (ttl ${c.after.ttl})${tail}`;
  if (c.action === 'delete') return `DELETE ${label(c.before)}: ${valueOf(c.before)}${tail}`;
  const to = c.before.name !== c.after.name || c.before.record_type !== c.after.record_type ? ` -> ${label(c.after)}` : '';
  const ttl = c.before.ttl !== c.after.ttl ? ` (ttl ${c.before.ttl} -> ${c.after.ttl})` : '';
  const value = valueOf(c.before) === valueOf(c.after) ? valueOf(c.after) : `${valueOf(c.before)} -> ${valueOf(c.after)}`;
  return `CHANGE ${label(c.before)}${to}: ${value}${ttl}${tail}`;
}

/** The lines for a form: called-out changes first, at most MAX_CHANGE_LINES, then how many more. */
export function changeLines(changes: Change[]): string[] {
  const called = (c: Change) => (c.action === 'create' ? [c.after] : c.action === 'delete' ? [c.before] : [c.before, c.after]).some((r) => calloutOf(r) !== '');
  const ordered = [...changes.filter(called), ...changes.filter((c) => !called(c))].map(changeLine);
  const shown = ordered.slice(0, MAX_CHANGE_LINES);
  return ordered.length > shown.length ? [...shown, `... and ${ordered.length - shown.length} more changes (the assistant has the full list)`] : shown;
}
