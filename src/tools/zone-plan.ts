import * as z from 'zod';
import { defineTool } from './types.js';
import { nameArg, priorityArg, recordTypeArg, ttlArg, valueArg, zoneArg, changeOut, zoneOut } from './schemas.js';
import { computePlan, countsOf, riskOut, type ZonePlan } from './plan.js';
import { applyPlan } from './apply.js';
import { changeOutOf } from './output.js';
import { dataBlock } from './format.js';
import { partialError } from './write-result.js';
import { UserError } from '../errors.js';

export const desiredRecord = z.object({
  name: nameArg,
  record_type: recordTypeArg,
  value: valueArg,
  ttl: ttlArg.optional(),
  priority: priorityArg.nullable().optional(),
});

const planInput = {
  zone: zoneArg,
  records: z.array(desiredRecord).max(5000).describe('The records the zone should hold (each name, record_type, value, ttl?, priority?).'),
  mode: z
    .enum(['sync', 'upsert'])
    .default('upsert')
    .describe('upsert (default): only create and update, never delete. sync: the zone ends up exactly as `records`, so records not listed are deleted.'),
};

const counts = z.object({ creates: z.number(), updates: z.number(), deletes: z.number(), unchanged: z.number() });
const risk = z.object({ needs_confirmation: z.boolean(), reasons: z.array(z.string()), touches_apex_ns: z.boolean(), changed_fraction: z.number() });
const planOutput = {
  zone: zoneOut.pick({ uuid: true, domain: true }),
  mode: z.enum(['sync', 'upsert']),
  changes: z.array(changeOut),
  counts,
  risk,
  diff: z.string(),
};

function planText(plan: ZonePlan, head: string): string {
  const c = countsOf(plan);
  const lines = [`${head} ${plan.zone.domain} (${plan.mode}): ${c.creates} to create, ${c.updates} to update, ${c.deletes} to delete, ${c.unchanged} unchanged.`];
  if (plan.changes.length) lines.push(dataBlock(plan.diff.split('\n')));
  if (plan.risk.needsConfirmation) lines.push(`Needs confirmation: ${plan.risk.reasons.join('; ')}.`);
  return lines.join('\n');
}

export const planZone = defineTool({
  name: 'plan_zone',
  title: 'Plan a whole-zone change',
  description:
    'Compares a desired set of records with the live zone and returns the validated diff (deletes, creates, updates), counts, and a risk assessment. Writes nothing. Apply the same arguments with apply_zone.',
  toolset: 'bulk',
  permission: 'dns:list',
  input: z.object(planInput),
  output: z.object(planOutput),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, records, mode }, ctx) {
    const plan = await computePlan(ctx, zone, records, mode);
    return {
      structured: { zone: plan.zone, mode, changes: plan.changes.map(changeOutOf), counts: countsOf(plan), risk: riskOut(plan.risk), diff: plan.diff },
      text: planText(plan, 'Plan for'),
    };
  },
});

export const APPLY_CONCURRENCY = 10;

export const applyZone = defineTool({
  name: 'apply_zone',
  title: 'Apply a whole-zone change',
  description:
    'Computes the plan of plan_zone again against the live zone and applies it (deletes, then creates, then updates, several at once). Plans that delete, touch the apex NS records, or change over 30% of a zone of 10+ records need confirmation. If the API fails part-way the result lists what was and was not applied; running the same call again converges without duplicates.',
  toolset: 'bulk',
  permission: 'dns:create',
  input: z.object({ ...planInput, dry_run: z.boolean().optional().describe('true: return the plan and apply nothing (same as plan_zone).') }),
  output: z.object({ ...planOutput, dry_run: z.boolean(), applied: z.boolean(), applied_changes: z.array(changeOut) }),
  hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ zone, records, mode, dry_run }, ctx) {
    const plan = await computePlan(ctx, zone, records, mode);
    const base = { zone: plan.zone, mode, changes: plan.changes.map(changeOutOf), counts: countsOf(plan), risk: riskOut(plan.risk), diff: plan.diff };
    if (dry_run || !plan.changes.length) {
      return { structured: { ...base, dry_run: !!dry_run, applied: false, applied_changes: [] }, text: planText(plan, dry_run ? 'Dry run, nothing sent. Plan for' : 'Nothing to change in') };
    }
    if (plan.risk.needsConfirmation) {
      throw new UserError(`This plan needs confirmation and was not applied: ${plan.risk.reasons.join('; ')}.`, {
        code: 'needs_confirmation',
        hint: 'Review it with plan_zone; use mode upsert to avoid deletes, or split the change into smaller plans.',
      });
    }
    const report = await applyPlan(ctx.api, plan.zone, plan.changes, {
      concurrency: APPLY_CONCURRENCY,
      signal: ctx.signal,
      onProgress: (done, total) => ctx.progress({ progress: done, total, message: `${done}/${total} changes applied` }),
    });
    const failed = report.failed[0];
    if (failed) throw partialError(report.applied, report.failed, report.notApplied);
    return { structured: { ...base, dry_run: false, applied: true, applied_changes: report.applied.map(changeOutOf) }, text: planText(plan, 'Applied to') };
  },
});
