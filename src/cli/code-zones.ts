/**
 * One zone's DNS-as-code plan: the file's records against the live zone (through the same
 * resolver, validation, effect policy and after-change audit as plan_zone: tools/kit/plan.ts
 * planOf) or against a committed export, read the same way, with no token and no network.
 */
import { ValidationError } from '../errors.js';
import type { CurrentRecord } from '../domain/diff.js';
import { parseZoneFile } from '../domain/zonefile.js';
import { codeChangeOf, planDigest, syncChanges } from '../domain/code-plan.js';
import type { RecordRules } from '../domain/code-rules.js';
import type { ZoneReport } from '../domain/code-report.js';
import { ambiguousApiName } from '../domain/names.js';
import { countsOf, planOf, type ZonePlan } from '../tools/kit/plan.js';
import { toCurrent } from '../tools/kit/changes.js';
import type { ZoneRef } from '../tools/kit/resolve.js';
import { liveZoneForWrite } from '../safety/live-zone.js';
import type { ToolContext } from '../tools/kit/types.js';
import type { ZoneTarget } from './code-inputs.js';

export interface PlannedZone {
  plan: ZonePlan;
  report: ZoneReport;
  /** The digest of this zone's part of the plan (apply checks it again just before writing). */
  digest: string;
}

function parsed(text: string, zone: string, file: string) {
  const p = parseZoneFile(text, zone);
  if (p.problems.length) throw new ValidationError(p.problems.map((x) => ({ ...x, field: `${file} ${x.field}` })), `${file} has problems`);
  return p;
}

/** The live records of a zone, but those whose name reads two ways (never planned, as in plan_zone). */
export async function liveRecords(ctx: ToolContext, ref: ZoneRef): Promise<CurrentRecord[]> {
  const live = await liveZoneForWrite(ctx.api, ref);
  return live.filter((r) => ambiguousApiName(r.name, ref.domain) === null).map((r) => toCurrent(r, ref.domain));
}

function planned(ref: ZoneRef, t: ZoneTarget, against: string, current: CurrentRecord[], rules: RecordRules): PlannedZone {
  const file = parsed(t.text, ref.domain, t.file);
  const sync = syncChanges({ current, desired: file.records, rules });
  const plan = planOf(ref, sync.current, sync.changes, 'sync');
  const c = countsOf(plan);
  const changes = plan.changes.map((ch) => codeChangeOf(ch, ref.domain));
  const report: ZoneReport = {
    zone: ref.domain,
    file: t.file,
    against,
    counts: { create: c.creates, update: c.updates, delete: c.deletes, unchanged: c.unchanged },
    changes,
    effects: plan.risk.codes.map((code, i) => ({ code, reason: plan.risk.reasons[i] ?? '' })),
    findings: plan.warnings,
    kept: { count: sync.kept.length, names: [...new Set(sync.kept.map((r) => r.name))].slice(0, 5) },
    ignored: sync.ignored,
    skipped: file.skipped.length,
  };
  return { plan, report, digest: planDigest([{ zone: ref.domain, changes }]) };
}

/** The plan of one zone file against the live zone. */
export async function planLive(ctx: ToolContext, t: ZoneTarget, rules: RecordRules): Promise<PlannedZone> {
  const ref = await ctx.zones.resolve(t.zone);
  return planned(ref, t, 'live', await liveRecords(ctx, ref), rules);
}

/** The plan of one zone file against a committed export: the export's records stand for the live ones. */
export function planAgainst(t: ZoneTarget, export_: { path: string; text: string }, rules: RecordRules): PlannedZone {
  const ref = { uuid: `file:${export_.path}`, domain: t.zone };
  const current = parsed(export_.text, t.zone, export_.path).records.map((r, i) => ({ ...r, uuid: `file-${i + 1}` }));
  return planned(ref, t, export_.path, current, rules);
}
