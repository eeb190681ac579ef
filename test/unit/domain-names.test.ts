import { beforeAll, describe, expect, it } from 'vitest';
import { ambiguousApiName, readOwnerName, ownerLabel } from '../../src/domain/names.js';
import { loadSuffixes, type SuffixLabels } from '../../src/domain/suffixes.js';

const Z = 'example.com';
let suffixes: SuffixLabels;
beforeAll(async () => {
  suffixes = await loadSuffixes();
});
const ok = (input: string, zone = Z, others: string[] = []) => {
  const r = readOwnerName(input, zone, others, suffixes);
  if (!r.ok) throw new Error(`refused ${input}: ${r.message}`);
  return r;
};
const refused = (input: string, zone = Z, others: string[] = []) => {
  const r = readOwnerName(input, zone, others, suffixes);
  if (r.ok) throw new Error(`accepted ${input} as ${r.name}`);
  return r;
};

describe('owner names as agents write them (issue 12.2)', () => {
  it('a name equal to the zone or ending in .<zone>, any case, dot or not, is that owner name, with a note', () => {
    expect(ok('www.example.com')).toEqual({ ok: true, name: 'www', note: 'name "www.example.com" read as www (www.example.com.), relative to the zone example.com' });
    expect(ok('WWW.Example.COM.').name).toBe('www');
    expect(ok('example.com').name).toBe('@');
    expect(ok('Example.com.').name).toBe('@');
    // Issue 17's case: a name equal to the zone is the apex (what an agent means), not gen16.test.gen16.test.
    expect(ok('gen16.test', 'gen16.test').name).toBe('@');
    expect(ok('_dmarc.mail.example.com').name).toBe('_dmarc.mail');
  });

  it('relative names stay relative, with no note', () => {
    for (const n of ['@', 'www', '_acme-challenge.www', 'mail.staging', '*.dev-box', 'a.b.c.internal']) expect(ok(n)).toEqual({ ok: true, name: n.toLowerCase() });
  });

  it('a full name with a trailing dot outside the zone is an error', () => {
    const r = refused('www.example.org.');
    expect(r.rule).toBe('name_outside_zone');
    expect(r.message).toMatch(/"www.example.org." is not inside example.com/);
  });

  it('a dotted name below a registrable domain (public suffix + one label) gets the question, never a guess', () => {
    expect(refused('www.example.org').message).toBe(
      '"www.example.org" is not inside example.com. Did you mean zone example.org, name www? For a record literally at www.example.org.example.com, pass "www.example.org.example.com".',
    );
    expect(refused('shop.example.co.uk').message).toMatch(/Did you mean zone example.co.uk, name shop\?/);
    expect(refused('_dmarc.mail.example.org').message).toMatch(/Did you mean zone example.org, name _dmarc.mail\?/);
    // The `*` of a wildcard is never part of the zone asked about.
    expect(refused('*.example.org').message).toMatch(/Did you mean zone example.org, name \*\?/);
  });

  it('everyday labels that happen to be top-level domains stay relative (issue 22.7)', () => {
    for (const n of ['api.dev', 'www.blog', 'staging.app', 'docs.io', '*.dev', 'mail.eu', 'example.co.uk', 'a.b.c.internal', 'x.mail.staging']) {
      expect(ok(n), n).toEqual({ ok: true, name: n });
    }
    expect(ok('mail.eu.example.com').name).toBe('mail.eu');
  });

  it('a name in another zone of the account gets the question, naming that zone', () => {
    expect(ok('shop.other.test').name).toBe('shop.other.test');
    expect(refused('shop.other.test', Z, ['other.test', Z]).message).toMatch(/Did you mean zone other.test, name shop\?/);
    expect(refused('api.dev', Z, ['api.dev']).message).toMatch(/Did you mean zone api.dev, name @\?/);
    expect(refused('a3-6.tld2.test', 'tld4.test', ['tld2.test', 'tld4.test']).message).toMatch(/Did you mean zone tld2.test, name a3-6\?/);
  });

  it('the suffix list is the Public Suffix List (ICANN section), data loaded on first use', () => {
    for (const [n, labels] of [['a.com', 1], ['a.co.uk', 2], ['a.dev', 1], ['a.staging', 0], ['a.internal', 0], ['x.github.io', 1]] as const) expect(suffixes(n), n).toBe(labels);
  });

  it('ownerLabel shows the full name beside the relative one', () => {
    expect(ownerLabel('www', Z)).toBe('www (www.example.com.)');
    expect(ownerLabel('@', Z)).toBe('@ (example.com.)');
  });
});

describe('owners that end in the zone name (issue 17.3)', () => {
  it('a name whose relative part still ends with the zone is refused as ambiguous, naming the likely meant name', () => {
    for (const input of ['gen16.test.gen16.test', 'gen16.test.gen16.test.', 'GEN16.test.gen16.TEST']) {
      const r = refused(input, 'gen16.test');
      expect(r.rule).toBe('name_ambiguous');
      expect(r.message).toContain('is gen16.test.gen16.test.; did you mean gen16.test.? Write "gen16.test." (or "@")');
    }
    expect(refused('www.example.com.example.com').message).toContain('did you mean www.example.com.? Write "www.example.com." (or "www")');
    expect(refused('a.b.example.com.example.com.').message).toContain('Write "a.b.example.com." (or "a.b")');
  });

  it('the agent-proofing reading stands: one zone suffix is stripped, the zone itself is the apex', () => {
    expect(ok('www.example.com').name).toBe('www');
    expect(ok('gen16.test', 'gen16.test').name).toBe('@');
    // The zone's name inside a label is not the zone name at the end.
    expect(ok('example.com-old').name).toBe('example.com-old');
  });

  it('API names: one without a trailing dot that ends with the zone reads two ways', () => {
    expect(ambiguousApiName('gen16.test', 'gen16.test')).toBe('gen16.test.gen16.test.');
    expect(ambiguousApiName('WWW.example.com', Z)).toBe('www.example.com.example.com.');
    for (const n of ['@', 'www', 'www.example.com.', 'example.com.', 'example.community', 'mail.eu']) expect(ambiguousApiName(n, Z), n).toBeNull();
  });
});
