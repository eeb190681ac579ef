import type { DnsRecord, RecordInput, VpsApi } from '../../api/types.js';
import { ValidationError, type Problem } from '../../errors.js';
import { renderDiff, type Change, type CurrentRecord } from '../../domain/diff.js';
import { validatePlanResult } from '../../domain/plan-check.js';
import { recordFromInput, toRecordInput, type RecordInputLike, type RecordSpec } from '../../domain/model.js';
import { validateRecord } from '../../domain/validate.js';
import type { ZoneRef } from './resolve.js';
import { warningsAfter, type ChangeWarning } from '../../audit/after-change.js';

// The API <-> domain conversions live in the domain layer; these names keep the tools short.
export { toCurrentRecord as toCurrent } from '../../domain/model.js';
export { updateChange } from '../../domain/diff.js';

/** Validates one record as the user wrote it; throws every problem at once. Returns the canonical form and notes. */
export function checkedSpec(input: RecordInputLike, domain: string): RecordSpec {
  const problems = validateRecord(input, domain);
  if (problems.length) throw new ValidationError(problems, 'Invalid record');
  return recordFromInput(input, domain);
}

/** Refuses a change that would leave the zone invalid (CNAME conflicts, duplicates); problems the zone already has are not blamed on it. */
export function checkZoneAfter(current: CurrentRecord[], changes: Change[], domain: string): void {
  const problems: Problem[] = validatePlanResult(current, changes, domain);
  if (problems.length) throw new ValidationError(problems, `The change would leave ${domain} invalid`);
}

export interface PlannedWrite {
  zone: ZoneRef;
  /** The live zone the changes were planned against. */
  current: CurrentRecord[];
  changes: Change[];
  diff: string;
  /** Audit findings the changes would add (audit/after-change.ts). */
  warnings: ChangeWarning[];
}

/**
 * Sends one planned change to the API. Updates go as PATCH of the changed fields (a TTL-only
 * change is just `{ttl}`), or as PUT of the whole record when `put` is asked for.
 */
export async function executeChange(api: VpsApi, zone: ZoneRef, change: Change, opts: { put?: boolean } = {}): Promise<DnsRecord | null> {
  switch (change.action) {
    case 'create':
      return api.createRecord(zone.uuid, toRecordInput(change.after, zone.domain));
    case 'update': {
      const body = toRecordInput(change.after, zone.domain);
      if (opts.put) return api.putRecord(change.before.uuid, body);
      const patch: Partial<RecordInput> = {};
      for (const f of change.fields) Object.assign(patch, { [f]: f === 'priority' ? change.after.priority : body[f] });
      return api.patchRecord(change.before.uuid, patch);
    }
    case 'delete':
      await api.deleteRecord(change.before.uuid);
      return null;
  }
}

export function planned(zone: ZoneRef, current: CurrentRecord[], changes: Change[]): PlannedWrite {
  return { zone, current, changes, diff: renderDiff(changes, zone.domain), warnings: warningsAfter(zone.domain, current, changes) };
}
