import * as z from 'zod';
import { UserError } from '../../errors.js';
import type { Change } from '../../domain/diff.js';
import type { CurrentRecord } from '../../domain/diff.js';
import type { PlannedWrite } from './changes.js';
import { riskOut } from './plan.js';
import { gateOut } from '../../safety/gate.js';
import { runWrite, type PreviewKind } from '../../safety/write-gate.js';
import type { Effect } from '../../safety/effect.js';
import { applyPlan } from './apply.js';
import { changeOutOf, recordOutOf } from './output.js';
import { planRiskOut, recordOut, writeOut } from './schemas.js';
import type { ToolContext, ToolSuccess } from './types.js';
import { dataBlock, warningsText } from './format.js';

export const writeOutput = z.object({
  ...writeOut,
  records: z.array(recordOut).describe('The records as the provider returned them after the change.'),
  risk: planRiskOut.describe('Whether this change needs a human to confirm it, and why (the same policy for every write tool).'),
  ...gateOut,
  confirmation: gateOut.confirmation.optional(),
});
export type WriteOutput = z.infer<typeof writeOutput>;

/** A record tool's plan: the live zone, the changes, and notes on how the input was read. */
export interface RecordPlan extends PlannedWrite {
  current: CurrentRecord[];
  notes: string[];
}

function diffBlock(diff: string): string {
  return dataBlock(diff.split('\n'));
}

const notesText = (notes: string[]) => (notes.length ? `\nNotes:\n${notes.map((n) => `- ${n}`).join('\n')}` : '');

function shown(plan: RecordPlan, effect: Effect, kind: PreviewKind, dryRun: boolean): ToolSuccess<WriteOutput> {
  const base = { zone: plan.zone, changes: plan.changes.map(changeOutOf), diff: plan.diff, notes: plan.notes, warnings: plan.warnings, risk: riskOut(effect), dry_run: dryRun, applied: false, records: [] };
  if (kind === 'nothing') return { structured: base, text: `No change needed in ${plan.zone.domain}: it already holds this.${notesText(plan.notes)}` };
  const head = kind === 'dry_run' ? `Dry run for ${plan.zone.domain} (nothing sent)` : `Preview for ${plan.zone.domain} (nothing sent yet)`;
  const why = effect.needsConfirmation ? `\nNeeds confirmation: ${effect.reasons.join('; ')}.` : '';
  return { structured: base, text: `${head}:\n${diffBlock(plan.diff)}${why}${warningsText(plan.warnings)}${notesText(plan.notes)}` };
}

/**
 * The one path of the record tools: plan -> effect policy -> (gate) -> apply (src/safety/write-gate.ts).
 * `plan` runs against the live zone, again on a confirming round; a dry run shows exactly what an apply sends.
 */
export function writeRecords(ctx: ToolContext, op: string, args: Record<string, unknown>, plan: () => Promise<RecordPlan>, opts: { put?: boolean } = {}) {
  return runWrite<RecordPlan, WriteOutput>(ctx, {
    op,
    args,
    plan,
    preview: (p, effect, kind) => shown(p, effect, kind, args['dry_run'] === true),
    async apply(p, effect) {
      const report = await applyPlan(ctx.api, p.zone, p.changes, opts);
      const failed = report.failed[0];
      if (failed) {
        if (!report.applied.length) throw failed.cause;
        throw partialError(report.applied, report.failed, report.notApplied);
      }
      return {
        structured: { ...shown(p, effect, 'dry_run', false).structured, applied: true, records: report.records.map(recordOutOf) },
        text: `Applied to ${p.zone.domain}:\n${diffBlock(p.diff)}${warningsText(p.warnings)}${notesText(p.notes)}`,
      };
    },
  });
}

export function partialError(applied: Change[], failed: Array<{ change: Change; message: string; cause?: unknown }>, notApplied: Change[]): UserError {
  const first = failed[0];
  // The provider's words about the first failure, quoted as the plain error would quote them.
  const quoted = first?.cause instanceof UserError ? first.cause.quoted : undefined;
  return new UserError(
    `Stopped part-way: ${applied.length} change(s) applied, ${failed.length} failed (${first?.message ?? 'unknown error'}), ${notApplied.length} not attempted.`,
    {
      code: 'partial',
      quoted,
      hint: 'Nothing was rolled back. Run the same call again: it re-reads the zone and sends only what is still missing, without duplicates.',
      details: {
        applied: applied.map(changeOutOf),
        failed: failed.map((f) => ({ ...changeOutOf(f.change), error: f.message })),
        not_applied: notApplied.map(changeOutOf),
      },
    },
  );
}
