import { ValidationError } from '../errors.js';
import { diffRecords, renderDiff, type Change, type CurrentRecord } from '../domain/diff.js';
import { judge } from '../safety/write-gate.js';
import type { Effect } from '../safety/effect.js';
import { validatePlanResult } from '../domain/plan-check.js';
import { validateRecords } from '../domain/validate.js';
import type { RecordInputLike } from '../domain/model.js';
import { toCurrent } from './changes.js';
import type { ToolContext } from './types.js';
import type { ZoneRef } from './resolve.js';

export type PlanMode = 'sync' | 'upsert';

export interface ZonePlan {
  zone: ZoneRef;
  mode: PlanMode;
  current: CurrentRecord[];
  changes: Change[];
  /** The effect policy's verdict (src/safety/effect.ts), with this zone's budget as it is now. */
  risk: Effect;
  diff: string;
  unchanged: number;
}

/**
 * The plan of a whole-zone change, computed against the live zone. plan_zone returns it;
 * apply_zone computes it again at apply time and executes exactly it.
 */
export async function computePlan(ctx: ToolContext, zoneArg: string, records: RecordInputLike[], mode: PlanMode): Promise<ZonePlan> {
  const zone = await ctx.zones.resolve(zoneArg);
  const { problems, specs } = validateRecords(records, zone.domain, 'records');
  if (problems.length) throw new ValidationError(problems, `The desired records for ${zone.domain} are invalid`);
  const current = (await ctx.api.listZoneRecords(zone.uuid)).items.map((r) => toCurrent(r, zone.domain));
  return planOf(zone, current, diffRecords(current, specs, mode), mode);
}

/** A plan of given changes to the live zone `current`; refused when it would leave the zone invalid. */
export function planOf(zone: ZoneRef, current: CurrentRecord[], changes: Change[], mode: PlanMode): ZonePlan {
  const after = validatePlanResult(current, changes, zone.domain);
  if (after.length) throw new ValidationError(after, `Applying this plan would leave ${zone.domain} invalid`);
  const touched = changes.filter((c) => c.action !== 'create').length;
  return { zone, mode, current, changes, risk: judge({ zone, current, changes }, Date.now()), diff: renderDiff(changes, zone.domain), unchanged: current.length - touched };
}

export function countsOf(plan: ZonePlan) {
  const n = (a: Change['action']) => plan.changes.filter((c) => c.action === a).length;
  return { creates: n('create'), updates: n('update'), deletes: n('delete'), unchanged: plan.unchanged };
}

export function riskOut(r: Effect) {
  return {
    needs_confirmation: r.needsConfirmation,
    reasons: r.reasons,
    touches_apex_ns: r.touchesApexNs,
    changed_fraction: Math.round(r.changedFraction * 1000) / 1000,
  };
}
