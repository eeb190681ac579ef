import * as z from 'zod';
import { defineTool, type ToolContext } from '../kit/types.js';
import * as SAY from '../kit/texts.js';
import { budgetTokenArg, confirmTokenArg, dryRunArg, nameArg, priorityArg, recordTypeArg, ttlArg, valueArg, zoneArg, changeOut, zoneOut, planCountsOut, planRiskOut, warningsOut } from '../kit/schemas.js';
import { appliedView, countsOf, planView, riskOut, type ZonePlan } from '../kit/plan.js';
import { pageOut } from '../kit/budget.js';
import { keepApexNsArg, planOfArgs, zoneFileArg } from '../kit/zone-file-input.js';
import { applyPlan } from '../kit/apply.js';
import { dataBlock, warningsText } from '../kit/format.js';
import { partialError } from '../kit/write-result.js';
import { gateOut } from '../../safety/gate.js';
import { runWrite } from '../../safety/write-gate.js';
import { ValidationError } from '../../errors.js';
import { checkPreviewed, makePreview, previewOut } from '../kit/preview.js';
import type { ToolSuccess } from '../kit/types.js';

export const desiredRecord = z.strictObject({
  name: nameArg,
  record_type: recordTypeArg,
  value: valueArg,
  ttl: ttlArg.optional(),
  priority: priorityArg.nullable().optional(),
});

const planInput = {
  zone: zoneArg,
  records: z.array(desiredRecord).max(5000).optional().describe('The records the zone should hold.'),
  zone_file: zoneFileArg.optional().describe('Instead of records: a BIND zone file, read as import_zone_file does.'),
  keep_apex_ns: keepApexNsArg,
  mode: z.enum(['sync', 'upsert']).default('upsert').describe(SAY.MODE),
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
  preview: previewOut,
};

const PREVIEW = 'true: serve the planned zone on loopback for dig and the check tools; returns its id.';

/** The result with the preview of its plan added. */
async function previewed<T extends object>(ctx: ToolContext, out: ToolSuccess<T>, plan: ZonePlan, args: Record<string, unknown>): Promise<ToolSuccess<T>> {
  const { preview, text } = await makePreview(ctx, plan, args);
  return { ...out, structured: { ...out.structured, preview }, text: `${out.text}\n${text}` };
}

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
    'The validated diff of `records` against the live zone: changes, counts, risk. Writes nothing; apply_zone applies the same arguments.',
  toolset: 'bulk',
  permission: 'dns:list',
  input: z.object({ ...planInput, preview: z.boolean().optional().describe(PREVIEW) }),
  output: z.object(planOutput),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const plan = await planOfArgs(ctx, args);
    const out = { structured: planBase(plan), text: planText(plan, 'Plan for') };
    return args.preview ? previewed(ctx, out, plan, args) : out;
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
  /** Runs once the gate lets the plan be applied, just before it is (undo_change creates a deleted zone again here). */
  prepare?(plan: ZonePlan): Promise<ZonePlan>;
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
    // The plan as the gate judged it (with the zone's budget and any hold), not as it was planned.
    preview(planned, effect, kind) {
      const plan = { ...planned, risk: effect };
      const head = kind === 'nothing' ? 'Nothing to change in' : kind === 'dry_run' ? 'Dry run, nothing sent. Plan for' : 'Plan for';
      return { structured: { ...planBase(plan), dry_run: kind === 'dry_run' || (kind === 'nothing' && !!args.dry_run), applied: false, applied_changes: [] }, text: planText(plan, head) };
    },
    apply: async (plan, effect) => execute(ctx, { ...(run.prepare ? await run.prepare(plan) : plan), risk: effect }),
  });
}

export const applyZone = defineTool({
  name: 'apply_zone',
  title: 'Apply a whole-zone change',
  description:
    'Makes the zone hold `records` (see mode): deletes, creates, updates, several at once; dry_run: true only plans. If the API fails part-way the result lists what was applied; the same call again converges.',
  toolset: 'bulk',
  essential: true,
  permission: 'dns:create',
  input: z.object({
    ...planInput,
    dry_run: dryRunArg,
    confirm_token: confirmTokenArg,
    budget_token: budgetTokenArg,
    preview: z.union([z.literal(true), z.string().max(64)]).optional().describe('With dry_run, true: as plan_zone. A preview id: apply only that exact plan.'),
  }),
  output: applyOutput,
  hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const { preview } = args;
    if (preview === true && !args.dry_run) {
      throw new ValidationError([{ field: 'preview', rule: 'dry_run', message: 'preview: true serves a dry run: add dry_run: true, or pass the id of a preview to apply exactly that plan' }]);
    }
    let last: ZonePlan | undefined;
    const compute = async () => {
      const plan = await planOfArgs(ctx, args);
      // Checked on every round of a confirmation, up to the read just before the write.
      if (typeof preview === 'string') checkPreviewed(ctx, preview, plan, args);
      return (last = plan);
    };
    const out = await runPlanned(ctx, { op: 'apply_zone', args, compute });
    return preview === true && last && 'structured' in out ? previewed(ctx, out, last, args) : out;
  },
});
