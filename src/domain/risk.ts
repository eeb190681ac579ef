import type { Change } from './diff.js';

export interface RiskAssessment {
  deletes: number;
  creates: number;
  updates: number;
  currentCount: number;
  touchesApexNs: boolean;
  changedFraction: number;
  needsConfirmation: boolean;
  reasons: string[];
}

/** octoDNS's safety thresholds: more than 30% updated/deleted of a zone with 10+ records. */
export const RISK_FRACTION = 0.3;
export const RISK_MIN_RECORDS = 10;

/**
 * Whether a plan needs a human's confirmation, and why in words: any delete (records are gone
 * for good), any change to the apex NS records (they delegate the zone: a mistake takes it
 * offline), or a change to a large part of a sizeable zone.
 */
export function assessRisk(changes: Change[], currentCount: number): RiskAssessment {
  const count = (a: Change['action']) => changes.filter((c) => c.action === a).length;
  const deletes = count('delete');
  const creates = count('create');
  const updates = count('update');
  const touchesApexNs = changes.some((c) => [c.action === 'create' ? c.after : c.before, c.action === 'update' ? c.after : null].some((r) => r !== null && r.name === '@' && r.record_type === 'NS'));
  const changedFraction = currentCount > 0 ? (updates + deletes) / currentCount : 0;
  const reasons: string[] = [];
  if (deletes > 0) reasons.push(`deletes ${deletes} record${deletes === 1 ? '' : 's'} (a deleted record is gone for good)`);
  if (touchesApexNs) reasons.push("changes the zone's apex NS records, which delegate the zone: a mistake can take the whole domain offline");
  const bulk = currentCount >= RISK_MIN_RECORDS && changedFraction > RISK_FRACTION;
  if (bulk) {
    reasons.push(`updates or deletes ${updates + deletes} of ${currentCount} records (${Math.round(changedFraction * 100)}%, over the ${RISK_FRACTION * 100}% limit for zones of ${RISK_MIN_RECORDS} or more records)`);
  }
  return { deletes, creates, updates, currentCount, touchesApexNs, changedFraction, needsConfirmation: reasons.length > 0, reasons };
}
