import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auditZone, classifyAddress, findingLines, type AuditRecord, type Finding } from '../../src/audit/index.js';

const Z = 'example.com';
let n = 0;
const rec = (name: string, record_type: string, value: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({ uuid: `u${++n}`, name, record_type, value, ttl: 3600, priority: null, ...extra });
const mx = (host: string, priority: number, name = '@') => rec(name, 'MX', host, { priority });

/** A zone with nothing wrong: no error, no warning, no info. */
const CLEAN: AuditRecord[] = [
  rec('@', 'NS', 'ns1.vps.org'),
  rec('@', 'NS', 'ns2.vps.org'),
  rec('@', 'A', '93.184.216.34'),
  rec('@', 'AAAA', '2606:2800:220:1:248:1893:25c8:1946'),
  rec('www', 'CNAME', 'example.com'),
  rec('mail', 'A', '93.184.216.35'),
  mx('mail.example.com', 10),
  rec('@', 'TXT', 'v=spf1 mx ~all'),
  rec('@', 'TXT', 'google-site-verification=abc'),
  rec('_dmarc', 'TXT', 'v=DMARC1; p=reject; rua=mailto:dmarc@example.com'),
  rec('google._domainkey', 'TXT', 'v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC'),
  rec('@', 'CAA', '0 issue "letsencrypt.org"'),
  rec('_sip._tcp', 'SRV', '10 5060 mail.example.com', { priority: 10 }),
  rec('blog', 'CNAME', 'hosting.example.net'),
];

const codes = (fs: Finding[]) => fs.map((f) => f.code).sort();
const only = (fs: Finding[], code: string) => fs.filter((f) => f.code === code);

describe('audit_zone on a clean zone', () => {
  it('reports nothing at all', () => {
    const r = auditZone(Z, CLEAN);
    expect(r.findings).toEqual([]);
    expect(r.counts).toEqual({ error: 0, warning: 0, info: 0 });
    expect(r.record_count).toBe(CLEAN.length);
  });

  it('says which targets it did not resolve instead of guessing', () => {
    const r = auditZone(Z, CLEAN);
    const byCheck = Object.fromEntries(r.not_checked.map((c) => [c.check, c.records.map((x) => x.value)]));
    expect(byCheck['dangling_cname']).toEqual(['hosting.example.net']);
    expect(byCheck['ns_target']).toEqual(['ns1.vps.org', 'ns2.vps.org']);
  });
});

describe('audit_zone on a crafted zone', () => {
  const crafted = [
    rec('@', 'A', '93.184.216.34'),
    rec('shop', 'CNAME', 'gone.example.com'), // dangling
    rec('alias', 'CNAME', 'host.example.com'),
    rec('host', 'A', '93.184.216.40'),
    mx('alias.example.com', 10), // MX -> CNAME
    mx('mx2.example.com', 20), // MX without address
    rec('sub', 'NS', 'ns1.sub.example.com'), // delegation without glue
    rec('_sip._tcp', 'SRV', '10 5060 alias.example.com', { priority: 10 }), // SRV -> CNAME
    rec('@', 'TXT', 'v=spf1 include:_spf.google.com ~all'),
    rec('@', 'TXT', 'v=spf1 +all'), // duplicate SPF, and +all
    rec('@', 'TXT', 'v=DMARC1; p=reject'), // DMARC at the wrong name; none at _dmarc
    rec('fast', 'A', '93.184.216.41', { ttl: 60 }), // low TTL
    rec('slow', 'TXT', 'hello', { ttl: 604800 }), // high TTL
    rec('multi', 'A', '93.184.216.42', { ttl: 300 }),
    rec('multi', 'A', '93.184.216.43', { ttl: 600 }), // mixed TTLs in one set
    rec('intranet', 'A', '10.0.0.5'), // RFC 1918
    rec('lo', 'A', '127.0.0.1'), // loopback
    rec('ula', 'AAAA', 'fd00::1'), // unique local
    rec('cgnat', 'A', '100.64.0.1'), // CGNAT
    rec('demo', 'A', '192.0.2.10'), // documentation: info only
    rec('*.dev', 'A', '93.184.216.44'), // wildcard
  ];
  const r = auditZone(Z, crafted);
  const sev = (code: string) => [...new Set(only(r.findings, code).map((f) => f.severity))];

  it.each([
    ['dangling_cname', 'error', 'shop'],
    ['mx_target_cname', 'error', '@'],
    ['mx_target_no_address', 'error', '@'],
    ['ns_target_no_address', 'error', 'sub'],
    ['srv_target_cname', 'error', '_sip._tcp'],
    ['spf_duplicate', 'error', '@'],
    ['spf_pass_all', 'error', '@'],
    ['dmarc_wrong_name', 'warning', '@'],
    ['dmarc_missing', 'warning', '_dmarc'],
    ['caa_missing', 'info', '@'],
    ['ttl_low', 'info', 'fast'],
    ['ttl_high', 'warning', 'slow'],
    ['ttl_mismatch', 'warning', 'multi'],
    ['documentation_address', 'info', 'demo'],
    ['wildcard', 'info', '*.dev'],
  ])('finds %s (%s) at %s', (code, severity, name) => {
    const fs = only(r.findings, code);
    expect(fs.length, code).toBeGreaterThan(0);
    expect(sev(code)).toEqual([severity]);
    expect(fs.map((f) => f.name)).toContain(name);
    for (const f of fs) expect(f.fix.length).toBeGreaterThan(10);
  });

  it('names the records concerned, with the API fields as given', () => {
    const [dangling] = only(r.findings, 'dangling_cname');
    expect(dangling?.records).toEqual([crafted[1]]);
    expect(only(r.findings, 'spf_duplicate')[0]?.records.map((x) => x.value)).toEqual(['v=spf1 include:_spf.google.com ~all', 'v=spf1 +all']);
    expect(only(r.findings, 'ttl_mismatch')[0]?.records).toHaveLength(2);
    expect(only(r.findings, 'mx_target_no_address')[0]?.records[0]?.value).toBe('mx2.example.com');
  });

  it('flags every private or reserved address as a warning', () => {
    expect(only(r.findings, 'private_address').map((f) => f.name).sort()).toEqual(['cgnat', 'intranet', 'lo', 'ula']);
    expect(sev('private_address')).toEqual(['warning']);
  });

  it('does not blame what is fine: the CNAME to an existing host, its address, the SRV port', () => {
    expect(r.findings.filter((f) => f.name === 'alias' || f.name === 'host')).toEqual([]);
  });

  it('counts by severity and orders errors first', () => {
    expect(r.counts.error).toBe(r.findings.filter((f) => f.severity === 'error').length);
    expect(r.counts.error + r.counts.warning + r.counts.info).toBe(r.findings.length);
    const ranks = r.findings.map((f) => ['error', 'warning', 'info'].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('renders a short table with message and fix per finding', () => {
    const lines = findingLines(r);
    expect(lines).toHaveLength(r.findings.length * 3);
    expect(lines[0]).toMatch(/^error +\w+ +\S+$/);
    expect(lines.some((l) => l.includes('fix: '))).toBe(true);
  });
});

describe('audit_zone details', () => {
  it('DMARC: p=none is info, a missing policy or two records are errors', () => {
    const base = [mx('mail.example.com', 10), rec('mail', 'A', '93.184.216.35'), rec('@', 'TXT', 'v=spf1 mx -all'), rec('@', 'CAA', '0 issue "x.example"')];
    expect(codes(auditZone(Z, [...base, rec('_dmarc', 'TXT', 'v=DMARC1; p=none')]).findings)).toEqual(['dmarc_policy_none']);
    expect(auditZone(Z, [...base, rec('_dmarc', 'TXT', 'v=DMARC1; p=none')]).findings[0]?.severity).toBe('info');
    expect(codes(auditZone(Z, [...base, rec('_dmarc', 'TXT', 'v=DMARC1; rua=mailto:a@example.com')]).findings)).toEqual(['dmarc_invalid_policy']);
    expect(codes(auditZone(Z, [...base, rec('_dmarc', 'TXT', 'v=DMARC1; p=reject'), rec('_dmarc', 'TXT', 'v=DMARC1; p=quarantine')]).findings)).toEqual(['dmarc_duplicate']);
    expect(codes(auditZone(Z, [...base, rec('_dmarc.shop', 'TXT', 'v=DMARC1; p=reject'), rec('_dmarc', 'TXT', 'v=DMARC1; p=reject')]).findings)).toEqual([]);
  });

  it('SPF and DMARC missing are warnings for a mail domain, info for one without mail', () => {
    const mail = auditZone(Z, [mx('mail.example.com', 10), rec('mail', 'A', '93.184.216.35')]);
    expect(only(mail.findings, 'spf_missing')[0]?.severity).toBe('warning');
    expect(only(mail.findings, 'dmarc_missing')[0]?.severity).toBe('warning');
    const none = auditZone(Z, [rec('@', 'A', '93.184.216.34')]);
    expect(only(none.findings, 'spf_missing')[0]?.severity).toBe('info');
    expect(only(none.findings, 'dmarc_missing')[0]?.severity).toBe('info');
    const nullMx = auditZone(Z, [mx('.', 0), rec('@', 'TXT', 'v=spf1 -all')]);
    expect(codes(nullMx.findings)).toEqual(['caa_missing', 'dmarc_missing']);
    expect(only(nullMx.findings, 'dmarc_missing')[0]?.severity).toBe('info');
  });

  it('a wildcard answers for a CNAME target; a chain is blamed at its broken link only', () => {
    const w = auditZone(Z, [rec('a', 'CNAME', 'x.apps.example.com'), rec('*.apps', 'A', '93.184.216.34')]);
    expect(only(w.findings, 'dangling_cname')).toEqual([]);
    const chain = auditZone(Z, [rec('a', 'CNAME', 'b.example.com'), rec('b', 'CNAME', 'c.example.com')]);
    expect(only(chain.findings, 'dangling_cname').map((f) => f.name)).toEqual(['b']);
  });

  it('an empty non-terminal is not an answer; a delegated target is not checked; glue satisfies NS', () => {
    const ent = auditZone(Z, [rec('a', 'CNAME', 'x.example.com'), rec('y.x', 'A', '93.184.216.34')]);
    expect(only(ent.findings, 'dangling_cname').map((f) => f.name)).toEqual(['a']);
    const deleg = auditZone(Z, [rec('a', 'CNAME', 'www.sub.example.com'), rec('sub', 'NS', 'ns1.sub.example.com'), rec('ns1.sub', 'A', '93.184.216.34')]);
    expect(deleg.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(deleg.not_checked.map((c) => c.check)).toContain('dangling_cname');
  });

  it('TTL: NS records may live two days; 300 to 86400 is quiet', () => {
    const r = auditZone(Z, [rec('@', 'NS', 'ns1.vps.org', { ttl: 172800 }), rec('@', 'A', '93.184.216.34', { ttl: 300 }), rec('x', 'A', '93.184.216.35', { ttl: 86400 })]);
    expect(r.findings.filter((f) => f.code.startsWith('ttl_'))).toEqual([]);
  });

  it('classifies addresses: private, documentation, public', () => {
    expect(classifyAddress('172.16.5.4')?.kind).toBe('private');
    expect(classifyAddress('172.32.0.1')).toBeNull();
    expect(classifyAddress('169.254.1.1')?.kind).toBe('private');
    expect(classifyAddress('fe80::1')?.kind).toBe('private');
    expect(classifyAddress('::ffff:192.168.0.1')?.kind).toBe('private');
    expect(classifyAddress('198.51.100.1')?.kind).toBe('documentation');
    expect(classifyAddress('203.0.113.255')?.kind).toBe('documentation');
    expect(classifyAddress('2001:db8:1::1')?.kind).toBe('documentation');
    expect(classifyAddress('2606:4700::1111')).toBeNull();
    expect(classifyAddress('not an address')).toBeNull();
  });

  it('never throws, whatever the records hold', () => {
    const types = fc.constantFrom('A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA', 'weird');
    const name = fc.oneof(fc.constantFrom('@', '*', '_dmarc', 'www', 'a.b', 'x.example.com.', 'other.org.', ''), fc.string({ maxLength: 20 }));
    const value = fc.oneof(fc.constantFrom('.', 'v=spf1 +all', 'v=DMARC1;', '10.0.0.1', 'fd00::1', 'www.example.com', '0 issue "x"', '1 2'), fc.string({ maxLength: 40 }));
    const record = fc.record({ name, record_type: types, value, ttl: fc.integer({ min: 0, max: 1e7 }), priority: fc.option(fc.integer({ min: 0, max: 65535 })) });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 25 }), (records) => {
        const r = auditZone(Z, records);
        expect(r.counts.error + r.counts.warning + r.counts.info).toBe(r.findings.length);
      }),
      { numRuns: 300 },
    );
  });
});
