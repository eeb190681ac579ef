/**
 * The approval page's sign-in (issue 23.4): where a change needs a second person
 * (VPSORG_REQUIRE_DISTINCT_APPROVER), Approve and Decline do not decide at once; they start an
 * authorization code + PKCE sign-in at the issuer (auth/approver-signin.ts), and the decision is
 * counted at the callback, only if safety/approver.ts mayDecide says this subject may decide.
 *
 * What the callback needs (the PKCE verifier, the nonce, which page, which decision) travels in
 * a cookie of the browser that pressed the button, sealed with a key derived from
 * VPSORG_CONFIRM_SECRET, named after the sign-in's `state`: any replica can finish the sign-in,
 * nothing of it sits in a server's memory, and a link to a started sign-in, sent to an approver who
 * is signed in at the issuer already, decides nothing in their name (their browser lacks the
 * cookie). The issuer's code is single use. A refused or failed sign-in decides nothing; the
 * change keeps waiting.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHmac } from 'node:crypto';
import type { ApprovalStore, Decision } from '../safety/approval-desk.js';
import { mayDecide } from '../safety/approver.js';
import { SignInError, type ApproverSignIn, type SignInAttempt } from '../auth/approver-signin.js';
import { messagePage, signInPage } from './approval-html.js';
import { DONE, decideAndAnswer, sameToken, send } from './approval-respond.js';
import { log } from '../log.js';

/** A sign-in started and not finished within this decides nothing. */
const ATTEMPT_MS = 10 * 60_000;

/** What the callback needs, sealed into the browser's cookie. */
interface Carried extends SignInAttempt {
  page: string;
  decision: Decision;
  exp: number;
}

export interface PageSignIn {
  signIn: ApproverSignIn;
  /** The cookie is marked Secure (the public URL is https). */
  secure: boolean;
  /** Seals the cookie (derived from the confirmation key, so every replica with the same VPSORG_CONFIRM_SECRET opens it). */
  key: Buffer;
}

/** `confirmKey`: safety/confirm.ts confirmKey(VPSORG_CONFIRM_SECRET); a key of its own is derived from it. */
export function pageSignIn(signIn: ApproverSignIn, secure: boolean, confirmKey: Buffer): PageSignIn {
  return { signIn, secure, key: createHmac('sha256', confirmKey).update('vpsorg-dns-mcp approver sign-in v1').digest() };
}

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest('base64url');
const cookieName = (state: string) => `vpsorg_signin_${state}`;

function seal(key: Buffer, c: Carried): string {
  const body = Buffer.from(JSON.stringify(c)).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

/** The sealed attempt of this state from the request's cookies, or null (absent, altered, another sign-in's, expired). */
function opened(req: IncomingMessage, key: Buffer, state: string): Carried | null {
  if (!/^[\w-]{16,64}$/.test(state)) return null;
  const name = cookieName(state);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (part.slice(0, at).trim() !== name) continue;
    const [body, tag] = part.slice(at + 1).trim().split('.');
    if (!body || !tag || !sameToken(tag, mac(key, body))) return null;
    try {
      const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Carried;
      return c.state === state && typeof c.exp === 'number' && c.exp > Date.now() ? c : null;
    } catch {
      return null;
    }
  }
  return null;
}

const cookie = (ps: PageSignIn, name: string, value: string, maxAge: number) => `${name}=${value}; Path=/approve/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${ps.secure ? '; Secure' : ''}`;

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
  const carried: Carried = { ...begun.attempt, page: pagePath, decision, exp: Date.now() + ATTEMPT_MS };
  send(res, 200, signInPage(ps.signIn.issuer, begun.url, decision), { 'set-cookie': cookie(ps, cookieName(begun.attempt.state), seal(ps.key, carried), ATTEMPT_MS / 1000) });
}

/** The issuer's redirect back: finish the sign-in, then count the decision only if this subject may decide. */
export async function finishSignIn(ps: PageSignIn | undefined, store: ApprovalStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const params = new URL(req.url ?? '/', 'http://callback').searchParams;
  const state = params.get('state') ?? '';
  const p = ps ? opened(req, ps.key, state) : null;
  if (!ps || !p) {
    return send(res, 400, messagePage('Refused', 'This sign-in was not started from an approval page in this browser, or it took too long. Nothing was decided: open the approval page again.'));
  }
  // The cookie has served: whatever comes of this sign-in, it starts no other.
  res.setHeader('set-cookie', cookie(ps, cookieName(state), '', 0));
  const entry = await store.page(p.page);
  if (!entry) return send(res, 404, messagePage('Not found', 'No such approval: it was used already, it expired, or the link is wrong.'));
  if (entry.decided) return send(res, 410, messagePage(...DONE[entry.decided]));
  let approver;
  try {
    approver = await ps.signIn.finish(params, p);
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
