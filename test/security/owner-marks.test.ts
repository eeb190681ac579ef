// A hostile review of the effect model (src/safety/marks.ts): what a call grants is judged by the
// owner name it writes and by what the whole plan leaves at each name, not by one record's type.
// Each finding: the marks of the planned changes (unit), then one call through the server and
// the emulator in `human` mode, held instead of applied.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Change, type CurrentRecord } from '../../src/domain/diff.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { assessEffect } from '../../src/safety/effect.js';
import { marksOf } from '../../src/safety/marks.js';
import { isAcmeRecord } from '../../src/safety/acme-cleanup.js';
import { resetBudgets } from '../../src/safety/budget.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { writes } from '../e2e/safety-helpers.js';
import { Z, add, cur, spec, upd } from './change-builders.js';

const codes = (changes: Change[], zone: readonly CurrentRecord[]) => marksOf(changes, zone, Z).map((m) => m.code);

const acmeTxt = cur(spec('_acme-challenge', 'TXT', 'x'.repeat(43)));
const ZONE = [cur(spec('@', 'A', '192.0.2.1')), cur(spec('www', 'A', '192.0.2.10')), acmeTxt];
const HUMAN = { confirmMode: 'human' as const, humanFor: [] };
const NAMED = (code: string) => ({ confirmMode: 'auto' as const, humanFor: [code] });

/** A server in `human` mode (and one in `auto` naming `named`) over a fresh emulator zone. */
function servers(records: Array<{ name: string; record_type: string; value: string; priority?: number }>, named: string) {
  const s = { emu: undefined as unknown as Emulator, human: undefined as unknown as Harness, named: undefined as unknown as Harness };
  beforeAll(async () => {
    s.emu = await startEmulator({ seed: 'empty' });
    s.human = await startHarness({ emu: s.emu, env: { VPSORG_CONFIRM_MODE: 'human' } });
    s.named = await startHarness({ emu: s.emu, env: { VPSORG_HUMAN_FOR: named } });
  });
  afterAll(async () => {
    await s.human?.close();
    await s.named?.close();
    await s.emu?.close();
  });
  beforeEach(() => {
    s.emu.store.reset();
    s.emu.store.addZone(Z, records);
    s.emu.requests.length = 0;
    resetBudgets();
  });
  return s;
}

/** The call previews as held (with `code`), and made for real it is refused with nothing written. */
async function expectHeld(s: ReturnType<typeof servers>, h: Harness, tool: string, args: Record<string, unknown>, code: string): Promise<void> {
  const dry = await h.call(tool, { ...args, dry_run: true });
  expect(dry.structured, dry.text).toMatchObject({ risk: { needs_confirmation: true } });
  expect((dry.structured as { risk: { codes: string[] } }).risk.codes).toContain(code);
  const real = await h.call(tool, args);
  expect(real.isError, real.text).toBe(true);
  expect(real.text).toContain(`${tool} needs a person's approval`);
  expect(writes(s.emu)).toEqual([]);
}

describe('finding 1: acme_present is judged by the owner name, not by the TXT type', () => {
  it('marks a TXT or CNAME created or repointed at an _acme-challenge owner, and wildcard TXT/CNAME that answer for it', () => {
    expect(codes([add(spec('_acme-challenge', 'CNAME', 'f00d.auth.acme-dns.attacker.example.'))], ZONE)).toEqual(['acme_present', 'all']);
    expect(codes([add(spec('_acme-challenge.www', 'CNAME', 'f00d.auth.acme-dns.attacker.example.'))], ZONE)).toContain('acme_present');
    expect(codes([upd(acmeTxt, { record_type: 'CNAME', value: 'f00d.auth.acme-dns.attacker.example.' })], ZONE)).toContain('acme_present');
    const cname = cur(spec('_acme-challenge.shop', 'CNAME', 'a.auth.acme-dns.example.net.'));
    expect(codes([upd(cname, { value: 'b.auth.acme-dns.attacker.example.' })], [...ZONE, cname])).toContain('acme_present');
    // `*` answers `_acme-challenge` wherever no record of that name exists (and once a cleanup removes it).
    expect(codes([add(spec('*', 'TXT', 'y'.repeat(43)))], ZONE)).toEqual(['wildcard', 'acme_present', 'authorizes', 'all']);
    expect(codes([add(spec('*.dev', 'CNAME', 'f00d.auth.acme-dns.attacker.example.'))], ZONE)).toContain('acme_present');
    // A TTL, or a record of another type or at another name, proves nothing to a CA.
    expect(codes([upd(cname, { ttl: 60 })], [...ZONE, cname])).toEqual(['all']);
    expect(codes([add(spec('*', 'A', '192.0.2.99'))], ZONE)).not.toContain('acme_present');
    expect(codes([add(spec('acme-challenge', 'CNAME', 'x.example.net.'))], ZONE)).not.toContain('acme_present');
  });

  it('holds them where acme_present is held; the DNS-01 exemptions stay TXT-only', () => {
    const deleg = [add(spec('_acme-challenge', 'CNAME', 'f00d.auth.acme-dns.attacker.example.'))];
    expect(assessEffect(deleg, ZONE, undefined, HUMAN).codes).toEqual(['acme_present']);
    expect(assessEffect(deleg, ZONE, undefined, NAMED('acme_present')).codes).toEqual(['acme_present']);
    // A CNAME is not a DNS-01 value: it counts against the budget, and its delete is held.
    expect(assessEffect(deleg, ZONE).budgetCost).toBe(1);
    expect(isAcmeRecord(spec('_acme-challenge', 'CNAME', 'x.example.net.'))).toBe(false);
    const old = cur(spec('_acme-challenge', 'CNAME', 'x.example.net.'));
    expect(assessEffect([{ action: 'delete', before: old }], [old]).codes).toEqual(['delete']);
  });

  describe('through the server', () => {
    const s = servers([{ name: '@', record_type: 'A', value: '192.0.2.1' }, { name: 'www', record_type: 'A', value: '192.0.2.10' }], 'acme_present');
    it('holds an acme-dns CNAME at _acme-challenge in human mode, and with VPSORG_HUMAN_FOR=acme_present', async () => {
      const deleg = { zone: Z, name: '_acme-challenge', record_type: 'CNAME', value: 'f00d.auth.acme-dns.attacker.example.' };
      await expectHeld(s, s.human, 'create_record', deleg, 'acme_present');
      await expectHeld(s, s.named, 'create_record', { ...deleg, name: '_acme-challenge.www' }, 'acme_present');
      await expectHeld(s, s.named, 'create_record', { zone: Z, name: '*', record_type: 'TXT', value: 'y'.repeat(43) }, 'acme_present');
      // Control: a plain TXT at a normal name is one call in auto mode with acme_present named.
      const ok = await s.named.call('create_record', { zone: Z, name: 'blog', record_type: 'TXT', value: 'hello' });
      expect(ok.structured, ok.text).toMatchObject({ applied: true });
    });
  });
});

describe('finding 2: where traffic and mail go is judged on what the whole plan leaves at each name', () => {
  const www = cur(spec('www', 'CNAME', 'example.com.'));
  const api = cur(spec('api', 'A', '192.0.2.20'));
  const mx10 = cur(spec('@', 'MX', 'mx1.example.com.', 10));
  const mx20 = cur(spec('@', 'MX', 'mx2.example.com.', 20));
  const mx30 = cur(spec('@', 'MX', 'mx3.example.com.', 30));
  const zone = [www, api, mx10, mx20, mx30];
  const evil = { ...mx30, value: 'mx.attacker.example.' };
  const afterRepoint = [www, api, mx10, mx20, evil];

  it('marks a repoint of any host as address_added, from the result: a new name, a TTL or a kept target is not', () => {
    expect(codes([upd(www, { value: 'attacker.example.net.' })], zone)).toEqual(['address_added', 'all']);
    expect(codes([upd(api, { value: '203.0.113.66' })], zone)).toEqual(['address_added', 'all']);
    expect(codes([add(spec('api', 'AAAA', '2001:db8::66'))], zone)).toEqual(['address_added', 'all']);
    expect(codes([add(spec('shop', 'A', '203.0.113.66'))], zone)).toEqual(['all']);
    expect(codes([upd(api, { ttl: 60 })], zone)).toEqual(['all']);
    // Deleting one of two addresses sends nothing anywhere new.
    const api2 = cur(spec('api', 'A', '192.0.2.21'));
    expect(codes([{ action: 'delete', before: api2 }], [...zone, api2])).toEqual(['all']);
  });

  it('marks mail_route when a host joins the best MX priority of a name, including by demoting the ones before it', () => {
    // The backup repointed behind the primaries takes no mail while they answer...
    expect(codes([upd(mx30, { value: 'mx.attacker.example.' })], zone)).toEqual(['apex', 'all']);
    // ...but demoting the primaries (one call or three) makes it best: each step that changes the best set is marked.
    expect(codes([upd(mx10, { priority: 40 }), upd(mx20, { priority: 50 })], afterRepoint)).toContain('mail_route');
    expect(codes([upd(mx10, { priority: 40 })], afterRepoint)).toContain('mail_route');
    const mx10low = { ...mx10, priority: 40 };
    expect(codes([upd(mx20, { priority: 50 })], [www, api, mx10low, mx20, evil])).toContain('mail_route');
    expect(codes([upd(evil, { priority: 5 })], afterRepoint)).toContain('mail_route');
    // Equal best priorities: the other best host keeping the mail is no new route.
    const twin = cur(spec('@', 'MX', 'mx1b.example.com.', 10));
    expect(codes([upd(mx10, { priority: 40 })], [...zone, twin])).not.toContain('mail_route');
    expect(codes([upd(mx20, { priority: 25 })], zone)).not.toContain('mail_route');
  });

  it('holds every repoint in human mode (value_removed too), and keeps auto mode\'s one-call repoint', () => {
    const repoint = [upd(www, { value: 'attacker.example.net.' })];
    expect(assessEffect(repoint, zone, undefined, { confirmMode: 'auto', humanFor: [] }).needsConfirmation).toBe(false);
    const held = assessEffect(repoint, zone, undefined, HUMAN);
    expect(held.codes).toEqual(['value_removed', 'address_added']);
    expect(held.reasons[0]).toContain('VPSORG_CONFIRM_MODE=human: a person approves every replaced value');
    // A backup MX repointed behind the primaries has no mark, but it is a replaced value.
    expect(assessEffect([upd(mx30, { value: 'mx.attacker.example.' })], zone, undefined, HUMAN).codes).toEqual(['value_removed', 'apex']);
    expect(assessEffect([upd(mx30, { value: 'mx.attacker.example.' })], zone, undefined, { confirmMode: 'auto', humanFor: [] }).needsConfirmation).toBe(false);
    expect(assessEffect(repoint, zone, undefined, NAMED('address_added')).codes).toEqual(['address_added']);
  });

  describe('through the server', () => {
    const s = servers(
      [
        { name: 'www', record_type: 'CNAME', value: 'example.com.' },
        { name: 'shop', record_type: 'MX', value: 'mx1.example.com.', priority: 10 },
        { name: 'shop', record_type: 'MX', value: 'mx2.example.com.', priority: 20 },
        { name: 'shop', record_type: 'MX', value: 'mx3.example.com.', priority: 30 },
      ],
      'mail_route',
    );
    const mx = (host: string, value: string, priority: number) => ({ zone: Z, name: 'shop', record_type: 'MX', match_value: host, value, priority });
    it('holds the www CNAME repoint and the backup MX repoint in human mode', async () => {
      await expectHeld(s, s.human, 'update_record', { zone: Z, name: 'www', record_type: 'CNAME', value: 'attacker.example.net.' }, 'address_added');
      await expectHeld(s, s.human, 'update_record', mx('mx3.example.com.', 'mx.attacker.example.', 30), 'value_removed');
    });
    it('with mail_route named in auto mode: the backup repoint is one call, the demotion that makes it best is held', async () => {
      const first = await s.named.call('update_record', mx('mx3.example.com.', 'mx.attacker.example.', 30));
      expect(first.structured, first.text).toMatchObject({ applied: true });
      s.emu.requests.length = 0;
      await expectHeld(s, s.named, 'update_record', mx('mx1.example.com.', 'mx1.example.com.', 40), 'mail_route');
      await expectHeld(s, s.named, 'update_record', mx('mx.attacker.example.', 'mx.attacker.example.', 5), 'mail_route');
    });
  });
});

describe('finding 3: authorizes, for records at names that grant authority to whoever they name', () => {
  const dkim = 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA';
  const sel = cur(spec('s1._domainkey', 'TXT', dkim));
  const zone = [...ZONE, sel];

  it('marks creates and repoints at underscore-scoped owners, autodiscover, autoconfig, mta-sts and asuid, and wildcards that answer for them', () => {
    for (const [name, type, value] of [
      ['evil._domainkey', 'TXT', dkim],
      ['_dnsauth.shop', 'TXT', 'token-123'],
      ['_github-pages-challenge-attacker', 'TXT', 'abc123'],
      ['_atlassian-verification', 'TXT', 'x'],
      ['_dmarc', 'TXT', 'v=DMARC1; p=none; rua=mailto:reports@attacker.example'],
      ['_mta-sts', 'TXT', 'v=STSv1; id=2'],
      ['_autodiscover._tcp', 'SRV', '0 443 mail.attacker.example.'],
      ['autodiscover', 'CNAME', 'autodiscover.attacker.example.'],
      ['autoconfig', 'A', '203.0.113.66'],
      ['mta-sts', 'A', '203.0.113.66'],
      ['asuid.www', 'TXT', 'a'.repeat(64)],
      ['*', 'TXT', dkim],
    ] as const) {
      expect(codes([add(spec(name, type, value, type === 'SRV' ? 0 : null))], zone), `${name} ${type}`).toContain('authorizes');
    }
    expect(codes([upd(sel, { value: `${dkim}attacker` })], zone)).toEqual(['authorizes', 'all']);
    // A TTL grants nothing new; nor a plain TXT at a normal name, or a name that merely contains the words.
    expect(codes([upd(sel, { ttl: 60 })], zone)).toEqual(['all']);
    expect(codes([add(spec('blog', 'TXT', 'hello'))], zone)).toEqual(['all']);
    expect(codes([add(spec('my-autodiscover-notes', 'TXT', 'x'))], zone)).toEqual(['all']);
    // DNS-01 values are acme_present's (the ACME tools' path), not authorizes.
    expect(codes([add(spec('_acme-challenge.www', 'TXT', 'z'.repeat(43)))], zone)).toEqual(['acme_present', 'all']);
    expect(codes([add(spec('_acme-challenge', 'CNAME', 'x.auth.acme-dns.example.net.'))], zone)).toEqual(['acme_present', 'all']);
  });

  it('is held in human mode without being named, and in auto mode only when named', () => {
    const evil = [add(spec('evil._domainkey', 'TXT', dkim))];
    expect(assessEffect(evil, zone, undefined, HUMAN).codes).toEqual(['authorizes']);
    expect(assessEffect(evil, zone, undefined, { confirmMode: 'auto', humanFor: [] }).needsConfirmation).toBe(false);
    expect(assessEffect(evil, zone, undefined, NAMED('authorizes')).codes).toEqual(['authorizes']);
    expect(assessEffect([add(spec('blog', 'TXT', 'hello'))], zone, undefined, HUMAN).needsConfirmation).toBe(false);
  });

  describe('through the server', () => {
    const s = servers([{ name: 'www', record_type: 'A', value: '192.0.2.10' }], 'authorizes');
    it('holds an attacker DKIM key and an autodiscover capture in human mode, and with VPSORG_HUMAN_FOR=authorizes', async () => {
      await expectHeld(s, s.human, 'create_record', { zone: Z, name: 'evil._domainkey', record_type: 'TXT', value: dkim }, 'authorizes');
      await expectHeld(s, s.named, 'create_record', { zone: Z, name: 'autodiscover', record_type: 'CNAME', value: 'autodiscover.attacker.example.' }, 'authorizes');
      const ok = await s.human.call('create_record', { zone: Z, name: 'blog', record_type: 'TXT', value: 'hello' });
      expect(ok.structured, ok.text).toMatchObject({ applied: true });
    });
  });
});

describe('finding 4: address_added for a name that already takes traffic without an address of its own', () => {
  const wild = cur(spec('*', 'CNAME', 'shop.platform.example.'));
  const devWild = cur(spec('*.dev', 'A', '192.0.2.50'));
  const www = cur(spec('www', 'CNAME', 'app.example.com.'));
  const mx = cur(spec('@', 'MX', 'mx1.example.com.', 10));
  const srv = cur(spec('_sip._tcp', 'SRV', '5 5060 sip.example.com.', 10));
  const txtOnly = cur(spec('docs', 'TXT', 'hello'));

  it('marks the first address of a name a wildcard at its level answers for, or a CNAME/MX/SRV of the zone names', () => {
    expect(codes([add(spec('login', 'A', '203.0.113.9'))], [wild])).toEqual(['address_added', 'all']);
    expect(codes([add(spec('api.dev', 'AAAA', '2001:db8::9'))], [devWild])).toEqual(['address_added', 'all']);
    expect(codes([add(spec('app', 'A', '203.0.113.9'))], [www])).toEqual(['address_added', 'all']);
    expect(codes([add(spec('mx1', 'A', '203.0.113.9'))], [mx])).toEqual(['address_added', 'all']);
    expect(codes([add(spec('sip', 'CNAME', 'sip.attacker.example.'))], [srv])).toEqual(['address_added', 'all']);
    // A name with records of its own is not answered by the wildcard; a wildcard at another level, or a target in another zone, names nobody here.
    expect(codes([add(spec('docs', 'A', '203.0.113.9'))], [wild, txtOnly])).toEqual(['all']);
    expect(codes([add(spec('login', 'A', '203.0.113.9'))], [devWild])).toEqual(['all']);
    expect(codes([add(spec('app', 'A', '203.0.113.9'))], [cur(spec('www', 'CNAME', 'app.example.net.'))])).toEqual(['all']);
    expect(codes([add(spec('shop', 'A', '203.0.113.9'))], [www, mx])).toEqual(['all']);
  });

  it('holds them in human mode', () => {
    expect(assessEffect([add(spec('mx1', 'A', '203.0.113.9'))], [mx], undefined, HUMAN, Z).codes).toEqual(['address_added']);
    expect(assessEffect([add(spec('shop', 'A', '203.0.113.9'))], [mx], undefined, HUMAN, Z).needsConfirmation).toBe(false);
  });

  describe('through the server', () => {
    const s = servers([{ name: '*', record_type: 'CNAME', value: 'shop.platform.example.' }, { name: 'www', record_type: 'CNAME', value: 'app.example.com.' }], 'address_added');
    it('holds an address for a wildcard-covered name and for a CNAME\'s in-zone target in human mode', async () => {
      await expectHeld(s, s.human, 'create_record', { zone: Z, name: 'login', record_type: 'A', value: '203.0.113.9' }, 'address_added');
      await expectHeld(s, s.human, 'create_record', { zone: Z, name: 'app', record_type: 'A', value: '203.0.113.9' }, 'address_added');
    });
  });
});

describe('finding 5: authorizes for SPF, DKIM and DMARC values at any name, and more trusted hosts', () => {
  it('marks a TXT created or repointed to a v=spf1 / v=DKIM1 / v=DMARC1 value, quoted or not, and the added hosts', () => {
    for (const value of ['v=spf1 include:attacker.example -all', 'V=SPF1 a', '"v=spf1 " "include:attacker.example"', '  "v=DKIM1; p=MIIB"', 'v=DMARC1; p=none']) {
      expect(codes([add(spec('sub', 'TXT', value))], ZONE), value).toEqual(['authorizes', 'all']);
    }
    const plain = cur(spec('sub', 'TXT', 'hello'));
    expect(codes([upd(plain, { value: 'v=spf1 include:attacker.example ~all' })], [...ZONE, plain])).toEqual(['authorizes', 'all']);
    for (const name of ['openpgpkey', 'lyncdiscover', 'enterpriseregistration', 'enterpriseenrollment.shop']) {
      expect(codes([add(spec(name, 'CNAME', 'x.attacker.example.'))], ZONE), name).toContain('authorizes');
    }
    // Words that merely start alike, and a TTL, grant nothing.
    expect(codes([add(spec('sub', 'TXT', 'v=spf10 x'))], ZONE)).toEqual(['all']);
    expect(codes([add(spec('sub', 'TXT', 'see v=spf1 docs'))], ZONE)).toEqual(['all']);
    const spf = cur(spec('sub', 'TXT', 'v=spf1 -all'));
    expect(codes([upd(spf, { ttl: 60 })], [...ZONE, spf])).toEqual(['all']);
  });

  describe('through the server', () => {
    const s = servers([{ name: 'www', record_type: 'A', value: '192.0.2.10' }], 'authorizes');
    it('holds an SPF include at a subdomain in human mode', async () => {
      await expectHeld(s, s.human, 'create_record', { zone: Z, name: 'sub', record_type: 'TXT', value: 'v=spf1 include:attacker.example -all' }, 'authorizes');
    });
  });
});
