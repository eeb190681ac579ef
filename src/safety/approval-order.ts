/**
 * Which changes a person must see first (approval-view.ts): the form and the plan view show only
 * the first ones, so what gets a call held leads, then what is called out.
 */
import type { Change, CurrentRecord } from '../domain/diff.js';
import type { RecordSpec } from '../domain/model.js';
import { marksIn } from './marks.js';
import { indexZone, type ZoneIndex } from './zone-index.js';

export const subjects = (c: Change): RecordSpec[] => (c.action === 'create' ? [c.after] : c.action === 'delete' ? [c.before] : [c.before, c.after]);

/** The call-out for a record, or '' when it is an ordinary one. */
export function calloutOf(r: Pick<RecordSpec, 'name' | 'record_type'>): string {
  if (r.record_type === 'NS') return r.name === '@' ? 'APEX NS: who answers for the whole domain' : 'NS: hands this subdomain to other nameservers';
  if (r.record_type === 'MX') return 'MX: where mail for this name is delivered';
  if (r.name === '@' && ['A', 'AAAA', 'CNAME'].includes(r.record_type)) return `APEX ${r.record_type}: where the domain itself points`;
  return '';
}

/**
 * Whether a change carries an effect of its own (effect.ts, marks.ts): it deletes, renames, retypes
 * or replaces a value (priority included), or touches NS, a wildcard, CAA, an ACME owner, mail or
 * the apex. These are what get a call held, so they come first in every bounded renderer.
 */
function carriesEffect(c: Change, zone: ZoneIndex): boolean {
  if (c.action === 'delete') return true;
  if (c.action === 'update' && c.fields.some((f) => f !== 'ttl')) return true;
  if (subjects(c).some((r) => r.record_type === 'NS')) return true;
  return marksIn([c], zone).some((m) => m.code !== 'all');
}

/**
 * The order every renderer shows changes in: first what makes the call held (called-out ones
 * first among them), then the other called-out ones (calloutOf), then the rest, each group in its
 * planned order. A form or a plan view that shows only the first changes then never hides the one
 * that needs the person behind padding (30 harmless additions before a repointed `www`).
 */
export function orderForApproval(changes: readonly Change[], current: readonly CurrentRecord[], zone: string): Change[] {
  // The zone is indexed once and each change ranked once: linear in the plan plus the zone, since
  // a held import of thousands of records is ordered on every preview and confirmation.
  const index = indexZone(current, zone);
  const rank = new Map(changes.map((c) => [c, (carriesEffect(c, index) ? 0 : 2) + (subjects(c).some((r) => calloutOf(r) !== '') ? 0 : 1)]));
  return [0, 1, 2, 3].flatMap((k) => changes.filter((c) => rank.get(c) === k));
}
