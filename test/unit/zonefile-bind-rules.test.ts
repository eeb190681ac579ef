/**
 * Issue 17: zone files read as BIND reads them. Each case is a small zone file whose meaning was
 * checked with `named-compilezone`; the corpus test (test/integration/zonefile-corpus.test.ts)
 * compares with it live.
 */
import { describe, expect, it } from 'vitest';
import { parseZoneFile, renderZoneFile } from '../../src/domain/zonefile.js';
import { recordFromInput, toCurrentRecord, toRecordInput } from '../../src/domain/model.js';
import { handOffValue } from '../../src/domain/values.js';
import { validateRecord } from '../../src/domain/validate.js';
import { diffRecords } from '../../src/domain/diff.js';
import { toAnswer } from '../../src/dns/zone-rdata.js';
import { expectedFromRecords, wireValue } from '../../src/dns/values.js';

const Z = 'lit.test';

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const soa = (zone: string, min: string, ttl = '') => `@ ${ttl} IN SOA ns1.provider.example. hostmaster.${zone}. ( 1 7200 3600 1209600 ${min} )`;
const ttlOf = (p: ReturnType<typeof parseZoneFile>) => Object.fromEntries(p.records.map((r) => [`${r.name} ${r.record_type}`, r.ttl]));

describe('point 1: the default TTL', () => {
  it('with no $TTL and no TTL on the SOA, records take the SOA MINIMUM (gen07)', () => {
    const p = parseZoneFile(lines('$ORIGIN gen07.test.', soa('gen07.test', '900'), '  IN NS ns1.provider.example.', 'www IN A 192.0.2.1'), 'gen07.test');
    expect(p.problems).toEqual([]);
    expect(ttlOf(p)).toEqual({ '@ NS': 900, 'www A': 900 });
  });

  it('the SOA MINIMUM becomes the default: it beats an earlier explicit TTL, and may use units', () => {
    const p = parseZoneFile(lines(soa('c.test', '1h'), 'www 300 IN A 192.0.2.1', 'x A 192.0.2.2'), 'c.test');
    expect(ttlOf(p)).toEqual({ 'www A': 300, 'x A': 3600 });
  });

  it('an SOA with its own TTL and no $TTL: later records take the last explicit TTL; $TTL then wins', () => {
    const p = parseZoneFile(lines(soa('b.test', '900', '7200'), 'w A 192.0.2.1', 'y 300 A 192.0.2.2', 'z A 192.0.2.3', '$TTL 600', 'q A 192.0.2.4'), 'b.test');
    expect(ttlOf(p)).toEqual({ 'w A': 7200, 'y A': 300, 'z A': 300, 'q A': 600 });
  });

  it('a TTL from the SOA outside the accepted range is refused with its line, not replaced', () => {
    const p = parseZoneFile(lines(soa('e.test', '30'), 'www IN A 192.0.2.1'), 'e.test');
    expect(p.records).toEqual([]);
    expect(p.problems.map((x) => `${x.field}:${x.rule}`)).toEqual(['line 2.ttl:ttl_range']);
  });

  it('a record with no TTL known at all is refused, as BIND rejects the zone', () => {
    const p = parseZoneFile(lines('www IN A 192.0.2.1', '@ 300 IN SOA ns1.p.example. h.d.test. ( 1 7200 3600 1209600 900 )'), 'd.test');
    expect(p.records).toEqual([]);
    expect(p.problems).toEqual([expect.objectContaining({ field: 'line 1', rule: 'ttl_unknown' })]);
    expect(p.problems[0]?.message).toContain('$TTL');
  });
});

describe('point 4: RFC 3597 generic type and class names', () => {
  it('reads TYPEn and CLASSn as the types and classes they number', () => {
    const p = parseZoneFile(lines('$TTL 300', 't1 TYPE1 192.0.2.1', 'c1 CLASS1 A 192.0.2.3', 't16 TYPE16 "hi"', 'mx CLASS1 TYPE15 10 mail.example.net.', 'x 600 class1 type28 2001:db8::1'), 'gen.test');
    expect(p.problems).toEqual([]);
    expect(p.skipped).toEqual([]);
    expect(p.records.map((r) => `${r.name} ${r.ttl} ${r.record_type} ${r.value}`)).toEqual([
      't1 300 A 192.0.2.1',
      'c1 300 A 192.0.2.3',
      't16 300 TXT hi',
      'mx 300 MX mail.example.net.',
      'x 600 AAAA 2001:db8::1',
    ]);
  });

  it('skips other classes and unknown types with a true reason', () => {
    const p = parseZoneFile(lines('$TTL 300', 'c CLASS3 TXT "chaos"', 'p TYPE12 host.example.', 'u TYPE65280 \\# 0'), 'gen.test');
    expect(p.skipped.map((s) => `${s.line} ${s.type}: ${s.reason}`)).toEqual([
      '2 TXT: class CH is not served; only IN',
      '3 PTR: type PTR is not supported by VPS.org (supported: A, AAAA, CNAME, MX, TXT, NS, SRV, CAA)',
      '4 TYPE65280: type TYPE65280 is not supported by VPS.org (supported: A, AAAA, CNAME, MX, TXT, NS, SRV, CAA)',
    ]);
  });
});

describe('point 2: TXT text that begins with a double quote is text', () => {
  const file = lines('$TTL 300', 'lit1 TXT "\\"quoted inside\\""', 'lit3 TXT "\\"unbalanced"', 'lit4 TXT "say \\"hi\\"" " again"');
  const api = [
    { uuid: 'u1', name: 'lit1', record_type: 'TXT' as const, value: '"quoted inside"', ttl: 300, priority: null },
    { uuid: 'u3', name: 'lit3', record_type: 'TXT' as const, value: '"unbalanced', ttl: 300, priority: null },
    { uuid: 'u4', name: 'lit4', record_type: 'TXT' as const, value: 'say "hi" again', ttl: 300, priority: null },
    { uuid: 'u5', name: 'hello', record_type: 'TXT' as const, value: '"hello"', ttl: 300, priority: null },
  ];

  it('import reads the text once; the records it hands to apply_zone read back to the same text', () => {
    const p = parseZoneFile(file, Z);
    expect(p.problems).toEqual([]);
    expect(p.records.map((r) => r.value)).toEqual(['"quoted inside"', '"unbalanced', 'say "hi" again']);
    for (const r of p.records) {
      const handed = { ...r, value: handOffValue(r.record_type, r.value) };
      expect(validateRecord(handed, Z)).toEqual([]);
      expect(recordFromInput(handed, Z)).toEqual(r);
    }
  });

  it('API text -> export -> import -> plan is empty, and the API value is the text itself', () => {
    const current = api.map((r) => toCurrentRecord(r, Z));
    expect(current.map((r) => r.value)).toEqual(api.map((r) => r.value));
    const back = parseZoneFile(renderZoneFile(Z, current), Z);
    expect(back.problems).toEqual([]);
    expect(diffRecords(current, back.records, 'sync')).toEqual([]);
    expect(back.records.map((r) => toRecordInput(r, Z).value).sort()).toEqual(api.map((r) => r.value).sort());
  });

  it('API text -> served by the sandbox is the same bytes, and check_propagation calls it in sync', () => {
    for (const r of api) {
      const served = toAnswer(r, Z) as { data: Buffer[] };
      expect(Buffer.concat(served.data).toString('utf8')).toBe(r.value);
      expect(wireValue('TXT', served.data)).toBe(expectedFromRecords([r], Z)[0]);
    }
  });
});
