// Issue 13 points 1 and 4, at the level of the policy: what a call does to DNS decides, never which tool.
import { beforeEach, describe, expect, it } from 'vitest';
import { diffRecords, updateChange, type Change, type CurrentRecord } from '../../src/domain/diff.js';
import { normaliseRecord, type RecordSpec } from '../../src/domain/model.js';
import { assessEffect, budgetLimit } from '../../src/safety/effect.js';
import { budgetUse, noteWrite, resetBudgets, WINDOW_MS } from '../../src/safety/budget.js';
import { changeLines } from '../../src/safety/change-lines.js';
import { MAX_VALUE } from '../../src/safety/approval-view.js';

const Z = 'example.com';
const spec = (name: string, record_type: string, value: string, ttl = 3600, priority: number | null = null): RecordSpec =>
  normaliseRecord({ name, record_type, value, ttl, priority }, Z);
let counter = 0;
const cur = (s: RecordSpec, uuid = `u${++counter}`): CurrentRecord => ({ ...s, uuid });
const upd = (before: CurrentRecord, over: Partial<RecordSpec>): Change => updateChange(before, { ...before, ...over }) as Change;

describe('assessEffect', () => {
  const zone = Array.from({ length: 10 }, (_, i) => cur(spec(`h${i}`, 'A', `192.0.2.${i + 1}`)));

  it('lets a small additive plan through', () => {
    const r = assessEffect(diffRecords(zone, [...zone, spec('new', 'A', '192.0.2.99')], 'sync'), zone);
    expect(r).toMatchObject({ deletes: 0, creates: 1, updates: 0, currentCount: 10, needsConfirmation: false, reasons: [], permissions: ['dns:create'] });
  });

  it('needs confirmation for any delete, and asks for dns:delete', () => {
    const r = assessEffect(diffRecords(zone, zone.slice(1), 'sync'), zone);
    expect(r.codes).toEqual(['delete']);
    expect(r.reasons).toEqual(['deletes 1 record (a deleted record is gone for good)']);
    expect(r.permissions).toEqual(['dns:delete']);
  });

  it('holds any NS change, apex or delegation, create, update or delete', () => {
    expect(assessEffect(diffRecords([], [spec('@', 'NS', 'ns1.example.net')], 'sync'), []).touchesApexNs).toBe(true);
    expect(assessEffect(diffRecords([], [spec('sub', 'NS', 'ns1.evil.example')], 'upsert'), []).codes).toEqual(['ns']);
    const ns = cur(spec('@', 'NS', 'ns1.vps.org'));
    expect(assessEffect([upd(ns, { value: 'ns1.evil.example.' })], [ns]).codes).toEqual(['value_removed', 'ns']);
    // An A record retyped into an NS delegation is an NS change and the delete of an A.
    const a = cur(spec('shop', 'A', '192.0.2.5'));
    expect(assessEffect([upd(a, { record_type: 'NS', value: 'ns1.evil.example.' })], [a]).codes).toEqual(['retype', 'ns']);
  });

  it('holds the delete half of a rename or retype', () => {
    const www = cur(spec('www', 'A', '192.0.2.10'));
    expect(assessEffect([upd(www, { name: 'old-www' })], [www]).codes).toEqual(['rename']);
    expect(assessEffect([upd(www, { record_type: 'AAAA', value: '2001:db8::1' })], [www]).codes).toEqual(['retype']);
  });

  it('lets one A/AAAA/CNAME/MX value be repointed, but not two, and not a TXT, CAA or SRV value', () => {
    const a = cur(spec('@', 'A', '192.0.2.1'));
    const mx = cur(spec('@', 'MX', 'mail.example.com', 3600, 10));
    const txt = cur(spec('@', 'TXT', 'v=spf1 -all'));
    expect(assessEffect([upd(a, { value: '203.0.113.9' })], [a, mx]).needsConfirmation).toBe(false);
    expect(assessEffect([upd(mx, { value: 'mx.evil.example.' })], [a, mx]).needsConfirmation).toBe(false);
    expect(assessEffect([upd(a, { value: '203.0.113.9' }), upd(mx, { value: 'mx.evil.example.' })], [a, mx]).codes).toEqual(['value_removed']);
    expect(assessEffect([upd(txt, { value: 'v=spf1 +all' })], [txt]).codes).toEqual(['value_removed']);
    // TTL or priority alone removes nothing.
    expect(assessEffect([upd(txt, { ttl: 300 }), upd(mx, { priority: 20 })], [txt, mx]).needsConfirmation).toBe(false);
  });

  it('needs confirmation over 30% of a zone of 10+ records, not at 30%', () => {
    const ttl = (n: number) => zone.map((r, i) => (i < n ? { ...r, ttl: 300 } : r));
    expect(assessEffect(diffRecords(zone, ttl(3), 'sync'), zone).needsConfirmation).toBe(false);
    const r = assessEffect(diffRecords(zone, ttl(4), 'sync'), zone);
    expect(r.codes).toEqual(['blast_radius']);
    expect(r.reasons[0]).toContain('updates or deletes 4 of 10 records (40%');
  });

  it('counts a budget: earlier changes of the window plus this call, against 30% of the zone (at least 10)', () => {
    expect(budgetLimit(4)).toBe(3);
    expect(budgetLimit(40)).toBe(12);
    const one = [upd(zone[0] as CurrentRecord, { ttl: 60 })];
    expect(assessEffect(one, zone, { used: 2, baselineCount: 10, since: 0 }).needsConfirmation).toBe(false);
    const r = assessEffect(one, zone, { used: 3, baselineCount: 10, since: 0 });
    expect(r.codes).toEqual(['budget']);
    expect(r.reasons[0]).toContain('this makes 4: over the 3 a zone of 10 records may change within 10 minutes');
    // Creates count too (issue 21 point 5): an addition can take traffic.
    expect(assessEffect(diffRecords(zone, [...zone, spec('x', 'A', '192.0.2.77')], 'upsert'), zone, { used: 3, baselineCount: 10, since: 0 }).codes).toEqual(['budget']);
  });
});

describe('the per-zone budget ledger', () => {
  beforeEach(() => resetBudgets());
  const zone = Array.from({ length: 12 }, (_, i) => cur(spec(`r${i}`, 'A', `198.51.100.${i + 1}`)));

  it('counts what changed in the live zone since the oldest write of the window, and forgets after it', () => {
    const t0 = 1_000_000;
    expect(budgetUse('z', zone, t0).used).toBe(0);
    noteWrite('z', zone, [], t0, false);
    // Three records changed since (by this server or anyone), one removed.
    const live = zone.slice(1).map((r, i) => (i < 3 ? { ...r, ttl: 60 } : r));
    expect(budgetUse('z', live, t0 + 60_000)).toEqual({ used: 4, baselineCount: 12, since: t0 });
    expect(budgetUse('z', live, t0 + WINDOW_MS).used).toBe(0);
  });

  it('a confirmed write starts the window afresh from what the human approved', () => {
    noteWrite('z', zone, [], 0, false);
    const changes = [upd(zone[0] as CurrentRecord, { ttl: 60 }), upd(zone[1] as CurrentRecord, { ttl: 60 })];
    const after = zone.map((r, i) => (i < 2 ? { ...r, ttl: 60 } : r));
    expect(budgetUse('z', after, 1000).used).toBe(2);
    noteWrite('z', zone, changes, 2000, true);
    expect(budgetUse('z', after, 3000)).toEqual({ used: 0, baselineCount: 12, since: 2000 });
  });
});

describe('the lines of the human form (point 4)', () => {
  it('shows the values, old -> new, escaped and shortened, calling out apex NS, MX and apex A', () => {
    const a = cur(spec('@', 'A', '192.0.2.1'));
    const mx = cur(spec('@', 'MX', 'mail.example.com', 3600, 10));
    const txt = cur(spec('note', 'TXT', 'x'.repeat(300)));
    const lines = changeLines([
      upd(txt, { value: `ok\u202eevil${'y'.repeat(200)}` }),
      upd(a, { value: '203.0.113.66' }),
      upd(mx, { value: 'mx.attacker.example.' }),
      { action: 'create', after: spec('@', 'NS', 'ns1.attacker.example') },
    ]);
    expect(lines[0]).toBe('CHANGE @ A: 192.0.2.1 -> 203.0.113.66  [APEX A: where the domain itself points]');
    expect(lines[1]).toBe('CHANGE @ MX: 10 mail.example.com. -> 10 mx.attacker.example.  [MX: where mail for this name is delivered]');
    expect(lines[2]).toBe('ADD @ NS: ns1.attacker.example. (ttl 3600)  [APEX NS: who answers for the whole domain]');
    expect(lines[3]).toContain('CHANGE note TXT: xxxx');
    expect(lines[3]).toContain(`${'x'.repeat(MAX_VALUE)}... (${300 - MAX_VALUE} more characters) -> ok\\u{202e}evil`);
    expect(lines[3]).not.toContain('\u202e');
  });
});
