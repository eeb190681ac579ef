/**
 * An operation named in VPSORG_HUMAN_FOR or VPSORG_REQUIRE_DISTINCT_APPROVER is held whatever its
 * changes do: the channel rules (channel.ts, approver.ts) match the operation's name, but they are
 * only asked once a call is held, and the effect policy (effect.ts) judges changes, not tools. So
 * the one write path adds this hold; an operation these settings accept is one that takes it.
 */
import type { ToolMeta } from '../tool-shapes.js';
import type { Effect } from './effect.js';
import type { HoldPolicy } from './marks.js';

/**
 * The operations these settings may name: every tool that can change DNS, but the app-only
 * approve_plan, which changes nothing itself (it is a person's approval of another tool's call,
 * held and named under that tool's own name).
 */
export function gatedOperations(tools: ReadonlyArray<Pick<ToolMeta, 'name' | 'hints' | 'appOnly'>>): string[] {
  return tools.filter((t) => !t.hints.readOnlyHint && t.appOnly === undefined).map((t) => t.name);
}

/** Which setting names `op`, in its own words, or null. */
function namedBy(policy: HoldPolicy, op: string): string | null {
  if (policy.humanFor.includes(op)) return `VPSORG_HUMAN_FOR names ${op}`;
  if ((policy.requireDistinctApprover ?? []).includes(op)) return `VPSORG_REQUIRE_DISTINCT_APPROVER names ${op}`;
  return null;
}

/**
 * The effect with the named operation's hold added. Its code is `all` (any write, held by the
 * operator's setting): a program testing the codes sees a policy hold, not a change that is risky
 * in itself. (A call that changes nothing is not held: the write path returns before the gate.)
 */
export function withOpHold(e: Effect, policy: HoldPolicy, op: string): Effect {
  const why = namedBy(policy, op);
  if (!why) return e;
  const reason = `${why}: every ${op} needs a person's approval`;
  if (e.reasons.includes(reason)) return e;
  return { ...e, codes: e.codes.includes('all') ? e.codes : [...e.codes, 'all'], reasons: [...e.reasons, reason], needsConfirmation: true };
}
