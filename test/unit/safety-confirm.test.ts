import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { UserError } from '../../src/errors.js';
import { argsDigest, canonicalJson, confirmKey, digest, signToken, TOKEN_TTL_MS, verifyState, verifyToken } from '../../src/safety/confirm.js';

const SECRET = 'a-shared-secret-of-some-length';
const key = confirmKey(SECRET);
const T0 = 1_800_000_000_000;
const want = { purpose: 'confirm' as const, op: 'delete_zone', args: argsDigest({ zone: 'example.com' }) };
const state = digest({ zone: 'example.com', records: [{ uuid: 'a', value: '192.0.2.1' }] });
const good = () => signToken(key, 'confirm', want.op, want.args, state, T0).token;

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('confirmation_refused');
    return (err as UserError).details?.['reason'] as string;
  }
  return 'accepted';
}

const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const decode = (t: string) => JSON.parse(Buffer.from(t.split('.')[0] as string, 'base64url').toString()) as Record<string, unknown>;
const macOf = (k: Buffer, body: string) => createHmac('sha256', k).update(body).digest('base64url');

describe('canonical JSON and digests', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":2,"z":1}]},"b":1}');
    expect(digest({ a: 1, b: 2 })).toBe(digest({ b: 2, a: 1 }));
    expect(digest({ a: 1 })).not.toBe(digest({ a: '1' }));
  });

  it('binds arguments but not the token itself or dry_run', () => {
    expect(argsDigest({ zone: 'example.com', confirm_token: 'x', dry_run: false })).toBe(argsDigest({ zone: 'example.com' }));
    expect(argsDigest({ zone: 'example.com' })).not.toBe(argsDigest({ zone: 'example.org' }));
    expect(argsDigest({ zone: 'example.com', name: 'www' })).not.toBe(argsDigest({ zone: 'example.com' }));
  });
});

describe('confirmation tokens', () => {
  it('a fresh token verifies until just before it expires', () => {
    const p = verifyToken(key, good(), want, T0 + TOKEN_TTL_MS - 1);
    expect(p.op).toBe('delete_zone');
    expect(() => verifyState(p, state, 'confirm_token')).not.toThrow();
  });

  it('carries an ISO expiry five minutes ahead and a nonce, so two tokens differ', () => {
    const a = signToken(key, 'confirm', want.op, want.args, state, T0);
    const b = signToken(key, 'confirm', want.op, want.args, state, T0);
    expect(a.expiresAt).toBe(new Date(T0 + 5 * 60_000).toISOString());
    expect(a.token).not.toBe(b.token);
  });

  it.each([
    ['empty', ''],
    ['no separator', 'abcdef'],
    ['three parts', 'a.b.c'],
    ['not base64url', 'ab$c.def'],
    ['empty signature', 'abc.'],
  ])('refuses a malformed token (%s)', (_l, t) => {
    expect(reason(() => verifyToken(key, t, want, T0))).toBe('malformed');
  });

  it('refuses a payload that is not ours even with a valid MAC as malformed', () => {
    const body = encode({ hello: 'world' });
    expect(reason(() => verifyToken(key, `${body}.${macOf(key, body)}`, want, T0))).toBe('malformed');
  });

  it('refuses a random signature, a tampered payload and a MAC made with another key as forged', () => {
    const t = good();
    const [body] = t.split('.');
    expect(reason(() => verifyToken(key, `${body}.${Buffer.alloc(32, 7).toString('base64url')}`, want, T0))).toBe('forged');
    expect(reason(() => verifyToken(key, `${body}.${Buffer.alloc(5).toString('base64url')}`, want, T0))).toBe('forged');
    const tampered = encode({ ...decode(t), exp: T0 + 10 * TOKEN_TTL_MS });
    expect(reason(() => verifyToken(key, `${tampered}.${t.split('.')[1]}`, want, T0 + TOKEN_TTL_MS + 1))).toBe('forged');
    const other = confirmKey('another-secret-entirely!');
    expect(reason(() => verifyToken(key, signToken(other, 'confirm', want.op, want.args, state, T0).token, want, T0))).toBe('forged');
  });

  it('refuses a token for another purpose, operation or arguments', () => {
    expect(reason(() => verifyToken(key, signToken(key, 'elicit', want.op, want.args, state, T0).token, want, T0))).toBe('wrong_purpose');
    expect(reason(() => verifyToken(key, signToken(key, 'confirm', 'delete_record', want.args, state, T0).token, want, T0))).toBe('wrong_operation');
    expect(reason(() => verifyToken(key, good(), { ...want, args: argsDigest({ zone: 'example.org' }) }, T0))).toBe('wrong_arguments');
  });

  it('refuses an expired token (injected clock), at and after its expiry', () => {
    expect(reason(() => verifyToken(key, good(), want, T0 + TOKEN_TTL_MS))).toBe('expired');
    expect(reason(() => verifyToken(key, good(), want, T0 + 24 * 3600_000))).toBe('expired');
  });

  it('refuses when the live state differs from the state previewed', () => {
    const p = verifyToken(key, good(), want, T0);
    const changed = digest({ zone: 'example.com', records: [{ uuid: 'a', value: '192.0.2.2' }] });
    expect(reason(() => verifyState(p, changed, 'confirm_token'))).toBe('state_changed');
  });

  it('replicas sharing the secret accept each other; a random per-process key is stable and distinct', () => {
    const replica = confirmKey(SECRET);
    expect(() => verifyToken(replica, good(), want, T0)).not.toThrow();
    expect(confirmKey(undefined).equals(confirmKey(undefined))).toBe(true);
    expect(confirmKey(undefined).equals(key)).toBe(false);
    expect(confirmKey(undefined)).toHaveLength(32);
  });

  it('never carries the secret, and states each refusal with a next step', () => {
    const t = good();
    expect(t).not.toContain(SECRET);
    expect(Buffer.from(t.split('.')[0] as string, 'base64url').toString()).not.toContain(SECRET);
    const err = (() => {
      try {
        verifyToken(key, t, want, T0 + TOKEN_TTL_MS);
      } catch (e) {
        return e as UserError;
      }
      return null;
    })();
    expect(err?.message).toMatch(/expired at .*5 minutes/);
    expect(err?.hint).toMatch(/without confirm_token/);
  });
});
