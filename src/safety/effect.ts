/**
 * The one policy that decides whether a write needs a human's confirmation. It reads what the
 * call would do to DNS (the planned domain `Change` list), never which tool asked, so a write
 * tool added later is judged the same way as apply_zone.
 */
import type { HUMAN_FOR_EFFECTS } from '../config.js';
import type { Change, CurrentRecord } from '../domain/diff.js';
import type { RecordSpec } from '../domain/model.js';
import { RISK_FRACTION, RISK_MIN_RECORDS } from '../domain/risk.js';
import { isAcmeRecord, isAcmeValueDelete } from './acme-cleanup.js';
import { heldMarks, marksOf, type HoldPolicy, type MarkCode } from './marks.js';

/**
 * Why a call needs confirmation, as codes a program can test: those that always hold, and the marks
 * a policy holds (marks.ts). One list, in config.ts (VPSORG_HUMAN_FOR and --confirm read it), plus
 * the two undo codes no setting names.
 */
export type EffectCode = (typeof HUMAN_FOR_EFFECTS)[number] | 'undo_person' | 'undo_held';


/** The rolling window of the per-zone budget. */
export const WINDOW_MINUTES = 10;

/** Types whose single value may be repointed in one unconfirmed call (the most common job), except in `human` mode, where a person approves every replaced value. */
const REPOINTABLE = new Set(['A', 'AAAA', 'CNAME', 'MX']);

/** Changes to one zone already made in the current window (see budget.ts). */
export interface BudgetUse {
  /** Records of the zone's baseline changed or removed since the window began. */
  used: number;
  /** How many records the zone held at the baseline. */
  baselineCount: number;
  /** When the window began (ms since the epoch). */
  since: number;
}

export interface Effect {
  deletes: number;
  creates: number;
  updates: number;
  currentCount: number;
  touchesApexNs: boolean;
  touchesNs: boolean;
  changedFraction: number;
  needsConfirmation: boolean;
  codes: EffectCode[];
  reasons: string[];
  /** What the changes do that a policy may hold (marks.ts), held here or not. */
  marks: MarkCode[];
  /** Records this call creates, changes or removes, counted against the zone's budget (DNS-01 values aside). */
  budgetCost: number;
  /** The provider permissions the changes need, of those the provider documents. */
  permissions: string[];
}

const subjects = (c: Change): RecordSpec[] => (c.action === 'create' ? [c.after] : c.action === 'delete' ? [c.before] : [c.before, c.after]);
const valueChanged = (c: Change) => c.action === 'update' && c.fields.some((f) => f === 'value' || f === 'name' || f === 'record_type');

/** The cumulative limit for a zone: the blast-radius share of it, counting a small zone as 10 records. */
export function budgetLimit(baselineCount: number): number {
  return Math.floor(RISK_FRACTION * Math.max(baselineCount, RISK_MIN_RECORDS));
}

/**
 * Whether the changes need confirmation, and why in words: any delete, including the delete half
 * of a rename or retype; any update that takes a value out of a record set, except repointing one
 * A/AAAA/CNAME/MX value outside `human` mode; any NS change (apex or delegation); more than 30% of a zone of 10+
 * records; or, with `budget`, this call and the earlier ones of the window together over the limit.
 * One class of delete is exempt by what it does: removing an ACME DNS-01 value (a TXT record at an
 * `_acme-challenge` owner, see acme-cleanup.ts), which can take no host, mail route or delegation
 * offline; it needs dns:delete like any delete, but neither confirmation nor budget.
 * With a `policy`, the marks it holds (marks.ts: VPSORG_HUMAN_FOR, and `human` mode's defaults)
 * need confirmation too. `zone` (the domain) resolves CNAME/MX/SRV targets to the zone's names (marks.ts).
 */
export function assessEffect(changes: Change[], current: readonly CurrentRecord[], budget?: BudgetUse, policy?: HoldPolicy, zone = ''): Effect {
  const n = (a: Change['action']) => changes.filter((c) => c.action === a).length;
  const [allDeletes, creates, updates] = [n('delete'), n('create'), n('update')];
  const acmeDeletes = changes.filter(isAcmeValueDelete).length;
  const deletes = allDeletes - acmeDeletes;
  const codes: EffectCode[] = [];
  const reasons: string[] = [];
  const add = (code: EffectCode, why: string) => (codes.push(code), reasons.push(why));
  const ups = changes.filter((c): c is Extract<Change, { action: 'update' }> => c.action === 'update');
  const renames = ups.filter((c) => c.fields.includes('name')).length;
  const retypes = ups.filter((c) => c.fields.includes('record_type')).length;
  const repoints = ups.filter((c) => valueChanged(c) && !c.fields.includes('name') && !c.fields.includes('record_type'));
  const human = policy?.confirmMode === 'human';
  const oneRepoint = !human && repoints.length === 1 && REPOINTABLE.has(repoints[0]?.before.record_type ?? '');
  const removed = oneRepoint ? 0 : repoints.length;
  const touchesNs = changes.some((c) => subjects(c).some((r) => r.record_type === 'NS'));
  const touchesApexNs = changes.some((c) => subjects(c).some((r) => r.record_type === 'NS' && r.name === '@'));
  const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;

  if (deletes) add('delete', `deletes ${plural(deletes, 'record')} (a deleted record is gone for good)`);
  if (renames) add('rename', `renames ${plural(renames, 'record')}: the record under the old name is deleted`);
  if (retypes) add('retype', `changes the type of ${plural(retypes, 'record')}: the record of the old type is deleted`);
  if (removed) add('value_removed', `replaces ${plural(removed, 'value')} in record sets (${human ? 'VPSORG_CONFIRM_MODE=human: a person approves every replaced value' : 'only one A/AAAA/CNAME/MX value may be repointed without confirmation'})`);
  if (touchesApexNs) add('ns', "changes the zone's apex NS records, which delegate the zone: a mistake can take the whole domain offline");
  else if (touchesNs) add('ns', 'changes NS records, which delegate a subdomain to other nameservers: whoever runs them then answers for it');
  const changedFraction = current.length > 0 ? (updates + deletes) / current.length : 0;
  if (current.length >= RISK_MIN_RECORDS && changedFraction > RISK_FRACTION) {
    add('blast_radius', `updates or deletes ${updates + deletes} of ${current.length} records (${Math.round(changedFraction * 100)}%, over the ${RISK_FRACTION * 100}% limit for zones of ${RISK_MIN_RECORDS} or more records)`);
  }
  const held = heldMarks(policy);
  const marks = marksOf(changes, current, zone);
  for (const m of marks) if (held.has(m.code)) add(m.code, m.why);
  // Creates count too: an addition can take traffic (marks.ts). DNS-01 values come and go with each certificate order.
  const budgetCost = changes.filter((c) => !isAcmeRecord(c.action === 'create' ? c.after : c.before)).length;
  if (budget && budgetCost > 0 && budget.used + budgetCost > budgetLimit(budget.baselineCount)) {
    const limit = budgetLimit(budget.baselineCount);
    add('budget', `with the ${plural(budget.used, 'record')} already changed in this zone since ${new Date(budget.since).toISOString()}, this makes ${budget.used + budgetCost}: over the ${limit} a zone of ${budget.baselineCount} records may change within ${WINDOW_MINUTES} minutes without confirmation`);
  }
  const permissions = [...(allDeletes ? ['dns:delete'] : []), ...(creates ? ['dns:create'] : [])];
  return { deletes: allDeletes, creates, updates, currentCount: current.length, touchesApexNs, touchesNs, changedFraction, needsConfirmation: codes.length > 0, codes, reasons, marks: marks.map((m) => m.code), budgetCost, permissions };
}
