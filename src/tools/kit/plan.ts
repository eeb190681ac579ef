import { ValidationError } from '../../errors.js';
import { diffRecords, renderDiff, type Change, type CurrentRecord } from '../../domain/diff.js';
import { judge } from '../../safety/write-gate.js';
import { liveZoneForWrite } from '../../safety/live-zone.js';
import type { Effect } from '../../safety/effect.js';
import type { HoldPolicy } from '../../safety/marks.js';
import { validatePlanResult } from '../../domain/plan-check.js';
import { validateRecords } from '../../domain/validate.js';
import type { RecordInputLike } from '../../domain/model.js';
import { planned, toCurrent, type PlannedWrite } from './changes.js';
import type { ToolContext } from './types.js';
import { readNames, type ZoneRef } from './resolve.js';
import { changeOutOf } from './output.js';
import { LIST_JSON, fit, omittedNote } from './budget.js';
import { ambiguousApiName, fqdn, normaliseName } from '../../domain/names.js';
import { escapeForDisplay } from '../../domain/display.js';
import { txtCutWarnings } from '../../domain/txt-cuts.js';
import type { DnsRecord } from '../../api/types.js';
import type { ChangeWarning } from '../../audit/after-change.js';

export type PlanMode = 'sync' | 'upsert';

/** A whole-zone plan: a planned write (zone, live records, changes, diff, warnings) and its verdict. */
export interface ZonePlan extends PlannedWrite {
  mode: PlanMode;
  /** The effect policy's verdict (src/safety/effect.ts), with this zone's budget as it is now. */
  risk: Effect;
  unchanged: number;
  /** How names written in full were read (bounded). */
  notes: string[];
}

export interface PlanOptions {
  /** `canonical`: names already in the record model's form (a parsed zone file), not read as an agent writes them. */
  names?: 'as_written' | 'canonical';
}

/**
 * The plan of a whole-zone change, computed against the live zone. plan_zone returns it;
 * apply_zone computes it again at apply time and executes exactly it.
 */
export async function computePlan(ctx: ToolContext, zoneArg: string, input: RecordInputLike[], mode: PlanMode, opts: PlanOptions = {}): Promise<ZonePlan> {
  const zone = await ctx.zones.resolve(zoneArg);
  const read = opts.names === 'canonical' ? { names: input.map((r) => r.name), notes: [] } : await readNames(ctx.zones, zone, input.map((r, i) => ({ field: `records.${i}.name`, name: r.name })));
  const records = input.map((r, i) => ({ ...r, name: read.names[i] as string }));
  const { problems, specs } = validateRecords(records, zone.domain, 'records');
  if (problems.length) throw new ValidationError(problems, `The desired records for ${zone.domain} are invalid`);
  const live = await liveZoneForWrite(ctx.api, zone);
  // Issue 17.3: a live record whose name reads two ways is never planned (it would be re-planned on
  // every run, or deleted as the wrong owner): it is left as is and reported.
  const ambiguous = live.filter((r) => ambiguousApiName(r.name, zone.domain) !== null);
  const current = live.filter((r) => !ambiguous.includes(r)).map((r) => toCurrent(r, zone.domain));
  const plan = planOf(zone, current, diffRecords(current, specs, mode), mode, read.notes, ctx.config);
  plan.warnings.push(...txtCutWarnings(input, (i) => `records.${i}`), ...ambiguousWarnings(ambiguous, zone.domain));
  return plan;
}

/** The live records the API names ambiguously (names.ts ambiguousApiName), as one plan warning. */
export function ambiguousWarnings(records: readonly DnsRecord[], zone: string): ChangeWarning[] {
  const first = records[0];
  if (!first) return [];
  const names = [...new Set(records.map((r) => escapeForDisplay(r.name)))];
  return [{
    severity: 'warning',
    code: 'name_ambiguous',
    count: records.length,
    names: names.slice(0, 5),
    message: escapeForDisplay(`${records.length} live record${records.length === 1 ? '' : 's'} (e.g. ${first.record_type} #${first.uuid.slice(0, 8)} named "${first.name}") ha${records.length === 1 ? 's' : 've'} a name that ends with the zone name and no trailing dot: it is either ${fqdn(normaliseName(first.name, zone), zone)} written in full or ${ambiguousApiName(first.name, zone) ?? ''} stored relative, and cannot be told apart. Left as is: this plan neither matches, changes nor deletes ${records.length === 1 ? 'it' : 'them'}.`),
    fix: 'Look at the record in the provider\'s panel; delete it by its uuid (delete_record) and create the record you meant with a relative name (@, www).',
  }];
}

/** A plan of given changes to the live zone `current`; refused when it would leave the zone invalid. */
export function planOf(zone: ZoneRef, current: CurrentRecord[], changes: Change[], mode: PlanMode, notes: string[] = [], policy?: HoldPolicy): ZonePlan {
  const after = validatePlanResult(current, changes, zone.domain);
  if (after.length) throw new ValidationError(after, `Applying this plan would leave ${zone.domain} invalid`);
  const touched = changes.filter((c) => c.action !== 'create').length;
  return { ...planned(zone, current, changes), mode, risk: judge({ zone, current, changes }, Date.now(), policy), unchanged: current.length - touched, notes };
}

export function countsOf(plan: ZonePlan) {
  const n = (a: Change['action']) => plan.changes.filter((c) => c.action === a).length;
  return { creates: n('create'), updates: n('update'), deletes: n('delete'), unchanged: plan.unchanged };
}

export function riskOut(r: Effect) {
  return {
    needs_confirmation: r.needsConfirmation,
    codes: r.codes,
    reasons: r.reasons,
    touches_apex_ns: r.touchesApexNs,
    changed_fraction: Math.round(r.changedFraction * 1000) / 1000,
  };
}

/**
 * A plan's changes and diff as a result shows them: the part that fits the result budget (the
 * counts always cover every change), and a note saying what was left out.
 */
export function planView(plan: ZonePlan) {
  const domain = plan.zone.domain;
  const { items, page } = fit(plan.changes, { json: changeOutOf, text: (c) => renderDiff([c], domain), jsonBytes: LIST_JSON / 3 });
  const note = omittedNote(page, 'changes', ['the counts cover every change; to review the rest, plan fewer records at a time'], { cursor: false });
  return { changes: items.map(changeOutOf), diff: page.omitted ? renderDiff(items, domain) : plan.diff, changes_page: page, note };
}

/** Changes already applied, as a result lists them: at most a third of the list budget, like the plan's own. */
export function appliedView(applied: Change[]) {
  return fit(applied, { json: changeOutOf, jsonBytes: LIST_JSON / 3 }).items.map(changeOutOf);
}
