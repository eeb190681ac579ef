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
import { reshapedWarnings, txtCutWarnings } from '../../src/domain/txt-cuts.js';
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
  it('reads RFC 3597 generic data (\\#) for the types it serves, as BIND does', () => {
    const p = parseZoneFile(
      lines(
        '$TTL 300',
        'a TYPE1 \\# 4 C0000201',
        'v6 AAAA \\# 16 20010db8 00000000 00000000 00000001',
        'c CNAME \\# 17 03777777076578616d706c65036e657400',
        'm MX \\# 20 000a 046d61696c076578616d706c65036e657400',
        's SRV \\# 23 0001 0002 13c4 03736970 076578616d706c65036e657400',
        't TXT \\# 8 03616263 03646566',
        'q CAA \\# 17 00 05 6973737565 63612e6578616d706c65',
      ),
      'gen.test',
    );
    expect(p.problems).toEqual([]);
    expect(p.records.map((r) => `${r.name} ${r.record_type} ${r.priority ?? '-'} ${r.value}`)).toEqual([
      'a A - 192.0.2.1',
      'v6 AAAA - 2001:db8::1',
      'c CNAME - www.example.net.',
      'm MX 10 mail.example.net.',
      's SRV 1 2 5060 sip.example.net.',
      't TXT - abcdef',
      'q CAA - 0 issue "ca.example"',
    ]);
    // Two strings cut elsewhere than at 255 bytes: the same warning as in the usual form.
    expect(p.reshaped.map((r) => r.where)).toEqual(['line 7']);
  });

  it('refuses generic data that does not fit its type, with the line and the reason', () => {
    const p = parseZoneFile(lines('$TTL 300', 'a A \\# 3 c00002', 'b A \\# 4 c0000201ff', 'c CNAME \\# 4 c00c0000', 'd A \\# 4 zz'), 'gen.test');
    expect(p.records).toEqual([]);
    expect(p.problems.map((x) => `${x.field}: ${x.message.replace(/;.*/, '')}`)).toEqual([
      'line 2: A record: generic data (\\#) is not a valid A record: an address is 4 bytes',
      'line 3: A record: generic data (\\#) says 4 bytes but holds 5',
      'line 4: CNAME record: generic data (\\#) is not a valid CNAME record: a host name in wire form, uncompressed',
      'line 5: A record: generic data (\\#) must be `\\# <length> <hex digits>`',
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

describe('point 3: owners that end in the zone name', () => {
  it('a relative owner that ends with the zone (a forgotten dot) is refused with its line; with the dot it is the apex', () => {
    const p = parseZoneFile(lines('$ORIGIN gen16.test.', '$TTL 300', 'gen16.test A 192.0.2.2', '  TXT "continues that owner"', 'gen16.test. A 192.0.2.1', 'www.gen16.test. A 192.0.2.3'), 'gen16.test');
    expect(p.problems.map((x) => `${x.field}:${x.rule}`)).toEqual(['line 3:name_ambiguous', 'line 4:name_ambiguous']);
    expect(p.problems[0]?.message).toContain('"gen16.test" (no trailing dot, so relative to $ORIGIN gen16.test.) is gen16.test.gen16.test.; did you mean gen16.test.?');
    expect(p.records.map((r) => `${r.name} ${r.record_type} ${r.value}`)).toEqual(['@ A 192.0.2.1', 'www A 192.0.2.3']);
  });

  it('under another $ORIGIN the same text is an ordinary name', () => {
    const p = parseZoneFile(lines('$TTL 300', '$ORIGIN sub.gen16.test.', 'gen16 A 192.0.2.2'), 'gen16.test');
    expect(p.problems).toEqual([]);
    expect(p.records[0]?.name).toBe('gen16.sub');
  });
});

describe('point 6: say when data changes shape', () => {
  it('TXT strings cut elsewhere than every 255 bytes are reported per record with the line; 255-byte cuts are not', () => {
    const full = 'a'.repeat(255);
    const p = parseZoneFile(lines('$TTL 300', 'sd TXT "txtvers=1" "path=/"', 'one TXT "v=spf1 -all"', `dkim TXT "${full}" "rest"`, `odd TXT ( "${full}"`, '  "b" "c" )'), Z);
    expect(p.problems).toEqual([]);
    expect(p.reshaped.map((r) => `${r.where} ${r.name} ${r.parts.length}`)).toEqual(['line 2 sd 2', 'line 5 odd 3']);
    const w = reshapedWarnings(p.reshaped);
    expect(w[0]).toMatchObject({ code: 'txt_strings_joined', names: ['sd'] });
    expect(w[0]?.message).toBe('line 2: TXT at sd is written as 2 strings ("txtvers=1" "path=/") cut elsewhere than every 255 bytes. The provider keeps one text ("txtvers=1path=/") and serves it cut every 255 bytes: the string boundaries are lost.');
  });

  it('a tool input in zone-file quoting is read the same way', () => {
    const w = txtCutWarnings([{ name: 'x', record_type: 'TXT', value: '"a=1" "b=2"' }, { name: 'y', record_type: 'TXT', value: 'a=1 b=2' }, { name: 'z', record_type: 'txt', value: '"one"' }], (i) => `records.${i}`);
    expect(w.map((x) => x.message.slice(0, 40))).toEqual(['records.0: TXT at x is written as 2 stri']);
  });

  it('many records: ten one by one, the rest counted in one more', () => {
    const file = lines('$TTL 300', ...Array.from({ length: 25 }, (_, i) => `s${i} TXT "k=${i}" "v"`));
    const w = reshapedWarnings(parseZoneFile(file, Z).reshaped);
    expect(w).toHaveLength(11);
    expect(w[10]).toMatchObject({ count: 15 });
    expect(w[10]?.message).toMatch(/^15 more TXT records \(line 12, line 13, line 14, \.\.\.\)/);
  });

  it('CAA tags: kept as written, compared in any case', () => {
    const p = parseZoneFile(lines('$TTL 300', '@ CAA 0 ISSUE "ca.example"', '@ CAA 0 IssueWild ";"'), Z);
    expect(p.records.map((r) => r.value)).toEqual(['0 ISSUE "ca.example"', '0 IssueWild ";"']);
    const live = [{ uuid: 'c1', name: '@', record_type: 'CAA' as const, value: '0 issue "ca.example"', ttl: 300, priority: null }, { uuid: 'c2', name: '@', record_type: 'CAA' as const, value: '0 issuewild ";"', ttl: 300, priority: null }];
    expect(diffRecords(live, p.records, 'sync')).toEqual([]);
    expect(renderZoneFile(Z, p.records)).toContain('IN CAA   0 ISSUE "ca.example"');
  });
});
