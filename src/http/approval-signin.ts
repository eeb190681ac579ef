/**
 * The approval page's sign-in (issue 23.4): where a change needs a second person
 * (VPSORG_REQUIRE_DISTINCT_APPROVER), Approve and Decline do not decide at once; they start an
 * authorization code + PKCE sign-in at the issuer (auth/approver-signin.ts), and the decision is
 * counted at the callback, only if safety/approver.ts mayDecide says this subject may decide.
 *
 * The decision rides in this process's memory under the sign-in's `state`, never in the URL, and
 * the callback must come back to the browser that started it (a cookie bound to the attempt): a
 * link to a started sign-in, sent to an approver who is signed in at the issuer already, decides
 * nothing in their name. A refused or failed sign-in decides nothing; the change keeps waiting.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { ApprovalStore, Decision } from '../safety/approval-desk.js';
import { mayDecide } from '../safety/approver.js';
import { SignInError, type ApproverSignIn, type SignInAttempt } from '../auth/approver-signin.js';
import { messagePage, signInPage } from './approval-html.js';
import { DONE, decideAndAnswer, sameToken, send } from './approval-respond.js';
import { log } from '../log.js';

const COOKIE = 'vpsorg_signin';
/** A sign-in started and not finished within this is forgotten. */
const ATTEMPT_MS = 10 * 60_000;
/** More sign-ins in progress than people approving at once: the oldest go first. */
const MAX_ATTEMPTS = 1000;

interface Pending {
  attempt: SignInAttempt;
  pagePath: string;
  decision: Decision;
  /** A hash of the browser's cookie: the callback must come back to the same browser. */
  browser: string;
  expiresAt: number;
}

export interface PageSignIn {
  signIn: ApproverSignIn;
  /** The cookie is marked Secure (the public URL is https). */
  secure: boolean;
  pending: Map<string, Pending>;
}

export function pageSignIn(signIn: ApproverSignIn, secure: boolean): PageSignIn {
  return { signIn, secure, pending: new Map() };
}

const hash = (v: string) => createHash('sha256').update(v).digest('base64url');

function cookieOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && v && /^[\w-]{32,64}$/.test(v)) return v;
  }
  return undefined;
}

/** Approve or Decline on a page that needs a second person: the sign-in starts, and the decision waits for it. */
export async function beginSignIn(ps: PageSignIn | undefined, pagePath: string, decision: Decision, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!ps) return send(res, 403, messagePage('Refused', 'This change needs a second person, who signs in on this page, and this server has no sign-in for approvers. Nothing was decided.'));
  let begun: Awaited<ReturnType<ApproverSignIn['begin']>>;
  try {
    begun = await ps.signIn.begin();
  } catch (err) {
    log.warn(`approval page: cannot start a sign-in: ${err instanceof Error ? err.message : String(err)}`);
    return send(res, 502, messagePage('Sign-in unavailable', `The sign-in at ${ps.signIn.issuer} cannot start now; nothing was decided. Try again shortly.`));
  }
  const now = Date.now();
  for (const [k, p] of ps.pending) if (p.expiresAt <= now || ps.pending.size >= MAX_ATTEMPTS) ps.pending.delete(k);
  // One cookie per browser, kept across sign-ins: two approval tabs do not undo each other's.
  const browser = cookieOf(req) ?? randomBytes(24).toString('base64url');
  ps.pending.set(begun.attempt.state, { attempt: begun.attempt, pagePath, decision, browser: hash(browser), expiresAt: now + ATTEMPT_MS });
  const cookie = `${COOKIE}=${browser}; Path=/approve/; HttpOnly; SameSite=Lax; Max-Age=${ATTEMPT_MS / 1000}${ps.secure ? '; Secure' : ''}`;
  send(res, 200, signInPage(ps.signIn.issuer, begun.url, decision), { 'set-cookie': cookie });
}

/** The issuer's redirect back: finish the sign-in, then count the decision only if this subject may decide. */
export async function finishSignIn(ps: PageSignIn | undefined, store: ApprovalStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const params = new URL(req.url ?? '/', 'http://callback').searchParams;
  const p = ps?.pending.get(params.get('state') ?? '');
  const browser = ps && cookieOf(req);
  if (!ps || !p || p.expiresAt <= Date.now() || !browser || !sameToken(hash(browser), p.browser)) {
    return send(res, 400, messagePage('Refused', 'This sign-in was not started from an approval page in this browser, or it took too long. Nothing was decided: open the approval page again.'));
  }
  // Single use, whatever comes of it.
  ps.pending.delete(params.get('state') ?? '');
  const entry = await store.page(p.pagePath);
  if (!entry) return send(res, 404, messagePage('Not found', 'No such approval: it was used already, it expired, or the link is wrong.'));
  if (entry.decided) return send(res, 410, messagePage(...DONE[entry.decided]));
  let approver;
  try {
    approver = await ps.signIn.finish(params, p.attempt);
  } catch (err) {
    const why = err instanceof SignInError ? err.message : 'The issuer could not be reached to finish the sign-in.';
    if (!(err instanceof SignInError)) log.warn(`approval page: sign-in: ${err instanceof Error ? err.message : String(err)}`);
    return send(res, 403, messagePage('Sign-in failed', `${why} Nothing was decided; the change still waits for an approver.`));
  }
  const verdict = mayDecide(entry, approver);
  if (!verdict.ok) {
    log.info(`approval page: a decision by ${approver.actor.sub ?? '(no subject)'} refused (${entry.view.op} on ${entry.view.zone}): ${verdict.reason}`);
    return send(res, 403, messagePage('Refused', verdict.reason));
  }
  await decideAndAnswer(store, entry, p.decision, res, approver.actor);
}
