/**
 * The caller of one request, from the verified token the HTTP transport hands the SDK (AuthInfo),
 * or the channel it came in on when there is no token. Claims are the issuer's word, checked by
 * the verifier (verifier.ts) before they reach here; they are bounded before anything records them.
 */
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Config } from '../config.js';
import { effectiveScopes, type Actor, type Caller } from '../safety/scopes.js';

/** What the verifier puts in AuthInfo.extra. */
export interface TokenClaims {
  iss?: string;
  /** The person: the value of VPSORG_OAUTH_SUBJECT_CLAIM (default `sub`; Entra ID: `oid`). */
  sub?: string;
  /** The values of VPSORG_OAUTH_ZONES_CLAIM; null when that setting is off. */
  zones?: string[] | null;
}

const bounded = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v.slice(0, 200) : undefined);

export function callerOf(auth: AuthInfo | undefined, channel: Actor): Caller {
  if (!auth) return { actor: channel, scopes: null, zones: null };
  const claims = (auth.extra ?? {}) as TokenClaims;
  const actor: Actor = { channel: 'oauth' };
  const [iss, sub, clientId] = [bounded(claims.iss), bounded(claims.sub), bounded(auth.clientId)];
  if (iss) actor.iss = iss;
  if (sub) actor.sub = sub;
  if (clientId) actor.client_id = clientId;
  return { actor, scopes: effectiveScopes(auth.scopes), zones: claims.zones ?? null };
}

/**
 * The zones this caller may touch: the server's VPSORG_ALLOWED_ZONES narrowed by the caller's
 * zones claim, never widened. A claim value is a zone name or `*.suffix`; one the server's own
 * list does not cover is dropped. A caller with the claim setting on and no values gets no zone.
 */
export function callerZones(config: Pick<Config, 'allowedZones'>, caller: Caller): readonly string[] | null {
  if (caller.zones === null || caller.zones === undefined) return config.allowedZones;
  const claim = caller.zones.map((z) => z.toLowerCase().replace(/\.$/, '')).filter((z) => /^(\*\.)?([a-z0-9_-]+\.)*[a-z0-9-]+$/.test(z));
  const server = config.allowedZones;
  if (server === null) return claim;
  // `*.n` means the names below n (not n itself): a wildcard claim is covered by the same wildcard or a wider one.
  const covered = (z: string) => {
    const wild = z.startsWith('*.');
    const name = wild ? z.slice(2) : z;
    return server.some((p) => (p.startsWith('*.') ? name.endsWith(p.slice(1)) || (wild && name === p.slice(2)) : !wild && name === p));
  };
  return claim.filter(covered);
}
