// Issue 21 point 5: what an addition or a repoint does is an effect too. `human` mode holds the hijacks
// by default; an operator can name each (and `all`) in VPSORG_HUMAN_FOR; `auto` keeps the one-call
// repoint; creates count against the per-zone budget.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diffRecords, type Change } from '../../src/domain/diff.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { assessEffect } from '../../src/safety/effect.js';
import { budgetUse, noteWrite, resetBudgets } from '../../src/safety/budget.js';
import { loadConfig } from '../../src/config.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { writes } from '../e2e/safety-helpers.js';
import { Z, add, cur, spec, upd } from './change-builders.js';


const apexA = cur(spec('@', 'A', '192.0.2.1'));
const www = cur(spec('www', 'A', '192.0.2.10'));
const mx10 = cur(spec('@', 'MX', 'mail.example.com', 10));
const mx20 = cur(spec('@', 'MX', 'backup.example.com', 20));
const ZONE = [apexA, www, mx10, mx20, cur(spec('@', 'TXT', 'v=spf1 -all'))];
const HUMAN = { confirmMode: 'human' as const, humanFor: [] };
const AUTO = { confirmMode: 'auto' as const, humanFor: [] };

describe('the marks of what a change does', () => {
  const marks = (changes: Change[]) => assessEffect(changes, ZONE).marks;
  it('names each hijack by what it does', () => {
    expect(marks([add(spec('@', 'MX', 'mx.attacker.example', 0))])).toEqual(['mail_route', 'apex', 'all']);
    expect(marks([upd(mx10, { value: 'mx.attacker.example.' })])).toContain('mail_route');
    expect(marks([upd(mx20, { priority: 5 })])).toContain('mail_route');
    // A backup MX repointed behind the primary, or added behind it, takes no mail while the primary answers.
    expect(marks([upd(mx20, { value: 'mx.attacker.example.' })])).not.toContain('mail_route');
    expect(marks([add(spec('@', 'MX', 'mx3.example.com', 30))])).not.toContain('mail_route');
    // The first MX of a name takes all its mail.
    expect(marks([add(spec('shop', 'MX', 'mx.attacker.example', 50))])).toEqual(['mail_route', 'all']);
    expect(marks([add(spec('@', 'A', '203.0.113.66'))])).toEqual(['address_added', 'apex', 'all']);
    expect(marks([add(spec('www', 'AAAA', '2001:db8::66'))])).toEqual(['address_added', 'all']);
    expect(marks([add(spec('new', 'A', '203.0.113.66'))])).toEqual(['all']);
    // A wildcard CNAME also answers `_acme-challenge` and names that grant authority (owner-marks.test.ts).
    expect(marks([add(spec('*', 'CNAME', 'attacker.example'))])).toEqual(['wildcard', 'acme_present', 'authorizes', 'all']);
    expect(marks([add(spec('@', 'CAA', '0 issue "attacker-ca.example"'))])).toEqual(['caa', 'apex', 'all']);
    expect(marks([add(spec('_acme-challenge', 'TXT', 'x'.repeat(43)))])).toEqual(['acme_present', 'all']);
    // A repoint gives the name an address it did not have (owner-marks.test.ts).
    expect(marks([upd(apexA, { value: '203.0.113.66' })])).toEqual(['address_added', 'apex', 'all']);
    expect(marks([])).toEqual([]);
  });

  it('holds them in human mode by default, and only what VPSORG_HUMAN_FOR names otherwise; auto keeps the one-call repoint', () => {
    const repoint = [upd(apexA, { value: '203.0.113.66' })];
    expect(assessEffect(repoint, ZONE, undefined, AUTO).needsConfirmation).toBe(false);
    expect(assessEffect(repoint, ZONE, undefined, HUMAN).codes).toEqual(['value_removed', 'address_added', 'apex']);
    const mx0 = [add(spec('@', 'MX', 'mx.attacker.example', 0))];
    expect(assessEffect(mx0, ZONE, undefined, AUTO).needsConfirmation).toBe(false);
    expect(assessEffect(mx0, ZONE, undefined, HUMAN).codes).toEqual(['mail_route', 'apex']);
    expect(assessEffect(mx0, ZONE, undefined, { confirmMode: 'auto', humanFor: ['mail_route'] }).codes).toEqual(['mail_route']);
    const plain = [add(spec('new', 'TXT', 'hello'))];
    expect(assessEffect(plain, ZONE, undefined, HUMAN).needsConfirmation).toBe(false);
    const all = assessEffect(plain, ZONE, undefined, { confirmMode: 'token', humanFor: ['all'] });
    expect(all.codes).toEqual(['all']);
    expect(all.reasons).toEqual(['changes DNS (VPSORG_HUMAN_FOR=all: every write)']);
  });

  it('VPSORG_HUMAN_FOR accepts every effect code', () => {
    const config = loadConfig({ VPSORG_HUMAN_FOR: 'mail_route,address_added,wildcard,caa,acme_present,authorizes,apex,all' });
    expect(config.humanFor).toHaveLength(8);
  });
});

describe('creates count against the per-zone budget', () => {
  beforeEach(() => resetBudgets());
  it('in the plan and in the ledger, DNS-01 values aside; a confirmed create is not counted again', () => {
    const three = [add(spec('a', 'A', '192.0.2.51')), add(spec('b', 'A', '192.0.2.52')), add(spec('c', 'A', '192.0.2.53'))];
    expect(assessEffect(three, ZONE).budgetCost).toBe(3);
    expect(assessEffect(three, ZONE, { used: 1, baselineCount: 5, since: 0 }).codes).toEqual(['budget']);
    expect(assessEffect([add(spec('_acme-challenge', 'TXT', 'y'.repeat(43)))], ZONE).budgetCost).toBe(0);
    noteWrite('z', ZONE, [], 0, false);
    const added = [...ZONE, cur(spec('a', 'A', '192.0.2.51')), cur(spec('_acme-challenge', 'TXT', 'z'.repeat(43)))];
    expect(budgetUse('z', added, 1000).used).toBe(1);
    const later = diffRecords(added, [...added, spec('d', 'A', '192.0.2.54')], 'upsert');
    noteWrite('z', added, later, 2000, true);
    expect(budgetUse('z', [...added, cur(spec('d', 'A', '192.0.2.54'))], 3000).used).toBe(0);
    expect(budgetUse('z', [...added, cur(spec('d', 'A', '192.0.2.54')), cur(spec('e', 'A', '192.0.2.55'))], 3000).used).toBe(1);
  });
});

describe('human mode against a model without a person to ask (the issue\'s hijacks)', () => {
  let emu: Emulator;
  let human: Harness;
  let auto: Harness;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'empty' });
    human = await startHarness({ emu, env: { VPSORG_CONFIRM_MODE: 'human' } });
    auto = await startHarness({ emu, env: { VPSORG_HUMAN_FOR: 'mail_route' } });
  });
  afterAll(async () => {
    await human?.close();
    await auto?.close();
    await emu?.close();
  });
  beforeEach(() => {
    emu.store.reset();
    emu.store.addZone(Z, ZONE.map(({ name, record_type, value, priority }) => ({ name, record_type, value, ...(priority === null ? {} : { priority }) })));
    emu.requests.length = 0;
    resetBudgets();
  });

  it('holds each one: nothing is written', async () => {
    const calls: Array<[string, Record<string, unknown>, string]> = [
      ['create_record', { zone: Z, name: '@', record_type: 'MX', value: 'mx.attacker.example', priority: 0 }, 'mail_route'],
      ['create_record', { zone: Z, name: '@', record_type: 'A', value: '203.0.113.66' }, 'address_added'],
      ['create_record', { zone: Z, name: '*', record_type: 'CNAME', value: 'attacker.example' }, 'wildcard'],
      ['create_record', { zone: Z, name: 'shop', record_type: 'CAA', value: '0 issue "attacker-ca.example"' }, 'caa'],
      ['acme_challenge', { action: 'present', domain: '*.example.com', value: 'A'.repeat(43), wait_seconds: 0 }, 'acme_present'],
      ['patch_record', { zone: Z, name: '@', record_type: 'A', value: '203.0.113.66' }, 'apex'],
      ['update_record', { zone: Z, name: '@', record_type: 'MX', match_value: 'mail.example.com', value: 'mx.attacker.example', priority: 10 }, 'mail_route'],
    ];
    for (const [tool, args, code] of calls) {
      const r = await human.call(tool, args);
      expect(r.isError, `${tool} ${code}: ${r.text}`).toBe(true);
      expect(r.text).toContain(`${tool} needs a person's approval`);
    }
    expect(writes(emu)).toEqual([]);
    // A plain addition is still one call.
    const ok = await human.call('create_record', { zone: Z, name: 'blog', record_type: 'TXT', value: 'hello' });
    expect(ok.structured, ok.text).toMatchObject({ applied: true });
  });

  it('auto with VPSORG_HUMAN_FOR=mail_route holds the MX 0 for a person, and keeps the apex A repoint to one call', async () => {
    const mx = await auto.call('create_record', { zone: Z, name: '@', record_type: 'MX', value: 'mx.attacker.example', priority: 0 });
    expect(mx.isError).toBe(true);
    expect(mx.text).toContain('VPSORG_HUMAN_FOR=mail_route requires a person to approve this change (mail_route)');
    expect(writes(emu)).toEqual([]);
    const a = await auto.call('patch_record', { zone: Z, name: '@', record_type: 'A', value: '203.0.113.66' });
    expect(a.structured, a.text).toMatchObject({ applied: true });
  });
});
