/**
 * What a person approves, as one model: the confirmation form's message, the URL-mode approval
 * page and the MCP App's plan view all render this, so no channel shows less than another.
 * Built by the gate's callers from the planned changes (write-gate.ts, deletes), never by a tool.
 *
 * Every provider string in it (names, values) has already been through escapeForDisplay (hidden
 * and bidi characters made visible); an old value or name may be shortened, with the number of
 * characters cut said, never hidden (see MAX_VALUE); a new one is whole. It is still text written
 * by strangers: a renderer escapes it for its own format (HTML).
 */
import type { Change, CurrentRecord } from '../domain/diff.js';
import type { RecordSpec } from '../domain/model.js';
import { escapeForDisplay } from '../domain/display.js';
import { warningsAfter, type ChangeWarning } from '../audit/after-change.js';
import { assessEffect, budgetLimit, type BudgetUse, type Effect, type EffectCode } from './effect.js';
import type { HoldPolicy } from './marks.js';
import { calloutOf, orderForApproval, subjects } from './approval-order.js';

export { calloutOf, orderForApproval } from './approval-order.js';

/**
 * Longest value and name shown; the rest is cut with a count ("... (220 more characters)"). Only
 * what is there now is ever cut (an old value, a provider's name; the snapshot has them whole):
 * what will be written (the new value, the new name) is the caller's text, which may be the model's,
 * and a person approves exactly what is shown, so it is never cut (values are at most 4096 bytes
 * and names 253 characters, checked before any plan).
 */
export const MAX_VALUE = 200;
export const MAX_NAME = 120;

export interface ApprovalRecord {
  /** The value, escaped; an old value shortened, a new one whole; MX/SRV priority separate. */
  value: string;
  ttl: number;
  priority: number | null;
}

export interface ApprovalChange {
  action: 'create' | 'update' | 'delete';
  /** Relative owner name ("@", "www"), escaped and shortened. */
  name: string;
  /** Full owner name with the zone (www.example.com), escaped and shortened. */
  fqdn: string;
  type: string;
  /** For an update that renames or retypes: the new name and type. */
  to?: { name: string; fqdn: string; type: string };
  before?: ApprovalRecord;
  after?: ApprovalRecord;
  /** Why this change matters most (change-lines.ts calloutOf): apex NS, NS, MX, apex A/AAAA/CNAME. */
  callouts: string[];
}

export interface ApprovalRisk {
  /** Why a person must approve, as codes (effect.ts) and in words. */
  codes: EffectCode[];
  reasons: string[];
  touchesApexNs: boolean;
  touchesNs: boolean;
  deletes: number;
  creates: number;
  updates: number;
  /** Records in the zone now, and the share of them updated or deleted. */
  zoneRecords: number;
  changedFraction: number;
  /** The zone's change budget in the current window, when known. */
  budget?: { used: number; limit: number; since: string };
}

export interface ApprovalView {
  /** The operation (tool name). */
  op: string;
  /** The zone's domain. */
  zone: string;
  /** One sentence, e.g. "Delete the zone example.com and all its records" (names escaped). */
  action: string;
  /**
   * Every change, in orderForApproval's order: what makes the call held first, then the called-out
   * ones. The approval page lists them all (a change the person cannot see is not approved); the
   * form and the plan view, bounded by their client, show the first.
   */
  changes: ApprovalChange[];
  /** How many changes there are in all (more than changes.length when cut). */
  total: number;
  /** Records affected by type, e.g. { A: 3, TXT: 1 }. */
  counts: Record<string, number>;
  risk: ApprovalRisk;
  /** Audit findings the change would add to the zone (audit/after-change.ts). */
  findings: ChangeWarning[];
  /** What would be removed, as a BIND zone file (the whole zone before the change): import it to restore. */
  snapshot?: { zone: string; text: string };
}

export function shorten(s: string, max: number): string {
  const e = escapeForDisplay(s);
  return e.length > max ? `${e.slice(0, max)}... (${e.length - max} more characters)` : e;
}

const fqdnOf = (name: string, zone: string) => (name === '@' ? zone : `${name}.${zone}`);
const recordOf = (r: RecordSpec, max = MAX_VALUE): ApprovalRecord => ({ value: shorten(r.value, max), ttl: r.ttl, priority: r.record_type === 'MX' || r.record_type === 'SRV' ? (r.priority ?? null) : null });

export function viewChange(c: Change, zone: string): ApprovalChange {
  const r = c.action === 'create' ? c.after : c.before;
  const callouts = [...new Set(subjects(c).map(calloutOf).filter(Boolean))];
  // A created record's name is new text too: shown whole, like every new value and new name.
  const nameMax = c.action === 'create' ? Infinity : MAX_NAME;
  const base = { action: c.action, name: shorten(r.name, nameMax), fqdn: shorten(fqdnOf(r.name, zone), nameMax), type: r.record_type, callouts };
  if (c.action === 'create') return { ...base, after: recordOf(c.after, Infinity) };
  if (c.action === 'delete') return { ...base, before: recordOf(c.before) };
  const moved = c.before.name !== c.after.name || c.before.record_type !== c.after.record_type;
  const to = moved ? { to: { name: shorten(c.after.name, Infinity), fqdn: shorten(fqdnOf(c.after.name, zone), Infinity), type: c.after.record_type } } : {};
  return { ...base, ...to, before: recordOf(c.before), after: recordOf(c.after, Infinity) };
}

export interface ViewInput {
  op: string;
  zone: string;
  action: string;
  changes: Change[];
  current: readonly CurrentRecord[];
  /** The effect judged with the zone's budget (write-gate.ts); judged from the changes alone (under `policy`) otherwise. */
  effect?: Effect;
  policy?: HoldPolicy;
  budget?: BudgetUse;
  /** Findings already computed by the plan; computed here otherwise. */
  findings?: ChangeWarning[];
  snapshot?: { zone: string; text: string };
}

export function approvalView(v: ViewInput): ApprovalView {
  const ordered = orderForApproval(v.changes, v.current, v.zone);
  const counts: Record<string, number> = {};
  for (const c of v.changes) {
    const t = (c.action === 'create' ? c.after : c.before).record_type;
    counts[t] = (counts[t] ?? 0) + 1;
  }
  const e = v.effect ?? assessEffect(v.changes, v.current, undefined, v.policy, v.zone);
  const budget = v.budget ? { budget: { used: v.budget.used, limit: budgetLimit(v.budget.baselineCount), since: new Date(v.budget.since).toISOString() } } : {};
  return {
    op: v.op,
    zone: v.zone,
    action: v.action,
    changes: ordered.map((c) => viewChange(c, v.zone)),
    total: v.changes.length,
    counts,
    risk: { codes: e.codes, reasons: e.reasons, touchesApexNs: e.touchesApexNs, touchesNs: e.touchesNs, deletes: e.deletes, creates: e.creates, updates: e.updates, zoneRecords: e.currentCount, changedFraction: e.changedFraction, ...budget },
    findings: v.findings ?? warningsAfter(v.zone, [...v.current], v.changes),
    ...(v.snapshot ? { snapshot: v.snapshot } : {}),
  };
}
