/**
 * Confirmation tokens: base64url(payload JSON) + '.' + base64url(HMAC-SHA256(payload)).
 * Stateless, so replicas sharing VPSORG_CONFIRM_SECRET accept each other's tokens. A token binds
 * the operation, its arguments and a digest of the exact state previewed, and expires quickly:
 * it cannot confirm anything other than what a human was shown.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { addSecret } from '../log.js';
import { refusal } from './refusals.js';

export const TOKEN_TTL_MS = 5 * 60_000;
const VERSION = 1;

/**
 * What a signed string is for. An elicitation's requestState is never accepted as a
 * confirm_token (or the reverse): otherwise an agent holding the form's state could skip the human.
 * `url` is the requestState of a URL-mode approval (it names the pending approval, and confirms
 * nothing by itself: the person's click does); `app` is the approval an MCP App view hands to the
 * app-only approve tool. A budget_token (budget.ts) only ever makes a later call stricter.
 */
export type TokenPurpose = 'confirm' | 'elicit' | 'url' | 'app' | 'budget';
const PURPOSES: readonly TokenPurpose[] = ['confirm', 'elicit', 'url', 'app', 'budget'];

export interface TokenPayload {
  v: number;
  p: TokenPurpose;
  op: string;
  args: string;
  state: string;
  exp: number;
  n: string;
}

let processKey: Buffer | undefined;

/**
 * The HMAC key: derived from the secret (VPSORG_CONFIRM_SECRET, so replicas agree, or else the key
 * kept beside the journal: history/state.ts), else 32 random bytes per process (tokens then die
 * with the process, which is the safe failure).
 */
export function confirmKey(secret: string | undefined): Buffer {
  // Registered here too (index.ts does at start), so any embedding of the gate keeps it out of output.
  addSecret(secret);
  if (secret) return createHmac('sha256', secret).update('vpsorg-dns-mcp confirm-token v1').digest();
  processKey ??= randomBytes(32);
  return processKey;
}

/** JSON with object keys sorted and undefined members left out, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

/** The arguments a token is bound to: everything but the tokens themselves and dry_run (which selects no target). */
export function argsDigest(args: Record<string, unknown>): string {
  const { confirm_token: _t, dry_run: _d, budget_token: _b, ...rest } = args;
  return digest(rest);
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

export interface Signed {
  token: string;
  expiresAt: string;
  /** The payload's random nonce: names this one issue (a URL approval is filed under it). */
  nonce: string;
}

export function signToken(key: Buffer, p: TokenPurpose, op: string, args: string, state: string, now: number, ttlMs = TOKEN_TTL_MS): Signed {
  const exp = now + ttlMs;
  const payload: TokenPayload = { v: VERSION, p, op, args, state, exp, n: randomBytes(12).toString('base64url') };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return { token: `${body}.${mac(key, body).toString('base64url')}`, expiresAt: new Date(exp).toISOString(), nonce: payload.n };
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function parsePayload(body: string): TokenPayload | null {
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<TokenPayload> | null;
    if (!p || typeof p !== 'object') return null;
    const ok =
      p.v === VERSION && PURPOSES.includes(p.p as TokenPurpose) && typeof p.op === 'string' && typeof p.args === 'string' &&
      typeof p.state === 'string' && typeof p.exp === 'number' && Number.isFinite(p.exp) && typeof p.n === 'string';
    return ok ? (p as TokenPayload) : null;
  } catch {
    return null;
  }
}

export interface Expected {
  purpose: TokenPurpose;
  op: string;
  args: string;
}

/**
 * Checks a token's integrity and binding; throws a UserError naming the exact reason. The state
 * digest is compared by the caller after it re-reads live state (verifyState).
 */
export function verifyToken(key: Buffer, token: string, want: Expected, now: number): TokenPayload {
  const field = want.purpose === 'confirm' ? 'confirm_token' : want.purpose === 'app' ? 'approval' : 'requestState';
  const parts = token.trim().split('.');
  const [body, sig] = parts;
  if (parts.length !== 2 || !body || !sig || !B64URL.test(body) || !B64URL.test(sig) || body.length > 4096) throw refusal('malformed', field);
  const expected = mac(key, body);
  const given = Buffer.from(sig, 'base64url');
  // timingSafeEqual needs equal lengths; a wrong length is a forgery just the same.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refusal('forged', field);
  const payload = parsePayload(body);
  if (!payload) throw refusal('malformed', field);
  if (payload.p !== want.purpose) throw refusal('wrong_purpose', field);
  if (payload.op !== want.op) throw refusal('wrong_operation', field, { issuedFor: payload.op, op: want.op });
  if (payload.args !== want.args) throw refusal('wrong_arguments', field, { op: want.op });
  if (payload.exp <= now) throw refusal('expired', field, { expiredAt: new Date(payload.exp).toISOString() });
  return payload;
}

/** The purpose a token claims, unverified: only to pick which verification to run (verifyToken checks it). */
export function claimedPurpose(token: string): TokenPurpose | null {
  const body = token.trim().split('.')[0] ?? '';
  return B64URL.test(body) && body.length <= 4096 ? (parsePayload(body)?.p ?? null) : null;
}

/** The last check, against freshly read live state. */
export function verifyState(payload: TokenPayload, liveStateDigest: string, field: string): void {
  const a = Buffer.from(payload.state);
  const b = Buffer.from(liveStateDigest);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw refusal('state_changed', field);
}
