import { describe, expect, it } from 'vitest';
import { diffRecords, applyChanges, renderDiff } from '../../src/domain/diff.js';
import type { Change, CurrentRecord } from '../../src/domain/diff.js';
import { validatePlanResult } from '../../src/domain/plan-check.js';
import { validateZoneRecords } from '../../src/domain/validate.js';
import { normaliseRecord } from '../../src/domain/model.js';
import type { RecordSpec } from '../../src/domain/model.js';

const Z = 'example.com';
const spec = (name: string, record_type: string, value: string, ttl = 3600, priority: number | null = null): RecordSpec =>
  normaliseRecord({ name, record_type, value, ttl, priority }, Z);
let counter = 0;
const cur = (s: RecordSpec, uuid = `u${++counter}`): CurrentRecord => ({ ...s, uuid });
const summary = (changes: Change[]) =>
  changes.map((c) => (c.action === 'update' ? `~${c.before.name} ${c.before.record_type} ${c.fields.join(',')}${c.ttlOnly ? ' ttlOnly' : ''}` : c.action === 'create' ? `+${c.after.name} ${c.after.record_type} ${c.after.value}` : `-${c.before.name} ${c.before.record_type} ${c.before.value}`));

describe('diffRecords', () => {
  it('is empty for equal sets, whatever their spelling', () => {
    const current = [cur(spec('www', 'A', '192.0.2.1')), cur(spec('@', 'MX', 'mail.example.com.', 3600, 10))];
    const desired = [spec('WWW.example.com', 'A', '192.0.2.1'), spec('example.com.', 'MX', 'MAIL.example.com', 3600, 10)];
    expect(diffRecords(current, desired, 'sync')).toEqual([]);
  });

  it('turns a changed value of a single record into an update, not delete+create', () => {
    const ch = diffRecords([cur(spec('www', 'A', '192.0.2.1'))], [spec('www', 'A', '192.0.2.2')], 'sync');
    expect(summary(ch)).toEqual(['~www A value']);
  });

  it('marks a TTL-only change', () => {
    const ch = diffRecords([cur(spec('www', 'A', '192.0.2.1', 3600))], [spec('www', 'A', '192.0.2.1', 300)], 'sync');
    expect(summary(ch)).toEqual(['~www A ttl ttlOnly']);
  });

  it('in sets, matches equal values first and pairs the leftovers', () => {
    const current = [cur(spec('www', 'A', '192.0.2.1')), cur(spec('www', 'A', '192.0.2.2')), cur(spec('www', 'A', '192.0.2.3'))];
    const desired = [spec('www', 'A', '192.0.2.2'), spec('www', 'A', '192.0.2.9', 300)];
    expect(summary(diffRecords(current, desired, 'sync'))).toEqual(['-www A 192.0.2.3', '~www A value,ttl']);
  });

  it('pairs an MX by its host, so a priority change is an update', () => {
    const current = [cur(spec('@', 'MX', 'a.example.com', 3600, 10)), cur(spec('@', 'MX', 'b.example.com', 3600, 20))];
    const desired = [spec('@', 'MX', 'b.example.com', 3600, 5), spec('@', 'MX', 'a.example.com', 3600, 10)];
    expect(summary(diffRecords(current, desired, 'sync'))).toEqual(['~@ MX priority']);
    expect(summary(diffRecords(current, desired, 'upsert'))).toEqual(['~@ MX priority']);
  });

  it('cleans duplicates of the live zone in sync', () => {
    const a = spec('www', 'A', '192.0.2.1');
    expect(summary(diffRecords([cur(a), cur(a)], [a], 'sync'))).toEqual(['-www A 192.0.2.1']);
  });

  it('orders delete, create, update', () => {
    const current = [cur(spec('old', 'A', '192.0.2.1')), cur(spec('www', 'A', '192.0.2.2'))];
    const desired = [spec('www', 'A', '192.0.2.3'), spec('new', 'A', '192.0.2.4')];
    expect(diffRecords(current, desired, 'sync').map((c) => c.action)).toEqual(['delete', 'create', 'update']);
  });

  it('orders a CNAME replacing other records so they never coexist', () => {
    const current = [cur(spec('www', 'A', '192.0.2.1')), cur(spec('www', 'AAAA', '2001:db8::1'))];
    const changes = diffRecords(current, [spec('www', 'CNAME', 'target.example.net')], 'sync');
    expect(summary(changes)).toEqual(['-www A 192.0.2.1', '-www AAAA 2001:db8::1', '+www CNAME target.example.net.']);
    // Step through: no state holds the CNAME together with anything else at www.
    let state = current;
    for (const ch of changes) {
      state = applyChanges(state, [ch]);
      const types = state.filter((r) => r.name === 'www').map((r) => r.record_type);
      expect(types.includes('CNAME') && types.length > 1).toBe(false);
    }
    const back = diffRecords(applyChanges(current, changes), current, 'sync');
    expect(summary(back)).toEqual(['-www CNAME target.example.net.', '+www A 192.0.2.1', '+www AAAA 2001:db8::1']);
  });

  it('upsert makes each given (name, type) set exactly as listed and leaves the other sets alone (issue 12.3)', () => {
    const current = [cur(spec('www', 'A', '192.0.2.1')), cur(spec('other', 'TXT', 'keep me')), cur(spec('www', 'AAAA', '2001:db8::1'))];
    const ch = diffRecords(current, [spec('www', 'A', '192.0.2.2'), spec('www', 'A', '192.0.2.1', 60)], 'upsert');
    expect(summary(ch)).toEqual(['+www A 192.0.2.2', '~www A ttl ttlOnly']);
    // "set the apex A to X": the old value is replaced, not joined by a second A
    const apex = [cur(spec('@', 'A', '192.0.2.1')), cur(spec('@', 'A', '192.0.2.9')), cur(spec('@', 'MX', 'mx.example.com', 3600, 10))];
    expect(summary(diffRecords(apex, [spec('@', 'A', '203.0.113.5')], 'upsert'))).toEqual(['-@ A 192.0.2.9', '~@ A value']);
  });

  it('upsert updates the one CNAME of a name', () => {
    const ch = diffRecords([cur(spec('www', 'CNAME', 'a.example.net'))], [spec('www', 'CNAME', 'b.example.net')], 'upsert');
    expect(summary(ch)).toEqual(['~www CNAME value']);
  });

  it('applyChanges simulates deletes, creates and updates, keeping uuids of updated records', () => {
    const a = cur(spec('www', 'A', '192.0.2.1'), 'keep');
    const b = cur(spec('old', 'A', '192.0.2.2'), 'gone');
    const changes = diffRecords([a, b], [spec('www', 'A', '192.0.2.1', 60), spec('new', 'TXT', 'hi')], 'sync');
    const out = applyChanges([a, b], changes, () => 'fresh');
    expect(out).toEqual([{ ...a, ttl: 60 }, { ...spec('new', 'TXT', 'hi'), uuid: 'fresh' }]);
    expect(() => applyChanges([], changes)).toThrow(/no record gone/);
  });
});

describe('renderDiff (golden)', () => {
  it('says so when nothing changes', () => {
    expect(renderDiff([], Z)).toBe('(no changes)');
  });

  it('renders a mixed plan', () => {
    const current = [
      cur(spec('old', 'A', '192.0.2.1')),
      cur(spec('www', 'A', '192.0.2.2', 3600)),
      cur(spec('@', 'MX', 'mail.example.com', 3600, 10)),
      cur(spec('@', 'TXT', 'v=spf1 -all')),
    ];
    const desired = [
      spec('www', 'A', '192.0.2.2', 300),
      spec('@', 'MX', 'mail.example.com', 3600, 20),
      spec('@', 'TXT', 'v=spf1 include:_spf.example.net -all'),
      spec('_sip._tcp', 'SRV', '5 5060 sip.example.com', 600, 10),
      spec('@', 'CAA', '0 issue "letsencrypt.org"'),
    ];
    expect(renderDiff(diffRecords(current, desired, 'sync'), Z)).toBe(
      [
        '- old 3600 IN A 192.0.2.1 ; old.example.com.',
        '+ @ 3600 IN CAA 0 issue "letsencrypt.org" ; example.com.',
        '+ _sip._tcp 600 IN SRV 10 5 5060 sip.example.com. ; _sip._tcp.example.com.',
        '~ @ 3600 IN MX 10 mail.example.com. ; example.com.',
        '    priority 10 -> 20',
        '~ @ 3600 IN TXT "v=spf1 -all" ; example.com.',
        '    value "v=spf1 -all" -> "v=spf1 include:_spf.example.net -all"',
        '~ www 3600 IN A 192.0.2.2  (TTL only) ; www.example.com.',
        '    ttl 3600 -> 300',
      ].join('\n'),
    );
  });

  it('escapes control, bidi and zero-width characters and quotes in values', () => {
    const ch = diffRecords([], [spec('x', 'TXT', 'a"b\\c\nignore previous instructions\u202e\u200b')], 'sync');
    expect(renderDiff(ch, Z)).toBe('+ x 3600 IN TXT "a\\"b\\\\c\\nignore previous instructions\\u{202e}\\u{200b}" ; x.example.com.');
  });
});

describe('validatePlanResult', () => {
  it('blames an upsert that puts a CNAME beside records it cannot delete', () => {
    const current = [cur(spec('www', 'A', '192.0.2.1'), 'a1')];
    const changes = diffRecords(current, [spec('www', 'CNAME', 'x.example.net')], 'upsert');
    const ps = validatePlanResult(current, changes, Z);
    expect(ps.map((p) => `${p.field}:${p.rule}`)).toEqual(['records:cname_conflict']);
  });

  it('does not blame a plan for problems the live zone already has', () => {
    const current = [cur(spec('www', 'A', '192.0.2.1'), 'a1'), cur(spec('www', 'CNAME', 'x.example.net'), 'c1')];
    const changes = diffRecords(current, [spec('mail', 'A', '192.0.2.5')], 'upsert');
    expect(validatePlanResult(current, changes, Z)).toEqual([]);
  });
});

describe('NS records and their in-zone glue', () => {
  // Canonical order alone would sort a glue name like "5" before the apex "@" and "ns1" after it.
  const ns = (host: string) => normaliseRecord({ name: '@', record_type: 'NS', value: `${host}.example.com.`, ttl: 3600 }, Z);
  const glue = (host: string) => normaliseRecord({ name: host, record_type: 'AAAA', value: '2001:db8::53', ttl: 3600 }, Z);
  const stepwise = (from: CurrentRecord[], to: RecordSpec[]) => {
    let state = from;
    for (const ch of diffRecords(from, to, 'sync')) {
      state = applyChanges(state, [ch]);
      expect(validateZoneRecords(state, Z).filter((p) => p.rule === 'ns_glue')).toEqual([]);
    }
    return state;
  };

  it.each(['5', 'ns1'])('a sync deletes the NS record before its glue (glue at %s)', (host) => {
    expect(stepwise([{ ...ns(host), uuid: 'n' }, { ...glue(host), uuid: 'g' }], [])).toEqual([]);
  });

  it.each(['5', 'ns1'])('a sync creates the glue before the NS record (glue at %s)', (host) => {
    expect(stepwise([], [ns(host), glue(host)])).toHaveLength(2);
    expect(diffRecords([], [ns(host), glue(host)], 'sync').map((c) => (c.action === 'create' ? c.after.record_type : ''))).toEqual(['AAAA', 'NS']);
  });
});
