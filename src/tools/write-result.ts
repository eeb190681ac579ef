import * as z from 'zod';
import { UserError } from '../errors.js';
import type { Change } from '../domain/diff.js';
import type { PlannedWrite } from './changes.js';
import { applyPlan } from './apply.js';
import { changeOutOf, recordOutOf } from './output.js';
import { recordOut, writeOut } from './schemas.js';
import type { ToolContext, ToolSuccess } from './types.js';
import { dataBlock } from './format.js';

export const writeOutput = z.object({ ...writeOut, records: z.array(recordOut).describe('The records as the provider returned them after the change.') });
export type WriteOutput = z.infer<typeof writeOutput>;

function diffBlock(diff: string): string {
  return dataBlock(diff.split('\n'));
}

/**
 * The one path shared by preview and apply: the plan is computed once; it is executed only when
 * this is not a dry run, so what a dry run shows is exactly what an apply sends.
 */
export async function finishWrite(ctx: ToolContext, plan: PlannedWrite, dryRun: boolean | undefined, notes: string[] = [], opts: { put?: boolean } = {}): Promise<ToolSuccess<WriteOutput>> {
  const base = { zone: plan.zone, changes: plan.changes.map(changeOutOf), diff: plan.diff, notes };
  const noteText = notes.length ? `\nNotes:\n${notes.map((n) => `- ${n}`).join('\n')}` : '';
  if (!plan.changes.length) {
    return { structured: { ...base, dry_run: !!dryRun, applied: false, records: [] }, text: `No change needed in ${plan.zone.domain}: it already holds this.${noteText}` };
  }
  if (dryRun) {
    return { structured: { ...base, dry_run: true, applied: false, records: [] }, text: `Dry run for ${plan.zone.domain} (nothing sent):\n${diffBlock(plan.diff)}${noteText}` };
  }
  const report = await applyPlan(ctx.api, plan.zone, plan.changes, opts);
  const failed = report.failed[0];
  if (failed) {
    if (!report.applied.length) throw failed.cause;
    throw partialError(report.applied, report.failed, report.notApplied);
  }
  return {
    structured: { ...base, dry_run: false, applied: true, records: report.records.map(recordOutOf) },
    text: `Applied to ${plan.zone.domain}:\n${diffBlock(plan.diff)}${noteText}`,
  };
}

export function partialError(applied: Change[], failed: Array<{ change: Change; message: string }>, notApplied: Change[]): UserError {
  const first = failed[0];
  return new UserError(
    `Stopped part-way: ${applied.length} change(s) applied, ${failed.length} failed (${first?.message ?? 'unknown error'}), ${notApplied.length} not attempted.`,
    {
      code: 'partial',
      hint: 'Nothing was rolled back. Run the same call again: it re-reads the zone and sends only what is still missing, without duplicates.',
      details: {
        applied: applied.map(changeOutOf),
        failed: failed.map((f) => ({ ...changeOutOf(f.change), error: f.message })),
        not_applied: notApplied.map(changeOutOf),
      },
    },
  );
}
