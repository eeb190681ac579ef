/**
 * `vpsorg-dns-mcp apply --checksum DIGEST`: applies the reviewed plan and nothing else. The plan is
 * computed again against the live zones; if its digest is not the reviewed one (the zone changed
 * meanwhile, other files, other rules) nothing is sent. Each zone then goes through the one write
 * path (safety/write-gate.ts: effect policy, gate, budget, journal and undo receipt, as apply_zone),
 * with a plan that is checked against its digest again on every round, up to the last read before
 * the write. Held changes go ahead only for the effect codes `--confirm` names (the gate's token
 * round, taken by the operator who named them), or after a person approves in the browser.
 */
import * as z from 'zod';
import { UserError } from '../errors.js';
import { defineTool, type ToolContext, type ToolDef } from '../tools/kit/types.js';
import { runTool, type RunResult } from '../tools/kit/run.js';
import { applyOutput, runPlanned } from '../tools/defs/zone-plan.js';
import { needsHuman } from '../safety/channel.js';
import type { EffectCode } from '../safety/effect.js';
import type { RecordRules } from '../domain/code-rules.js';
import type { Env } from '../config.js';
import type { CodeArgs } from './code-args.js';
import type { ZoneTarget } from './code-inputs.js';
import { planLive, type PlannedZone } from './code-zones.js';
import { planAll, renderPlan, runCodeCommand } from './code.js';
import { approveInBrowser } from './call.js';
import { writeDiagnostic, writeResult } from './output.js';
import { EXIT, report } from './report.js';

/** Held changes are confirmed as apply_zone's: VPSORG_HUMAN_FOR=apply_zone covers this command too. */
const OP = 'apply_zone';

/** apply_zone's write path for one zone file, bound to the digest of its reviewed part of the plan. Never listed as a tool. */
function zoneApply(target: ZoneTarget, rules: RecordRules): ToolDef {
  return defineTool({
    name: OP,
    title: 'Apply a reviewed zone file plan',
    description: 'CLI only (vpsorg-dns-mcp apply).',
    toolset: 'bulk',
    permission: 'dns:create',
    input: z.object({ zone: z.string(), plan_digest: z.string(), confirm_token: z.string().optional() }),
    output: applyOutput,
    hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async handler(args, ctx) {
      const compute = async () => {
        const now = await planLive(ctx, target, rules);
        if (now.digest !== args.plan_digest) throw new UserError(`The plan for ${target.zone} changed while it was being applied (the live zone changed): nothing more was sent.`, { code: 'plan_changed', hint: 'Run plan again, review it, and apply its digest.' });
        return now.plan;
      };
      return runPlanned(ctx, { op: OP, args, compute });
    },
  });
}

/** Why held changes cannot go ahead as asked, or null. */
function heldProblem(a: CodeArgs, zones: PlannedZone[], ctx: ToolContext): string | null {
  const codes = [...new Set(zones.flatMap((p) => p.report.effects.map((e) => e.code as EffectCode)))];
  if (!codes.length || a.browser) return null;
  if (needsHuman(ctx.config, OP, codes)) return `these changes (${codes.join(', ')}) may be confirmed only by a person here (VPSORG_CONFIRM_MODE / VPSORG_HUMAN_FOR): add --approve-in-browser`;
  const missing = codes.filter((c) => !a.confirm.includes(c));
  return missing.length ? `the plan holds changes the gate stops (${missing.join(', ')}): add --confirm ${codes.join(',')} to accept them, or --approve-in-browser` : null;
}

async function applyZone(a: CodeArgs, p: PlannedZone, target: ZoneTarget, rules: RecordRules, ctx: ToolContext): Promise<RunResult> {
  const def = zoneApply(target, rules);
  const args = { zone: p.report.zone, plan_digest: p.digest };
  if (!p.report.effects.length) return runTool(def, args, ctx);
  if (a.browser && p.report.effects.some((e) => !a.confirm.includes(e.code) || needsHuman(ctx.config, OP, [e.code as EffectCode]))) return approveInBrowser(def, args, ctx);
  const first = await runTool(def, args, ctx);
  if (first.isError || !('structured' in first) || first.structured['confirmation'] !== 'required') return first;
  // The gate judges the live zone again: what it holds now must all be codes the operator named.
  const held = ((first.structured['risk'] as { codes?: string[] } | undefined)?.codes ?? []).filter((c) => !a.confirm.includes(c));
  if (held.length) throw new UserError(`The gate holds ${p.report.zone} for ${held.join(', ')}, which --confirm does not name (the live zone changed since the plan, or the budget window filled): nothing was sent.`, { code: 'confirmation_required', hint: `Run plan again and review it; add --confirm ${held.join(',')} only if you accept that, or use --approve-in-browser.` });
  const token = first.structured['confirm_token'];
  return typeof token === 'string' ? runTool(def, { ...args, confirm_token: token }, ctx) : first;
}

export function runApplyCommand(argv: string[], env: Env): Promise<number> {
  return runCodeCommand('apply', argv, env, async (a, open) => {
    const session = await open();
    if (!session.tools.some((t) => t.name === OP)) throw new UserError(`apply is not available with this configuration: it writes as apply_zone does. ${session.notes.join(' ')}`, { code: 'policy' });
    const { zones, report: plan, targets: read, rules } = await planAll(a, session);
    if (plan.digest !== a.checksum) {
      await writeResult(renderPlan(plan, a.format));
      writeDiagnostic(`Nothing was sent: the plan computed now (digest ${plan.digest}) is not the reviewed one (${a.checksum as string}); the live zones or the files changed since. Review the plan above and apply its digest (exit code ${EXIT.planChanged}).`);
      return EXIT.planChanged;
    }
    const held = heldProblem(a, zones, session.ctx);
    if (held) {
      await writeResult(renderPlan(plan, a.format));
      writeDiagnostic(`Nothing was sent: ${held} (exit code ${EXIT.needsConfirmation}).`);
      return EXIT.needsConfirmation;
    }
    const targets = new Map(read.map((t) => [t.zone, t]));
    const done: Array<Record<string, unknown>> = [];
    const texts: string[] = [];
    for (const p of zones.filter((z) => z.report.changes.length)) {
      const r = await applyZone(a, p, targets.get(p.report.zone) as ZoneTarget, rules, session.ctx);
      if (r.isError || 'inputRequired' in r || r.structured['applied'] !== true) {
        if (done.length) await writeResult(a.format === 'json' ? JSON.stringify({ digest: plan.digest, zones: done }, null, 2) : texts.join('\n'));
        if (r.isError && r.error.code === 'plan_changed') {
          writeDiagnostic(r.text);
          return EXIT.planChanged;
        }
        return report(r, a.format === 'text');
      }
      done.push(r.structured);
      texts.push(r.text);
    }
    await writeResult(a.format === 'json' ? JSON.stringify({ digest: plan.digest, zones: done }, null, 2) : texts.join('\n') || 'Nothing to apply: the zones already match their files.');
    return EXIT.ok;
  });
}
