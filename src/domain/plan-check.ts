import type { Problem } from '../errors.js';
import { applyChanges } from './diff.js';
import type { Change, CurrentRecord } from './diff.js';
import { validateZoneRecords } from './validate-zone.js';

const SIMULATED = 'simulated-new-';

/**
 * Problems the zone would have after `changes` that it does not have now (e.g. an `upsert` that
 * creates a CNAME beside records it may not delete). Problems the live zone already has are not
 * blamed on the plan. Fields name the plan's record (`records`) or the live record by uuid.
 */
export function validatePlanResult(current: CurrentRecord[], changes: Change[], zone: string): Problem[] {
  const label = (r: CurrentRecord | undefined) => (!r ? 'records' : r.uuid.startsWith(SIMULATED) ? 'records' : `record ${r.uuid}`);
  const before = new Set(validateZoneRecords(current, zone).map((p) => `${p.rule}|${p.message}`));
  let n = 0;
  const after = applyChanges(current, changes, () => `${SIMULATED}${++n}`);
  const touched = new Set(changes.flatMap((c) => (c.action === 'update' ? [c.before.uuid] : [])));
  return validateZoneRecords(after, zone, (i) => {
    const r = after[i];
    return r && touched.has(r.uuid) ? 'records' : label(r);
  }).filter((p) => !before.has(`${p.rule}|${p.message}`));
}
