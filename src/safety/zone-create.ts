/**
 * Creating a zone, through the same gate as every write. A zone is not a record: there is no live
 * zone to plan against and no budget to spend, but what the call does to DNS is judged here all the
 * same. At once, the provider's nameservers answer for the domain itself (an empty zone: their SOA
 * and NS) wherever the domain, or a domain above it, is delegated to them: the `apex` mark (held in
 * `human` mode, and where VPSORG_HUMAN_FOR names apex) and `all`. It deletes and replaces nothing,
 * so `auto` applies it in one call, as docs/safety.md says of additions; VPSORG_HUMAN_FOR=create_zone
 * (or VPSORG_REQUIRE_DISTINCT_APPROVER) holds it like any named operation (op-hold.ts).
 */
import { escapeForDisplay } from '../domain/display.js';
import type { ToolOutcome, ToolSuccess } from '../tool-shapes.js';
import { assessEffect, type Effect } from './effect.js';
import { heldMarks, type HoldPolicy, type MarkCode } from './marks.js';
import { withOpHold } from './op-hold.js';
import { approvalView } from './approval-view.js';
import { readOnlyRefusal, refusal } from './refusals.js';
import { gateDecision } from '../telemetry/index.js';
import { runGated, type GateContext, type GateFields, type GateOptions } from './gate.js';

export interface ZoneCreateSpec<T> {
  /** The tool name (a confirmation is bound to it). */
  op: string;
  /** The parsed arguments, including dry_run. */
  args: Record<string, unknown>;
  /** The new zone's domain, checked and lower-case. */
  domain: string;
  /** The names of the provider's nameservers, which will answer for it. */
  nameservers: string[];
  /** Throws when the zone cannot be created as shown (it exists already): before any create or dry run, and on every round of a confirmation. */
  check(): Promise<void>;
  /** The result for a creation not made (a dry run, or the preview of a confirmation). */
  preview(effect: Effect, kind: 'dry_run' | 'confirm'): ToolSuccess<T>;
  /** Creates the zone. */
  apply(effect: Effect): Promise<ToolSuccess<T>>;
}

/** What creating a zone does (see the module comment), held as `policy` says. */
export function zoneCreateEffect(domain: string, policy: HoldPolicy): Effect {
  const why: Record<Extract<MarkCode, 'apex' | 'all'>, string> = {
    apex: `creates the zone ${escapeForDisplay(domain)}: the provider's nameservers answer for the domain itself at once, wherever it or a domain above it is delegated to them`,
    all: 'creates a zone (VPSORG_HUMAN_FOR=all: every write)',
  };
  const held = heldMarks(policy);
  const codes = (['apex', 'all'] as const).filter((m) => held.has(m));
  // The fields no record change sets keep the effect policy's own shape and defaults.
  return { ...assessEffect([], []), marks: ['apex', 'all'], codes, reasons: codes.map((c) => why[c]), needsConfirmation: codes.length > 0, permissions: ['dns:create'] };
}

type Out<T> = ToolOutcome<T> | ToolOutcome<T & GateFields>;

/** Creates a zone behind the gate (see the module comment). */
export async function runCreateZone<T>(ctx: GateContext, spec: ZoneCreateSpec<T>, opts: GateOptions = {}): Promise<Out<T>> {
  const effect = withOpHold(zoneCreateEffect(spec.domain, ctx.config), ctx.config, spec.op);
  const dryRun = spec.args['dry_run'] === true;
  if (!effect.needsConfirmation) {
    if (ctx.appApproval !== undefined) throw refusal('not_held', 'approval');
    // Unheld too: a dry run must not promise a create of a zone that exists, nor a create send it.
    await spec.check();
    if (dryRun) return spec.preview(effect, 'dry_run');
    if (ctx.config.readOnly) throw readOnlyRefusal(spec.op);
    gateDecision(effect.codes, 'allowed');
    return spec.apply(effect);
  }
  const shown = escapeForDisplay(spec.domain);
  const action = `Create the zone ${shown}, empty: ${spec.nameservers.map(escapeForDisplay).join(', ')} answer for it at once, wherever ${shown} or a domain above it is delegated to them`;
  return runGated<T>(ctx, {
    op: spec.op,
    args: spec.args,
    async readState() {
      await spec.check();
      return {
        // What is confirmed: this domain, created on these nameservers, while it does not exist.
        digestInput: { create_zone: spec.domain, nameservers: spec.nameservers },
        preview: spec.preview(effect, 'confirm'),
        view: approvalView({ op: spec.op, zone: spec.domain, action, changes: [], current: [], effect, findings: [] }),
        permissions: effect.permissions,
      };
    },
    execute: () => spec.apply(effect),
  }, opts);
}
