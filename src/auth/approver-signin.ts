/**
 * Signs an approver in on the approval page (issue 23.4): this server as an OAuth client of its own
 * issuer (VPSORG_OAUTH_CLIENT_ID, confidential with VPSORG_OAUTH_CLIENT_SECRET, public without),
 * authorization code + PKCE (S256), redirect URI `<VPSORG_PUBLIC_URL origin>/approve/callback`.
 * The access token it gets back is checked exactly as an MCP caller's is (verifier.ts: signature,
 * issuer, expiry, audience), so the approver's iss and sub compare with the requester's; an ID
 * token, when the issuer sends one, must be for this client and carry this attempt's nonce. Whether
 * the signed-in subject may decide is not decided here (safety/approver.ts mayDecide).
 */
import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify } from 'jose';
import { OAuthError } from '@modelcontextprotocol/server';
import type { Config } from '../config.js';
import type { Caller } from '../safety/scopes.js';
import { callerOf } from './caller.js';
import type { tokenVerifier } from './verifier.js';

type OAuth = Extract<Config['auth'], { mode: 'oauth' }>;

export const CALLBACK_PATH = '/approve/callback';

/** One sign-in in progress: what the callback needs to finish it. */
export interface SignInAttempt {
  state: string;
  verifier: string;
  nonce: string;
}

export interface ApproverSignIn {
  issuer: string;
  /** The authorization request to send the approver's browser to, and what to keep for the callback. */
  begin(): Promise<{ url: string; attempt: SignInAttempt }>;
  /** Exchanges the callback's code and verifies the tokens; throws SignInError with a reason for the page. */
  finish(params: URLSearchParams, attempt: SignInAttempt): Promise<Caller>;
}

/** A sign-in that did not produce a verified approver: the message is for the person at the page. */
export class SignInError extends Error {}

const b64 = (n: number) => randomBytes(n).toString('base64url');

export function approverSignIn(cfg: OAuth, publicUrl: URL, verifier: ReturnType<typeof tokenVerifier>): ApproverSignIn {
  const clientId = cfg.clientId ?? '';
  const redirectUri = `${publicUrl.origin}${CALLBACK_PATH}`;
  // RFC 8707 names the resource where the token's audience is the MCP URL; issuers with an audience
  // of their own (Okta, Entra: VPSORG_OAUTH_AUDIENCE) bind it through the scope, and Entra refuses `resource`.
  const resource = cfg.audience === publicUrl.href ? { resource: publicUrl.href } : {};
  const scope = cfg.approverScope ?? 'openid dns.approve';

  async function tokenRequest(code: string, attempt: SignInAttempt): Promise<Record<string, unknown>> {
    const meta = await verifier.directory.metadata();
    if (!meta.token_endpoint) throw new SignInError(`The issuer ${cfg.issuer} publishes no token endpoint.`);
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: attempt.verifier, ...resource });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (cfg.clientSecret) headers['authorization'] = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(cfg.clientSecret)}`).toString('base64')}`;
    else body.set('client_id', clientId);
    const res = await fetch(meta.token_endpoint, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(10_000) });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) throw new SignInError(`The issuer did not issue a token for this sign-in (${String(json['error'] ?? `HTTP ${res.status}`)}${json['error_description'] ? `: ${String(json['error_description'])}` : ''}).`);
    return json;
  }

  return {
    issuer: cfg.issuer,
    async begin() {
      const meta = await verifier.directory.metadata();
      if (!meta.authorization_endpoint) throw new SignInError(`The issuer ${cfg.issuer} publishes no authorization endpoint.`);
      const attempt: SignInAttempt = { state: b64(24), verifier: b64(32), nonce: b64(24) };
      const challenge = createHash('sha256').update(attempt.verifier).digest('base64url');
      const url = new URL(meta.authorization_endpoint);
      const q = { response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, state: attempt.state, nonce: attempt.nonce, code_challenge: challenge, code_challenge_method: 'S256', ...resource };
      for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v);
      return { url: url.href, attempt };
    },
    async finish(params, attempt) {
      const error = params.get('error');
      if (error) throw new SignInError(`The sign-in did not complete (${error.slice(0, 100)}${params.get('error_description') ? `: ${params.get('error_description')?.slice(0, 300)}` : ''}).`);
      // RFC 9207: a response naming another issuer is a mix-up, whatever it carries.
      const iss = params.get('iss');
      if (iss !== null && iss !== cfg.issuer) throw new SignInError(`The sign-in answer names the issuer ${iss.slice(0, 200)}, not ${cfg.issuer}.`);
      const code = params.get('code');
      if (!code) throw new SignInError('The sign-in answer carries no authorization code.');
      const tokens = await tokenRequest(code, attempt);
      const access = tokens['access_token'];
      if (typeof access !== 'string') throw new SignInError('The issuer answered without an access token.');
      const idToken = tokens['id_token'];
      if (typeof idToken === 'string') {
        try {
          const { payload } = await jwtVerify(idToken, await verifier.keys(), { issuer: cfg.issuer, audience: clientId, clockTolerance: 30 });
          if (payload['nonce'] !== attempt.nonce) throw new SignInError('The ID token was not issued for this sign-in (nonce).');
        } catch (err) {
          if (err instanceof SignInError) throw err;
          throw new SignInError(`The issuer's ID token for this sign-in is not valid (${err instanceof Error ? err.message : String(err)}).`);
        }
      }
      try {
        return callerOf(await verifier.verifyAccessToken(access), { channel: 'oauth' });
      } catch (err) {
        throw new SignInError(`The access token from this sign-in was refused: ${err instanceof OAuthError ? err.message : String(err)}`);
      }
    },
  };
}
