/**
 * OAuth scopes (src/safety/scopes.ts) and the caller's zones (src/auth/caller.ts): the ladder
 * dns.read ⊂ dns.write ⊂ dns.delete with dns.approve apart, each tool's least scope from what it
 * can do, a plan's scope from what it deletes, and a zones claim that narrows and never widens.
 */
import { describe, expect, it } from 'vitest';
import { challengeScopes, effectScope, effectiveScopes, requireScope, toolScope, ScopeError, type Caller } from '../../src/safety/scopes.js';
import { callerOf, callerZones } from '../../src/auth/caller.js';
import { TOOLS } from '../../src/tools/kit/catalog.js';

const oauth = (scopes: string[], zones: string[] | null = null): Caller => callerOf({ token: 't', clientId: 'c', scopes, extra: { iss: 'https://issuer.example', sub: 'alice', zones } }, { channel: 'static-key' });

describe('scopes', () => {
  it('a scope grants those below it on the ladder, never above; dns.approve stands apart', () => {
    expect([...effectiveScopes(['dns.delete'])].sort()).toEqual(['dns.delete', 'dns.read', 'dns.write']);
    expect([...effectiveScopes(['dns.read'])]).toEqual(['dns.read']);
    expect([...effectiveScopes(['dns.approve'])]).toEqual(['dns.approve']);
    expect([...effectiveScopes(['admin', 'dns.*'])]).toEqual([]);
  });

  it('each tool\'s least scope follows from its hints and provider permission', () => {
    const by = (name: string) => toolScope(TOOLS.find((t) => t.name === name)!);
    expect(by('list_zones')).toBe('dns.read');
    expect(by('create_record')).toBe('dns.write');
    expect(by('apply_zone')).toBe('dns.write');
    expect(by('delete_record')).toBe('dns.delete');
    expect(by('delete_zone')).toBe('dns.delete');
    for (const t of TOOLS.filter((x) => x.hints.readOnlyHint)) expect(toolScope(t), t.name).toBe('dns.read');
  });

  it('a plan that deletes needs dns.delete; the challenge names what the token has and what it needs', () => {
    expect(effectScope(['dns:create', 'dns:delete'])).toBe('dns.delete');
    expect(effectScope(['dns:create'])).toBe('dns.write');
    expect(challengeScopes(['dns.read', 'dns.write'], 'dns.delete')).toEqual(['dns.read', 'dns.write', 'dns.delete']);
    expect(() => requireScope(oauth(['dns.write']), 'dns.delete')).toThrow(ScopeError);
    expect(() => requireScope(oauth(['dns.delete']), 'dns.delete')).not.toThrow();
    // No token (stdio, the static key): scopes do not narrow; the server's settings still do.
    expect(() => requireScope(undefined, 'dns.delete')).not.toThrow();
  });

  it('the caller is who the token says, bounded', () => {
    expect(oauth(['dns.read']).actor).toEqual({ channel: 'oauth', iss: 'https://issuer.example', sub: 'alice', client_id: 'c' });
    expect(callerOf(undefined, { channel: 'static-key' })).toEqual({ actor: { channel: 'static-key' }, scopes: null, zones: null });
  });
});

describe('a zones claim narrows the allowed zones, never widens them', () => {
  it('without the claim setting the server\'s list stands', () => {
    expect(callerZones({ allowedZones: ['example.com'] }, oauth(['dns.read']))).toEqual(['example.com']);
  });
  it('the claim inside the server\'s list', () => {
    expect(callerZones({ allowedZones: null }, oauth(['dns.read'], ['Example.com.', 'shop.example.org']))).toEqual(['example.com', 'shop.example.org']);
    expect(callerZones({ allowedZones: ['example.com', '*.example.org'] }, oauth(['dns.read'], ['example.com', 'other.net', 'a.example.org', '*.b.example.org', 'example.org']))).toEqual(['example.com', 'a.example.org', '*.b.example.org']);
  });
  it('a wildcard claim is covered by the same wildcard or a wider one, never by the bare zone', () => {
    expect(callerZones({ allowedZones: ['*.example.com'] }, oauth(['dns.read'], ['*.example.com', '*.a.example.com', 'example.com']))).toEqual(['*.example.com', '*.a.example.com']);
    expect(callerZones({ allowedZones: ['example.com'] }, oauth(['dns.read'], ['*.example.com']))).toEqual([]);
  });
  it('a caller with the claim on and no values gets no zone', () => {
    expect(callerZones({ allowedZones: null }, oauth(['dns.read'], []))).toEqual([]);
  });
});
