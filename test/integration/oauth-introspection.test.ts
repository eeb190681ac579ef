/**
 * Opaque access tokens (RFC 7662) checked at the real issuer's introspection endpoint: accepted
 * with their scopes, refused for another audience, and asked about once per token and minute, so
 * a client replaying junk bearers cannot make this server flood its issuer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenVerifier } from '../../src/auth/verifier.js';
import { RESOURCE_SERVER, startIssuer, type TestIssuer } from '../helpers/oidc.js';

const mcp = 'http://127.0.0.1:9/mcp';
let as: TestIssuer;
let verifier: ReturnType<typeof tokenVerifier>;

beforeAll(async () => {
  as = await startIssuer();
  as.resources.add(mcp).add('http://127.0.0.1:9/other');
  as.opaque.add(mcp).add('http://127.0.0.1:9/other');
  verifier = tokenVerifier({ mode: 'oauth', issuer: as.issuer, audience: mcp, clientId: RESOURCE_SERVER.clientId, clientSecret: RESOURCE_SERVER.clientSecret, zonesClaim: undefined });
});
afterAll(() => as.close());

describe('opaque access tokens', () => {
  it('are introspected once: the scopes come back, and the same token again costs the issuer nothing', async () => {
    const token = await as.machineToken('dns.read dns.write', mcp);
    expect(token).not.toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const before = as.introspections;
    const info = await verifier.verifyAccessToken(token);
    expect(info.scopes.sort()).toEqual(['dns.read', 'dns.write']);
    expect(info.token).not.toContain(token);
    await Promise.all([1, 2, 3, 4, 5].map(() => verifier.verifyAccessToken(token)));
    expect(as.introspections - before).toBe(1);
  });

  it('a token for another resource is refused, and junk repeated is asked about once', async () => {
    const other = await as.machineToken('dns.read', 'http://127.0.0.1:9/other');
    await expect(verifier.verifyAccessToken(other)).rejects.toThrow(/not issued for this server/);
    const before = as.introspections;
    for (let i = 0; i < 5; i++) await expect(verifier.verifyAccessToken('junk-token-0123456789')).rejects.toThrow(/not active/);
    expect(as.introspections - before).toBe(1);
  });

  it('an oversized bearer is refused without asking the issuer', async () => {
    const before = as.introspections;
    await expect(verifier.verifyAccessToken('x'.repeat(20_000))).rejects.toThrow(/longer than/);
    expect(as.introspections).toBe(before);
  });
});
