/**
 * Access tokens of the configured issuer (issue 23; MCP authorization, RFC 9068, RFC 7662). A JWT
 * is checked for its signature against the issuer's published keys, its issuer, its expiry and
 * its audience (this server's resource: a token minted for another resource is refused). An
 * opaque token is asked about at the issuer's introspection endpoint, when it has one and this
 * server has client credentials for it. Loaded only with VPSORG_AUTH=oauth: jose never enters the
 * stdio start path.
 */
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import type { AuthConfig } from '../config.js';
import { log } from '../log.js';
import { IssuerDirectory } from './issuer.js';
import type { TokenClaims } from './caller.js';

type OAuth = Extract<AuthConfig, { mode: 'oauth' }>;

const MAX_TOKEN_CHARS = 16_384;
const INTROSPECTION_TTL_MS = 60_000;
const INTROSPECTION_CACHE = 1_000;

const invalid = (why: string) => new OAuthError(OAuthErrorCode.InvalidToken, why);
/** The raw token never travels further than this file: what the SDK and the tools see is its digest. */
const tokenId = (token: string) => `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;

/** Scopes as issuers spell them: `scope` (RFC 9068, a space list), `scp` (Entra: a string; Okta: an array). */
function scopesOf(p: Record<string, unknown>): string[] {
  const raw = p['scope'] ?? p['scp'];
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return typeof raw === 'string' ? raw.split(' ').filter(Boolean) : [];
}

function zonesOf(p: Record<string, unknown>, claim: string | undefined): string[] | null {
  if (!claim) return null;
  const raw = p[claim];
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string').slice(0, 1000);
  return typeof raw === 'string' ? raw.split(/[\s,]+/).filter(Boolean).slice(0, 1000) : [];
}

function authInfo(cfg: OAuth, token: string, p: Record<string, unknown>): AuthInfo {
  const clientId = [p['client_id'], p['azp'], p['appid'], p['cid']].find((v): v is string => typeof v === 'string') ?? '';
  const extra: TokenClaims = { zones: zonesOf(p, cfg.zonesClaim) };
  if (typeof p['iss'] === 'string') extra.iss = p['iss'];
  // The person, not the token: Entra's `sub` is pairwise per application, so the approver's sign-in
  // (this server's client) and the requester's (their MCP client) differ for one person; `oid` does not.
  const subject = p[cfg.subjectClaim ?? 'sub'];
  if (typeof subject === 'string') extra.sub = subject;
  const info: AuthInfo = { token: tokenId(token), clientId, scopes: scopesOf(p), resource: new URL(cfg.audience), extra: extra as Record<string, unknown> };
  if (typeof p['exp'] === 'number') info.expiresAt = p['exp'];
  return info;
}

export function tokenVerifier(cfg: OAuth, directory = new IssuerDirectory(cfg.issuer)): OAuthTokenVerifier & { directory: IssuerDirectory; keys: () => Promise<ReturnType<typeof createRemoteJWKSet>> } {
  let jwks: { uri: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;
  const keys = async () => {
    const meta = await directory.metadata();
    if (!meta.jwks_uri) throw new Error(`the issuer ${cfg.issuer} publishes no jwks_uri`);
    if (jwks?.uri !== meta.jwks_uri) jwks = { uri: meta.jwks_uri, set: createRemoteJWKSet(new URL(meta.jwks_uri)) };
    return jwks.set;
  };

  async function verifyJwt(token: string): Promise<AuthInfo> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await keys(), { issuer: cfg.issuer, audience: cfg.audience, requiredClaims: ['exp'], clockTolerance: 30 }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw invalid('The access token has expired: sign in again.');
      if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud') throw invalid(`The access token was not issued for this server (its audience must be ${cfg.audience}).`);
      if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'iss') throw invalid(`The access token was not issued by ${cfg.issuer}.`);
      if (err instanceof errors.JOSEError) throw invalid('The access token is not valid (signature or format).');
      throw err;
    }
    return authInfo(cfg, token, payload);
  }

  async function introspect(token: string): Promise<AuthInfo> {
    const meta = await directory.metadata();
    if (!meta.introspection_endpoint || !cfg.clientId || !cfg.clientSecret) throw invalid('This server accepts JWT access tokens from its issuer (opaque tokens need the issuer\'s introspection endpoint and VPSORG_OAUTH_CLIENT_ID/SECRET).');
    const basic = Buffer.from(`${encodeURIComponent(cfg.clientId)}:${encodeURIComponent(cfg.clientSecret)}`).toString('base64');
    const res = await fetch(meta.introspection_endpoint, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams({ token, token_type_hint: 'access_token' }), redirect: 'error', signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`introspection at ${meta.introspection_endpoint} answered HTTP ${res.status}`);
    const body = await res.text();
    if (body.length > 65_536) throw new Error(`introspection at ${meta.introspection_endpoint} answered more than 64 KiB`);
    const p = JSON.parse(body) as Record<string, unknown>;
    if (p['active'] !== true) throw invalid('The access token is not active (revoked, expired or unknown).');
    const aud = Array.isArray(p['aud']) ? p['aud'] : [p['aud']];
    if (!aud.includes(cfg.audience)) throw invalid(`The access token was not issued for this server (its audience must be ${cfg.audience}).`);
    if (p['iss'] !== undefined && p['iss'] !== cfg.issuer) throw invalid(`The access token was not issued by ${cfg.issuer}.`);
    if (typeof p['exp'] !== 'number') throw invalid('The introspected token has no expiry.');
    return authInfo(cfg, token, { ...p, iss: cfg.issuer });
  }

  // Opaque tokens: one introspection per token per minute at most (answers shared while in flight,
  // inactive ones remembered too), so a client replaying junk bearers cannot make this server
  // flood its issuer. Bounded: the oldest answer is forgotten first.
  const answers = new Map<string, { until: number; answer: Promise<AuthInfo> }>();
  function introspectOnce(token: string): Promise<AuthInfo> {
    const key = tokenId(token);
    const now = Date.now();
    const known = answers.get(key);
    if (known && known.until > now) return known.answer;
    const answer = introspect(token);
    answers.delete(key);
    answers.set(key, { until: now + INTROSPECTION_TTL_MS, answer });
    if (answers.size > INTROSPECTION_CACHE) answers.delete(answers.keys().next().value as string);
    // A failure to reach the issuer is not remembered: the next call asks again.
    answer.catch((err: unknown) => { if (!(err instanceof OAuthError)) answers.delete(key); });
    return answer.then((info) => {
      if (info.expiresAt !== undefined && info.expiresAt * 1000 <= Date.now()) throw invalid('The access token has expired: sign in again.');
      return info;
    });
  }

  return {
    directory,
    /** The issuer's signing keys (approver sign-in checks its ID token with them). */
    keys,
    async verifyAccessToken(token: string) {
      try {
        if (token.length > MAX_TOKEN_CHARS) throw invalid(`The access token is longer than ${MAX_TOKEN_CHARS} characters.`);
        return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) ? await verifyJwt(token) : await introspectOnce(token);
      } catch (err) {
        if (err instanceof OAuthError) throw err;
        // The issuer unreachable or misconfigured: the caller's token is not at fault (500, not 401).
        log.warn(`oauth: cannot check a token: ${err instanceof Error ? err.message : String(err)}`);
        throw new OAuthError(OAuthErrorCode.ServerError, 'The authorization server cannot be reached to check the token; try again shortly.');
      }
    },
  };
}
