import { describe, expect, it } from 'vitest';
import { validateRecord, validateRecords, validateZoneRecords } from '../../src/domain/validate.js';
import { normaliseRecord } from '../../src/domain/model.js';
import type { RecordInputLike } from '../../src/domain/model.js';

const Z = 'example.com';
const rules = (input: RecordInputLike, prefix?: string) =>
  validateRecord(input, Z, prefix ? { fieldPrefix: prefix } : {}).map((p) => `${p.field}:${p.rule}`);

describe('validateRecord: valid records pass', () => {
  it.each<RecordInputLike>([
    { name: '@', record_type: 'A', value: '192.0.2.1' },
    { name: 'www', record_type: 'aaaa', value: '2001:0db8::1' },
    { name: 'www', record_type: 'CNAME', value: 'example.com' },
    { name: '@', record_type: 'MX', value: 'mail.example.com', priority: 10 },
    { name: '_dmarc', record_type: 'TXT', value: 'v=DMARC1; p=reject' },
    { name: 'sub', record_type: 'NS', value: 'ns1.example.net.' },
    { name: '_sip._tcp', record_type: 'SRV', value: '10 5060 sip.example.com', priority: 10 },
    { name: '@', record_type: 'CAA', value: '0 issue "letsencrypt.org"' },
    { name: '@', record_type: 'CAA', value: '0 issue ";"' },
    { name: '@', record_type: 'CAA', value: '128 iodef "https://ca-report.example.com/caa"' },
    { name: '*.dev', record_type: 'A', value: '192.0.2.9', ttl: 60 },
    { name: 'my_host', record_type: 'A', value: '192.0.2.9', ttl: 604800 },
    { name: 'xn--bcher-kva', record_type: 'CNAME', value: '_acme-challenge.example.net' },
  ])('%j', (input) => {
    expect(validateRecord(input, Z)).toEqual([]);
  });
});

describe('validateRecord: one rule at a time', () => {
  it('refuses an unsupported type and lists the supported ones', () => {
    const [p] = validateRecord({ name: 'x', record_type: 'PTR', value: 'a.example.com' }, Z);
    expect(p).toMatchObject({ field: 'record_type', rule: 'record_type' });
    expect(p?.message).toContain('A, AAAA, CNAME, MX, TXT, NS, SRV, CAA');
  });

  it.each([
    ['192.0.2.01', 'leading zeros'], ['256.0.0.1', ''], ['1.2.3', ''], ['2001:db8::1', 'use an AAAA record'],
  ])('A %j is refused', (value, hint) => {
    const ps = validateRecord({ name: 'x', record_type: 'A', value }, Z);
    expect(ps.map((p) => p.rule)).toEqual(['ipv4']);
    expect(ps[0]?.example).toBe('192.0.2.1');
    expect(ps[0]?.message).toContain(hint);
  });

  it.each([['fe80::1%eth0', 'zone id'], ['192.0.2.1', 'use an A record'], ['2001:db8:::1', '']])('AAAA %j is refused', (value, hint) => {
    const ps = validateRecord({ name: 'x', record_type: 'AAAA', value }, Z);
    expect(ps.map((p) => p.rule)).toEqual(['ipv6']);
    expect(ps[0]?.example).toBe('2001:db8::1');
    expect(ps[0]?.message).toContain(hint);
  });

  it('refuses bad target hostnames', () => {
    expect(rules({ name: 'x', record_type: 'CNAME', value: 'bad host.example.com' })).toEqual(['value:hostname']);
    expect(rules({ name: 'x', record_type: 'CNAME', value: '-bad.example.com' })).toEqual(['value:hostname']);
    expect(rules({ name: 'x', record_type: 'CNAME', value: 'a..example.com' })).toEqual(['value:hostname']);
    expect(rules({ name: 'x', record_type: 'NS', value: '192.0.2.1' })).toEqual(['value:hostname']);
    expect(rules({ name: 'x', record_type: 'CNAME', value: '*.example.com' })).toEqual(['value:hostname']);
    expect(rules({ name: 'x', record_type: 'CNAME', value: '' })).toEqual(['value:required']);
    expect(rules({ name: 'x', record_type: 'CNAME', value: `${'a'.repeat(64)}.example.com` })).toEqual(['value:label_length']);
  });

  it('explains an MX value that carries its priority', () => {
    const ps = validateRecord({ name: '@', record_type: 'MX', value: '10 mail.example.com' }, Z);
    expect(ps.map((p) => `${p.field}:${p.rule}`)).toEqual(['value:mx_format', 'priority:priority_required']);
    expect(ps[0]?.message).toContain('put 10 in `priority`');
  });

  it('requires MX/SRV priority in 0-65535', () => {
    expect(rules({ name: '@', record_type: 'MX', value: 'mail.example.com' })).toEqual(['priority:priority_required']);
    expect(rules({ name: '@', record_type: 'MX', value: 'mail.example.com', priority: 65536 })).toEqual(['priority:priority_range']);
    expect(rules({ name: '@', record_type: 'MX', value: 'mail.example.com', priority: -1 })).toEqual(['priority:priority_range']);
    expect(rules({ name: '@', record_type: 'MX', value: 'mail.example.com', priority: 1.5 })).toEqual(['priority:priority_range']);
    expect(validateRecord({ name: '@', record_type: 'SRV', value: '1 2 a.example.com' }, Z)[0]?.example).toBe('10');
  });

  it('refuses a priority on a type that has none, rather than dropping it', () => {
    expect(rules({ name: '@', record_type: 'A', value: '192.0.2.1', priority: 10 })).toEqual(['priority:priority_not_used']);
    expect(validateRecord({ name: '@', record_type: 'TXT', value: 'x', priority: 0 }, Z)[0]?.message).toBe('TXT records have no priority (only MX and SRV do): leave priority out');
    expect(rules({ name: '@', record_type: 'A', value: '192.0.2.1', priority: null })).toEqual([]);
  });

  it('checks SRV weight, port and target', () => {
    expect(rules({ name: '_s._tcp', record_type: 'SRV', value: '70000 99999 bad_host!', priority: 1 })).toEqual(['value:srv_weight', 'value:srv_port', 'value:hostname']);
    const four = validateRecord({ name: '_s._tcp', record_type: 'SRV', value: '10 5 5060 sip.example.com', priority: 1 }, Z);
    expect(four[0]).toMatchObject({ rule: 'srv_format', example: '10 5060 sip.example.com' });
    expect(four[0]?.message).toContain('put the first number (the SRV priority) in `priority`');
  });

  it('checks CAA flags, tag, iodef and issuer', () => {
    expect(rules({ name: '@', record_type: 'CAA', value: '256 issue "letsencrypt.org"' })).toEqual(['value:caa_flags']);
    expect(rules({ name: '@', record_type: 'CAA', value: '0 issuemail "x.org"' })).toEqual(['value:caa_tag']);
    expect(rules({ name: '@', record_type: 'CAA', value: '0 iodef "ftp://example.com"' })).toEqual(['value:caa_iodef']);
    expect(rules({ name: '@', record_type: 'CAA', value: '0 iodef "security@example.com"' })).toEqual(['value:caa_iodef']);
    expect(rules({ name: '@', record_type: 'CAA', value: '0 issue "not a domain"' })).toEqual(['value:caa_issuer']);
    expect(rules({ name: '@', record_type: 'CAA', value: 'issue "letsencrypt.org"' })).toEqual(['value:caa_format']);
    expect(rules({ name: '@', record_type: 'CAA', value: '0 issue "letsencrypt.org; validationmethods=dns-01"' })).toEqual([]);
  });

  it('checks TXT emptiness, length and quoting', () => {
    expect(rules({ name: 'x', record_type: 'TXT', value: '' })).toEqual(['value:txt_empty']);
    expect(rules({ name: 'x', record_type: 'TXT', value: '""' })).toEqual(['value:txt_empty']);
    expect(rules({ name: 'x', record_type: 'TXT', value: 'a'.repeat(4096) })).toEqual([]);
    expect(rules({ name: 'x', record_type: 'TXT', value: 'a'.repeat(4097) })).toEqual(['value:txt_length']);
    expect(rules({ name: 'x', record_type: 'TXT', value: '"v=spf1 -all' })).toEqual(['value:txt_quoting']);
    expect(rules({ name: 'x', record_type: 'TXT', value: 'say "hi"' })).toEqual([]);
  });

  it('checks TTL', () => {
    expect(rules({ name: 'x', record_type: 'A', value: '192.0.2.1', ttl: 59 })).toEqual(['ttl:ttl_range']);
    expect(rules({ name: 'x', record_type: 'A', value: '192.0.2.1', ttl: 604801 })).toEqual(['ttl:ttl_range']);
    expect(rules({ name: 'x', record_type: 'A', value: '192.0.2.1', ttl: 300.5 })).toEqual(['ttl:ttl_integer']);
    expect(rules({ name: 'x', record_type: 'A', value: '192.0.2.1', ttl: null as unknown as undefined })).toEqual([]);
  });

  it('checks owner names', () => {
    expect(rules({ name: 'www.other.org.', record_type: 'A', value: '192.0.2.1' })).toEqual(['name:name_outside_zone']);
    expect(rules({ name: `${'a'.repeat(64)}`, record_type: 'A', value: '192.0.2.1' })).toEqual(['name:label_length']);
    const long = Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.');
    expect(rules({ name: long, record_type: 'A', value: '192.0.2.1' })).toEqual(['name:name_length']);
    expect(rules({ name: 'a.*', record_type: 'A', value: '192.0.2.1' })).toEqual(['name:name_syntax']);
    expect(rules({ name: 'bad name', record_type: 'A', value: '192.0.2.1' })).toEqual(['name:name_syntax']);
    expect(rules({ name: 'bücher', record_type: 'A', value: '192.0.2.1' })).toEqual(['name:name_ascii']);
  });

  it('refuses a CNAME at the apex', () => {
    expect(rules({ name: 'example.com.', record_type: 'CNAME', value: 'other.example.net' })).toEqual(['name:cname_at_apex']);
  });

  it('refuses an NS record at a wildcard name (BIND will not load it)', () => {
    expect(rules({ name: '*.dev', record_type: 'NS', value: 'ns1.example.net' })).toEqual(['name:ns_wildcard']);
    expect(rules({ name: '*', record_type: 'NS', value: 'ns1.example.net' })).toEqual(['name:ns_wildcard']);
    expect(rules({ name: '*.dev', record_type: 'A', value: '192.0.2.1' })).toEqual([]);
  });

  it('makes hidden characters of the input visible in messages', () => {
    const [p] = validateRecord({ name: 'x', record_type: 'A', value: '1.2.3.4\u202e\nEVIL' }, Z);
    expect(p?.message).toContain('1.2.3.4\\u{202e}\\nEVIL');
    expect(p?.message).not.toMatch(/[\n\u202e]/);
  });

  it('reports every reason at once, with the prefix', () => {
    expect(rules({ name: 'bad name', record_type: 'MX', value: 'x y', ttl: 5 }, 'records[3]')).toEqual([
      'records[3].name:name_syntax', 'records[3].value:hostname', 'records[3].ttl:ttl_range', 'records[3].priority:priority_required',
    ]);
  });
});

describe('validateZoneRecords', () => {
  const spec = (name: string, record_type: string, value: string, priority: number | null = null) => normaliseRecord({ name, record_type, value, priority }, Z);

  it('finds CNAME at apex, CNAME beside others, a second CNAME, and duplicates', () => {
    const recs = [
      spec('@', 'CNAME', 'x.example.net'),
      spec('www', 'CNAME', 'a.example.net'),
      spec('www', 'A', '192.0.2.1'),
      spec('www', 'CNAME', 'b.example.net'),
      spec('mail', 'A', '192.0.2.2'),
      spec('MAIL.example.com.', 'A', '192.0.2.2'),
      spec('ok', 'A', '192.0.2.3'),
    ];
    const ps = validateZoneRecords(recs, Z);
    expect(ps.map((p) => `${p.field}:${p.rule}`).sort()).toEqual(['records[0].name:cname_at_apex', 'records[1]:cname_conflict', 'records[3]:cname_conflict', 'records[5]:duplicate'].sort());
    expect(ps.find((p) => p.field === 'records[3]')?.message).toBe('www CNAME b.example.net. conflicts with www CNAME a.example.net.: a name has at most one CNAME (RFC 2181 10.1); remove one of them');
    expect(ps.find((p) => p.field === 'records[1]')?.message).toBe('www CNAME a.example.net. sits beside www A 192.0.2.1: a CNAME must be the only record at its name (RFC 1034 3.6.2); remove the CNAME or the others');
  });

  it('requires an address for an in-zone host named by the apex NS (BIND will not load it otherwise)', () => {
    const ns = spec('@', 'NS', 'ns1.example.com');
    const ps = validateZoneRecords([ns, spec('sub', 'NS', 'ns.sub.example.com'), spec('@', 'NS', 'ns.example.net')], Z);
    expect(ps.map((p) => `${p.field}:${p.rule}`)).toEqual(['records[0]:ns_glue']);
    expect(ps[0]?.message).toContain('add one for ns1');
    expect(validateZoneRecords([ns, spec('ns1', 'AAAA', '2001:db8::53')], Z)).toEqual([]);
  });

  it('is quiet for a valid zone (same name, several types, no CNAME)', () => {
    expect(validateZoneRecords([spec('@', 'A', '192.0.2.1'), spec('@', 'MX', 'mail.example.com', 10), spec('@', 'MX', 'mail.example.com', 20)], Z)).toEqual([]);
  });

  it('validateRecords combines per-record and cross-record problems with input indexes', () => {
    const out = validateRecords([
      { name: 'www', record_type: 'A', value: '192.0.2.1' },
      { name: 'bad', record_type: 'A', value: 'nope' },
      { name: 'www', record_type: 'CNAME', value: 'x.example.net' },
    ], Z);
    expect(out.problems.map((p) => `${p.field}:${p.rule}`)).toEqual(['records[1].value:ipv4', 'records[2]:cname_conflict']);
    expect(out.indexes).toEqual([0, 2]);
    expect(out.specs).toHaveLength(2);
  });
});
