import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acmeTarget, checkAcmeValue, keyAuthDigest, longestSuffixZone } from '../../src/domain/acme.js';
import { acmeCleanupChanges, assertAcmeCleanupOnly, isAcmeCleanupOnly } from '../../src/safety/acme-cleanup.js';
import type { Change, CurrentRecord } from '../../src/domain/diff.js';
import { acmeRequest } from '../../src/cli/acme.js';
import { assessEffect } from '../../src/safety/effect.js';

const V = 'Xq0DWlyplN-8tuMbJlnJUvRVpqIRAdqb9KvRi4mHzu0';
const rec = (name: string, record_type: string, value: string, uuid = `${name}-${record_type}-${value}`): CurrentRecord => ({ uuid, name, record_type: record_type as CurrentRecord['record_type'], value, ttl: 60, priority: null });

describe('ACME names and values', () => {
  it('derives the challenge owner; a wildcard shares its base name', () => {
    expect(acmeTarget('example.com').owner).toBe('_acme-challenge.example.com');
    expect(acmeTarget('*.Example.COM.').owner).toBe('_acme-challenge.example.com');
    expect(acmeTarget('www.shop.example.com').owner).toBe('_acme-challenge.www.shop.example.com');
    expect(acmeTarget('_acme-challenge.example.com.').owner).toBe('_acme-challenge.example.com');
  });

  it('refuses names that cannot be on a certificate, naming the field', () => {
    for (const bad of ['com', 'a.*.example.com', '_dmarc.example.com', 'exa mple.com', `${'a'.repeat(64)}.example.com`]) {
      expect(() => acmeTarget(bad)).toThrow(/domain: /);
    }
  });

  it('accepts only DNS-01 digests as values', () => {
    expect(checkAcmeValue(` ${V} `)).toBe(V);
    for (const bad of ['short', 'v=spf1 include:evil.example -all', '"quoted-value-abcdefghijk"', `${V}=`]) expect(() => checkAcmeValue(bad)).toThrow(/value: must be the DNS-01/);
  });

  it('RAW mode: the value is base64url(SHA-256(key authorisation)), no padding', () => {
    // SHA-256("abc") = ba7816bf...15ad (FIPS 180-2 example), in base64url.
    expect(keyAuthDigest('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('picks the zone by the longest suffix', () => {
    const zones = [{ domain: 'example.com' }, { domain: 'shop.example.com' }, { domain: 'ample.com' }];
    expect(longestSuffixZone('_acme-challenge.www.shop.example.com', zones)?.domain).toBe('shop.example.com');
    expect(longestSuffixZone('_acme-challenge.example.com', zones)?.domain).toBe('example.com');
    expect(longestSuffixZone('_acme-challenge.xample.org', zones)).toBeNull();
  });
});

describe('ACME cleanup: the exception to the confirmation gate', () => {
  const zone = [
    rec('_acme-challenge', 'TXT', V, 'target'),
    rec('_acme-challenge', 'TXT', 'other-value-of-the-wildcard-0001'),
    rec('_acme-challenge', 'TXT', V.toLowerCase()),
    rec('_acme-challenge.www', 'TXT', V),
    rec('@', 'TXT', V),
    rec('www', 'TXT', V),
    rec('www', 'A', '192.0.2.1'),
  ];

  it('removes exactly the record holding that value at that name', () => {
    const changes = acmeCleanupChanges(zone, 'example.com', '_acme-challenge', V);
    expect(changes.map((c) => (c.action === 'delete' ? c.before.uuid : c.action))).toEqual(['target']);
    expect(acmeCleanupChanges(zone, 'example.com', '_acme-challenge', 'never-presented-value-000000')).toEqual([]);
  });

  it('can never reach a name that is not an _acme-challenge name, even with a matching value', () => {
    expect(acmeCleanupChanges(zone, 'example.com', 'www', V)).toEqual([]);
    expect(acmeCleanupChanges(zone, 'example.com', '@', V)).toEqual([]);
  });

  it('the plan check refuses anything beyond it', () => {
    const del = (r: CurrentRecord): Change => ({ action: 'delete', before: r });
    expect(isAcmeCleanupOnly([del(zone[0]!)], 'example.com', '_acme-challenge', V)).toBe(true);
    for (const c of [del(zone[1]!), del(zone[4]!), del(zone[6]!), { action: 'create', after: zone[0]! } as Change, { action: 'update', before: zone[0]!, after: { ...zone[0]!, ttl: 3600 }, fields: ['ttl'], ttlOnly: true } as Change]) {
      expect(isAcmeCleanupOnly([del(zone[0]!), c], 'example.com', '_acme-challenge', V)).toBe(false);
      expect(() => assertAcmeCleanupOnly([c], 'example.com', '_acme-challenge', V)).toThrow(/nothing was sent/);
    }
  });

  it('property: over any zone, every planned delete is a TXT at the name with exactly the value', () => {
    const names = fc.constantFrom('@', 'www', '_acme-challenge', '_acme-challenge.www', '_acme-challenge.shop', 'mail');
    const types = fc.constantFrom('TXT', 'A', 'CNAME', 'MX');
    const values = fc.constantFrom(V, 'other-value-of-the-wildcard-0001', '192.0.2.7', 'mail.example.com');
    fc.assert(
      fc.property(fc.array(fc.tuple(names, types, values), { maxLength: 30 }), names, values, (rows, name, value) => {
        const current = rows.map(([n, t, v], i) => rec(n, t, v, `r${i}`));
        const changes = acmeCleanupChanges(current, 'example.com', name, value);
        const expected = name.startsWith('_acme-challenge') ? current.filter((r) => r.record_type === 'TXT' && r.name === name && r.value === value) : [];
        expect(changes.map((c) => (c.action === 'delete' ? c.before.uuid : '?')).sort()).toEqual(expected.map((r) => r.uuid).sort());
      }),
    );
  });
});

describe('hook arguments', () => {
  it('certbot, lego default and RAW, and the generic form', () => {
    expect(acmeRequest(['certbot-auth'], { CERTBOT_DOMAIN: '*.example.com', CERTBOT_VALIDATION: V }).req).toMatchObject({ action: 'present', domain: '*.example.com', value: V, waitSeconds: 120 });
    expect(acmeRequest(['lego', 'cleanup', '_acme-challenge.example.com.', V], { EXEC_PROPAGATION_TIMEOUT: '90', EXEC_POLLING_INTERVAL: '3' }).req).toMatchObject({ action: 'cleanup', domain: '_acme-challenge.example.com.', value: V, waitSeconds: 90, pollIntervalMs: 3000 });
    expect(acmeRequest(['lego', 'present', '--', '*.example.com', '-tok', 'abc'], { EXEC_MODE: 'RAW' }).req).toMatchObject({ domain: '*.example.com', value: keyAuthDigest('abc'), waitSeconds: 60 });
    expect(acmeRequest(['present', 'example.com', V, '--wait-seconds', '5', '--sandbox', '--state', 's.json'], {}).globals).toMatchObject({ sandbox: true, stateFile: 's.json' });
  });

  it('usage errors say what is wrong', () => {
    expect(() => acmeRequest(['certbot-auth'], {})).toThrow(/CERTBOT_DOMAIN and CERTBOT_VALIDATION are not set/);
    expect(() => acmeRequest(['lego', 'present', 'x'], {})).toThrow(/takes 3 arguments, got 2/);
    expect(() => acmeRequest(['lego', 'remove', 'x', V], {})).toThrow(/expected present or cleanup/);
    expect(() => acmeRequest(['lego', 'present', 'x', V], { EXEC_PROPAGATION_TIMEOUT: 'soon' })).toThrow(/EXEC_PROPAGATION_TIMEOUT must be a number/);
  });
});

describe('ACME cleanup inside the effect policy (issue 13: no exception outside it)', () => {
  const current = [rec('_acme-challenge', 'TXT', V, 'acme'), rec('_acme-challenge.www', 'TXT', V, 'acme-www'), rec('_acme-challenge', 'CNAME', 'x.acme-dns.example.net', 'acme-cname'), rec('www', 'TXT', V, 'www-txt'), ...Array.from({ length: 8 }, (_, i) => rec(`h${i}`, 'A', `192.0.2.${i + 1}`, `h${i}`))];
  const del = (uuid: string): Change => ({ action: 'delete', before: current.find((r) => r.uuid === uuid)! });

  it('removing DNS-01 values needs no confirmation and costs no budget, but still needs dns:delete', () => {
    const e = assessEffect([del('acme'), del('acme-www')], current, { used: 0, baselineCount: current.length, since: 0 });
    expect(e.needsConfirmation).toBe(false);
    expect(e.budgetCost).toBe(0);
    expect(e.permissions).toContain('dns:delete');
    expect(e.deletes).toBe(2);
  });

  it('any other delete beside it, or a non-TXT record at the ACME name, is judged as a delete', () => {
    expect(assessEffect([del('acme'), del('www-txt')], current).codes).toContain('delete');
    expect(assessEffect([del('acme-cname')], current).codes).toContain('delete');
    expect(assessEffect([del('h0')], current).codes).toContain('delete');
  });
});
