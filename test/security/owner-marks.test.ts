// A hostile review of the effect model (src/safety/marks.ts): what a call grants is judged by the
// owner name it writes and by what the whole plan leaves at each name, not by one record's type.
// Each finding: the marks of the planned changes (unit), then one call through the server and
// the emulator in `human` mode, held instead of applied.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { updateChange, type Change, type CurrentRecord } from '../../src/domain/diff.js';
import { normaliseRecord, type RecordSpec } from '../../src/domain/model.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { assessEffect } from '../../src/safety/effect.js';
import { marksOf } from '../../src/safety/marks.js';
import { isAcmeRecord } from '../../src/safety/acme-cleanup.js';
import { resetBudgets } from '../../src/safety/budget.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { writes } from '../e2e/safety-helpers.js';

const Z = 'example.com';
const spec = (name: string, record_type: string, value: string, priority: number | null = null): RecordSpec => normaliseRecord({ name, record_type, value, ttl: 3600, priority }, Z);
let n = 0;
const cur = (s: RecordSpec): CurrentRecord => ({ ...s, uuid: `u${++n}` });
const upd = (before: CurrentRecord, over: Partial<RecordSpec>): Change => updateChange(before, { ...before, ...over }) as Change;
const add = (s: RecordSpec): Change => ({ action: 'create', after: s });
const codes = (changes: Change[], zone: readonly CurrentRecord[]) => marksOf(changes, zone).map((m) => m.code);

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
    expect(codes([add(spec('*', 'TXT', 'y'.repeat(43)))], ZONE)).toEqual(['wildcard', 'acme_present', 'all']);
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
