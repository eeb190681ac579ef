/**
 * The one path every DNS write takes: plan -> effect policy -> (gate) -> apply. A tool supplies
 * how to plan against the live zone, how to show a plan, and how to apply it; whether a human
 * must confirm is decided here, from the planned changes alone (effect.ts), so a write tool added
 * later is guarded without knowing it.
 */
import { ValidationError } from '../errors.js';
import type { Change, CurrentRecord } from '../domain/diff.js';
import { renderZoneFile, type ZoneFileOptions } from '../domain/zonefile.js';
import { zoneFileHead } from '../dns/zone-soa.js';
import { cmp } from '../domain/names.js';
import type { ToolOutcome, ToolSuccess } from '../tool-shapes.js';
import { assessEffect, budgetLimit, type BudgetUse, type Effect } from './effect.js';
import { budgetUse, budgetUseIn, carriedBudget, combinedUse, noteWrite, signBudget } from './budget.js';
import { processState, type BudgetLedger } from '../state/index.js';
import { confirmKey } from './confirm.js';
import { approvalView } from './approval-view.js';
import type { ChangeWarning } from '../audit/after-change.js';
import { gateDecision } from '../telemetry/index.js';
import { readOnlyRefusal, refusal } from './refusals.js';
import { effectScope, requireScope } from './scopes.js';
import type { HoldPolicy } from './marks.js';
import { withHold } from './undo-hold.js';
import { withOpHold } from './op-hold.js';
import { runGated, type GateContext, type GateFields, type GateOptions, type GateState } from './gate.js';

export interface WritePlan {
  zone: { uuid: string; domain: string };
  /** The live zone the plan was computed against, read whole (live-zone.ts liveZoneForWrite: a cut listing is refused). */
  current: CurrentRecord[];
  changes: Change[];
  /** Audit findings the changes would add, when the plan computed them (else the approval view does). */
  warnings?: ChangeWarning[];
}

/** Why a plan is shown without being applied. */
export type PreviewKind = 'nothing' | 'dry_run' | 'confirm';

export interface WriteSpec<P extends WritePlan, T> {
  /** The tool name (tokens are bound to it). */
  op: string;
  /** The parsed arguments, including dry_run and confirm_token. */
  args: Record<string, unknown>;
  /** Computes the plan against the live zone; called again on every round of a confirmation. */
  plan(): Promise<P>;
  /** The result for a plan not applied (nothing to do, a dry run, or the preview of a confirmation). */
  preview(plan: P, effect: Effect, kind: PreviewKind): ToolSuccess<T>;
  /** Applies exactly this plan. */
  apply(plan: P, effect: Effect): Promise<ToolSuccess<T>>;
}

/**
 * The effect of a plan against the zone's budget as this process's embedded store saw it, without
 * waiting: a preview's estimate (a plan's risk). The write itself is judged from the state store.
 */
export function judge(plan: WritePlan, now: number, policy?: HoldPolicy): Effect {
  return assessEffect(plan.changes, plan.current, budgetUse(plan.zone.uuid, plan.current, now), policy, plan.zone.domain);
}

/** The budget used: what the store holds (every replica, when shared), or a caller's budget_token if stricter. */
async function useOf(ledger: BudgetLedger, plan: WritePlan, now: number, carried: Pick<BudgetUse, 'used' | 'since'> | null): Promise<BudgetUse> {
  return combinedUse(await budgetUseIn(ledger, plan.zone.uuid, plan.current, now), carried);
}

/** Adds the zone's budget after the call to a result that has structured content. */
function withBudget<R>(out: R, key: Buffer, plan: WritePlan, use: BudgetUse, now: number): R {
  const res = out as { structured?: Record<string, unknown> };
  if (!res.structured) return out;
  const budget = { used: use.used, limit: budgetLimit(use.baselineCount), since: new Date(use.since).toISOString(), budget_token: signBudget(key, plan.zone.uuid, use, now) };
  return { ...out, structured: { ...res.structured, budget } };
}

function gateState<P extends WritePlan, T>(spec: WriteSpec<P, T>, plan: P, effect: Effect, use: BudgetUse, head: Partial<ZoneFileOptions>): GateState<T> {
  // The whole zone as it is before the write: importing it (sync) undoes the write. Its SOA is the
  // one the nameservers serve, as in export_zone_file.
  const snapshot = { zone: plan.zone.domain, text: renderZoneFile(plan.zone.domain, plan.current, head) };
  const n = plan.changes.length;
  return {
    digestInput: { zone: plan.zone, records: [...plan.current].sort((a, b) => cmp(a.uuid, b.uuid)) },
    preview: spec.preview(plan, effect, 'confirm'),
    view: approvalView({
      op: spec.op,
      zone: plan.zone.domain,
      action: `${spec.op}: ${n} change${n === 1 ? '' : 's'} to ${plan.zone.domain}`,
      changes: plan.changes,
      current: plan.current,
      effect,
      budget: use,
      ...(plan.warnings ? { findings: plan.warnings } : {}),
      snapshot,
    }),
    permissions: effect.permissions,
    snapshot,
  };
}

type Out<T> = ToolOutcome<T> | ToolOutcome<T & GateFields>;

/** The effect of a plan as the gate judges it: what its changes do (effect.ts), an undo's hold, and an operation the settings name. */
function effectOf(ctx: GateContext, op: string, plan: WritePlan, use: BudgetUse): Effect {
  return withOpHold(withHold(assessEffect(plan.changes, plan.current, use, ctx.config, plan.zone.domain), ctx.hold), ctx.config, op);
}

/** Runs a write tool (see the module comment). */
export async function runWrite<P extends WritePlan, T>(ctx: GateContext, spec: WriteSpec<P, T>, opts: GateOptions = {}): Promise<Out<T>> {
  const now = opts.now ?? Date.now;
  const key = confirmKey(ctx.config.confirmSecret);
  const ledger = ctx.state?.budget ?? processState.budget;
  const first = await spec.plan();
  const carried = carriedBudget(key, spec.args['budget_token'], first.zone.uuid, now());
  const use = await useOf(ledger, first, now(), carried);
  const effect = effectOf(ctx, spec.op, first, use);
  // A call whose planned changes delete needs dns.delete, whichever tool plans them (a dry run too: it shows what would go).
  if (first.changes.length) requireScope(ctx.caller, effectScope(effect.permissions));
  const dryRun = spec.args['dry_run'] === true;
  if (!first.changes.length) return withBudget(spec.preview(first, effect, 'nothing'), key, first, use, now());
  if (!effect.needsConfirmation) {
    if (ctx.appApproval !== undefined) throw refusal('not_held', 'approval');
    if (dryRun) return withBudget(spec.preview(first, effect, 'dry_run'), key, first, use, now());
    if (spec.args['confirm_token'] !== undefined) {
      throw new ValidationError([{ field: 'confirm_token', rule: 'not_needed', message: 'this change needs no confirmation: call again without confirm_token' }]);
    }
    // As the gate does for a held call (gate.ts): read-only servers register no write tool, this stops any other path.
    if (ctx.config.readOnly) throw readOnlyRefusal(spec.op);
    // Recorded before the write: a store that cannot record it stops the write (state_unavailable).
    await noteWrite(first.zone.uuid, first.current, first.changes, now(), false, ledger);
    gateDecision(effect.codes, 'allowed');
    const res = await spec.apply(first, effect);
    return withBudget(res, key, first, { ...use, used: use.used + effect.budgetCost }, now());
  }
  // The plan is computed again on every round, so what is confirmed is the plan against the zone as it is then.
  let plan = first;
  let current = effect;
  let executed = false;
  const out = await runGated<T>(ctx, {
    op: spec.op,
    args: spec.args,
    async readState() {
      plan = await spec.plan();
      const use = await useOf(ledger, plan, now(), carried);
      current = effectOf(ctx, spec.op, plan, use);
      return gateState(spec, plan, current, use, await zoneFileHead(ctx.config, plan.zone.domain));
    },
    async execute() {
      await noteWrite(plan.zone.uuid, plan.current, plan.changes, now(), true, ledger);
      executed = true;
      return spec.apply(plan, current);
    },
  }, opts);
  // A change a human confirmed starts the window afresh (budget.ts).
  // After a write, a store gone meanwhile must not turn its result into an error: the budget is left out.
  const after = executed ? { used: 0, baselineCount: plan.current.length, since: now() } : await useOf(ledger, plan, now(), carried).catch(() => null);
  return after ? withBudget(out, key, plan, after, now()) : out;
}
