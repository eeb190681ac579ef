/**
 * A second person (issue 23.4, VPSORG_REQUIRE_DISTINCT_APPROVER): for the operations and effects it
 * names, an approval counts only when it comes from someone who signed in on the approval page with
 * the `dns.approve` scope and who is not the person who asked. Decided here, once: which changes
 * need one, whether this server can ask for one at all, and whether a signed-in subject may decide
 * a pending approval. The page (src/http/approval-signin.ts) only signs people in and asks.
 */
import { ConfigError } from '../errors.js';
import type { Config } from '../config.js';
import type { EffectCode } from './effect.js';
import type { Actor, Caller } from './scopes.js';

export type DistinctPolicy = Partial<Pick<Config, 'requireDistinctApprover'>>;

const SETTING = 'VPSORG_REQUIRE_DISTINCT_APPROVER';

/** Whether this change's approval must come from a second, signed-in person: the setting names its operation or one of its effects. */
export function needsDistinctApprover(config: DistinctPolicy, op: string, effects: readonly EffectCode[]): boolean {
  return (config.requireDistinctApprover ?? []).some((h) => h === op || (effects as readonly string[]).includes(h));
}

/** The setting in words, with the entries this change matches, for messages. */
export function distinctReason(config: DistinctPolicy, op: string, effects: readonly EffectCode[]): string {
  const all = config.requireDistinctApprover ?? [];
  const named = all.filter((h) => h === op || (effects as readonly string[]).includes(h));
  return `${SETTING}=${all.join(',')} requires a second person to approve this change (${named.join(', ')}): someone other than the one who asked, signed in with the dns.approve scope`;
}

/**
 * Refuses to start where the setting cannot be met: a second person is told apart from the first
 * only by signing in at the issuer, which needs the HTTP transport with VPSORG_AUTH=oauth (stdio,
 * the CLI and the static key have one caller) and a client of this server at the issuer. Silently
 * letting the person who asked approve would be worse than not starting.
 */
export function checkDistinctApprover(config: Pick<Config, 'requireDistinctApprover' | 'auth'>, transport: string): void {
  const named = config.requireDistinctApprover;
  if (!named.length) return;
  const setting = `${SETTING}=${named.join(',')}`;
  if (transport !== 'http' || config.auth.mode !== 'oauth') {
    const here = transport !== 'http' ? `this ${transport === 'stdio' ? 'stdio server' : `${transport} run`} has one local user` : 'the static key (VPSORG_AUTH=key) makes every caller the same';
    throw new ConfigError(`${setting} needs a second person to sign in on the approval page, which only the HTTP transport with VPSORG_AUTH=oauth can do: ${here}. Serve with --http and VPSORG_AUTH=oauth (docs/team.md), or unset ${SETTING}.`);
  }
  if (!config.auth.clientId) {
    throw new ConfigError(`${setting} needs VPSORG_OAUTH_CLIENT_ID (and VPSORG_OAUTH_CLIENT_SECRET for a confidential client): the client this server signs approvers in as, at ${config.auth.issuer}, with the redirect URI <VPSORG_PUBLIC_URL origin>/approve/callback (docs/team.md).`);
  }
}

/** What an approval records about who may decide it (approval-desk.ts ApprovalRequest). */
export interface ApproverRule {
  /** A second, signed-in person must decide (needsDistinctApprover held when it was filed). */
  distinct?: boolean;
  /** Who asked for the change. */
  requester?: Actor;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

const subjectOf = (a: Actor | undefined) => (a?.channel === 'oauth' && a.iss && a.sub ? { iss: a.iss, sub: a.sub } : null);

/**
 * Whether `approver` (signed in on the page; undefined: nobody signed in) may decide this approval.
 * Without the distinct rule anyone at the page may, as before. With it: a verified subject holding
 * dns.approve, whose issuer and subject are not the requester's. A requester without a subject
 * (a token that names none) cannot be told apart from anyone, so no one may.
 */
export function mayDecide(rule: ApproverRule, approver: Caller | undefined): Verdict {
  if (!rule.distinct) return { ok: true };
  const who = subjectOf(approver?.actor);
  if (!approver) return { ok: false, reason: 'This change needs a second person: sign in on this page to decide.' };
  if (!who) return { ok: false, reason: `Your sign-in's token carries no subject (the claim VPSORG_OAUTH_SUBJECT_CLAIM names, default sub), so you cannot be told apart from the one who asked. Nothing was decided; ask your administrator to have the issuer send that claim.` };
  if (!approver.scopes?.has('dns.approve')) return { ok: false, reason: `You are signed in as ${who.sub}, who does not hold the dns.approve scope: only an approver may decide this change. Nothing was decided; the change still waits for an approver.` };
  const asked = subjectOf(rule.requester);
  if (!asked) return { ok: false, reason: 'The request\'s token carries no subject (the claim VPSORG_OAUTH_SUBJECT_CLAIM names, default sub), so no second person can be told apart from the one who asked and no one may approve it. Nothing was decided; ask again with a token that carries that claim.' };
  if (asked.iss === who.iss && asked.sub === who.sub) return { ok: false, reason: `You (${who.sub}) asked for this change: a second person must approve it. Nothing was decided; send this page to another approver.` };
  return { ok: true };
}
