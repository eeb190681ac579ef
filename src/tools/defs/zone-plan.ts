import * as z from 'zod';
import { defineTool, type ToolContext } from '../kit/types.js';
import { budgetTokenArg, nameArg, priorityArg, recordTypeArg, ttlArg, valueArg, zoneArg, changeOut, zoneOut, planCountsOut, planRiskOut, warningsOut } from '../kit/schemas.js';
import { appliedView, countsOf, planView, riskOut, type ZonePlan } from '../kit/plan.js';
import { pageOut } from '../kit/budget.js';
import { keepApexNsArg, planOfArgs, zoneFileArg } from '../kit/zone-file-input.js';
import { applyPlan } from '../kit/apply.js';
import { dataBlock, warningsText } from '../kit/format.js';
import { partialError } from '../kit/write-result.js';
import { gateOut } from '../../safety/gate.js';
import { runWrite } from '../../safety/write-gate.js';

export const desiredRecord = z.strictObject({
  name: nameArg,
  record_type: recordTypeArg,
  value: valueArg,
  ttl: ttlArg.optional(),
  priority: priorityArg.nullable().optional(),
});

const planInput = {
  zone: zoneArg,
  records: z.array(desiredRecord).max(5000).optional().describe('The records the zone should hold (each name, record_type, value, ttl?, priority?).'),
  zone_file: zoneFileArg.optional().describe('Instead of records: a BIND zone file, read as import_zone_file does.'),
  keep_apex_ns: keepApexNsArg,
  mode: z
    .enum(['sync', 'upsert'])
    .default('upsert')
    .describe(
      'upsert (default): make these record sets so. Each (name, record_type) in `records` ends up exactly as listed: its other values are replaced or removed (removals are confirmed like sync). Sets not in `records` are untouched. To set the apex A to 203.0.113.5: records [{name "@", record_type "A", value "203.0.113.5"}]. sync: the whole zone ends up exactly as `records`; everything not listed is deleted.',
    ),
};

const planOutput = {
  zone: zoneOut.pick({ uuid: true, domain: true }),
  mode: z.enum(['sync', 'upsert']),
  changes: z.array(changeOut).describe('The changes, or the first ones when changes_page.omitted > 0 (counts cover them all).'),
  changes_page: pageOut,
  counts: planCountsOut,
  risk: planRiskOut,
  diff: z.string(),
  notes: z.array(z.string()).describe('How the input was read, e.g. a name written in full read relative to the zone.'),
  warnings: warningsOut,
};

/** A plan as text; once applied it says what was done, in the past tense, and nothing about confirming. */
function planText(plan: ZonePlan, head: string, applied = false): string {
  const c = countsOf(plan);
  const counts = applied
    ? `${c.creates} created, ${c.updates} updated, ${c.deletes} deleted, ${c.unchanged} unchanged`
    : `${c.creates} to create, ${c.updates} to update, ${c.deletes} to delete, ${c.unchanged} unchanged`;
  const view = planView(plan);
  const lines = [`${head} ${plan.zone.domain} (${plan.mode}): ${counts}.`];
  if (plan.changes.length) lines.push(dataBlock(view.diff.split('\n')));
  if (view.note) lines.push(view.note);
  if (plan.risk.needsConfirmation && !applied) lines.push(`Needs confirmation: ${plan.risk.reasons.join('; ')}.`);
  const warned = warningsText(plan.warnings);
  if (warned) lines.push(warned.slice(1));
  if (plan.notes.length) lines.push(`Notes:\n${plan.notes.map((n) => `- ${n}`).join('\n')}`);
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
  async handler(args, ctx) {
    const plan = await planOfArgs(ctx, args);
    return { structured: planBase(plan), text: planText(plan, 'Plan for') };
  },
});

export const APPLY_CONCURRENCY = 10;

type PlanBase = z.infer<z.ZodObject<typeof planOutput>>;

function planBase(plan: ZonePlan): PlanBase {
  const { changes, diff, changes_page } = planView(plan);
  return { zone: plan.zone, mode: plan.mode, changes, changes_page, counts: countsOf(plan), risk: riskOut(plan.risk), diff, notes: plan.notes, warnings: plan.warnings };
}

async function execute(ctx: ToolContext, plan: ZonePlan) {
  const report = await applyPlan(ctx.api, plan.zone, plan.changes, {
    concurrency: APPLY_CONCURRENCY,
    signal: ctx.signal,
    onProgress: (done, total) => ctx.progress({ progress: done, total, message: `${done}/${total} changes applied` }),
  });
  if (report.failed.length) throw partialError(report.applied, report.failed, report.notApplied);
  return { structured: { ...planBase(plan), dry_run: false, applied: true, applied_changes: appliedView(report.applied) }, text: planText(plan, 'Applied to', true) };
}

export const applyOutput = z.object({
  ...planOutput,
  dry_run: z.boolean(),
  applied: z.boolean(),
  applied_changes: z.array(changeOut).describe('The changes applied (the first ones when there are many: counts cover them all).'),
  ...gateOut,
  confirmation: gateOut.confirmation.optional(),
});

export type ApplyOut = z.infer<typeof applyOutput>;

export interface PlannedRun {
  /** The tool name: a confirmation of one operation never confirms another. */
  op: string;
  args: Record<string, unknown> & { dry_run?: boolean | undefined };
  /** Computes the plan against the live zone; called again on every round of a confirmation. */
  compute(): Promise<ZonePlan>;
}

/**
 * A whole-zone plan through the one write path (plan -> effect policy -> gate -> apply, in
 * src/safety): apply_zone, and undo_change, which is a plan like any other.
 */
export function runPlanned(ctx: ToolContext, run: PlannedRun) {
  const { args } = run;
  // The effect policy (src/safety) decides whether a human must confirm, as for every write tool.
  return runWrite(ctx, {
    op: run.op,
    args,
    plan: run.compute,
    preview(plan, _effect, kind) {
      const head = kind === 'nothing' ? 'Nothing to change in' : kind === 'dry_run' ? 'Dry run, nothing sent. Plan for' : 'Plan for';
      return { structured: { ...planBase(plan), dry_run: kind === 'dry_run' || (kind === 'nothing' && !!args.dry_run), applied: false, applied_changes: [] }, text: planText(plan, head) };
    },
    apply: (plan) => execute(ctx, plan),
  });
}

export const applyZone = defineTool({
  name: 'apply_zone',
  title: 'Apply a whole-zone change',
  description:
    'Computes the plan of plan_zone again against the live zone and applies it (deletes, then creates, then updates, several at once). A plan that deletes, renames, replaces a value (beyond one A/AAAA/CNAME/MX repoint), touches NS records, changes over 30% of a zone of 10+ records, or goes over the zone\'s 10-minute change budget takes two steps like delete_zone: the first call returns the preview, a snapshot of the zone and a confirm_token (or the client asks the user); call again with the same arguments plus confirm_token after the user agreed. If the API fails part-way the result lists what was and was not applied; running the same call again converges without duplicates.',
  toolset: 'bulk',
  permission: 'dns:create',
  input: z.object({
    ...planInput,
    dry_run: z.boolean().optional().describe('true: return the plan and apply nothing (same as plan_zone).'),
    confirm_token: z.string().min(1).max(2000).optional().describe('Only for plans that need confirmation: the token returned by the first call, after the user agreed.'),
    budget_token: budgetTokenArg,
  }),
  output: applyOutput,
  hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    return runPlanned(ctx, { op: 'apply_zone', args, compute: () => planOfArgs(ctx, args) });
  },
});
