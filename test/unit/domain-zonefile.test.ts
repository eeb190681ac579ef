import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderZoneFile, parseZoneFile, PROVIDER_NS_MARK } from '../../src/domain/zonefile.js';
import { normaliseRecord, recordKey } from '../../src/domain/model.js';
import type { RecordInputLike, RecordSpec } from '../../src/domain/model.js';
import { diffRecords } from '../../src/domain/diff.js';
import { validateRecord } from '../../src/domain/validate.js';

const Z = 'example.com';
const dir = mkdtempSync(join(tmpdir(), 'domain-zonefile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real named-checkzone (Debian bind9-utils); returns its exit status and output. */
function checkzone(zone: string, text: string): { ok: boolean; out: string } {
  const file = join(dir, `${zone}.${Math.random().toString(36).slice(2)}.zone`);
  writeFileSync(file, text);
  try {
    return { ok: true, out: execFileSync('named-checkzone', ['-k', 'warn', zone, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

const DKIM_2048 =
  'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwQ3bX8B2w1sQk4vYJ1v3n0d8Y0fQm2Hh6c8oXvJ7m2m3yq1KZ0lKx4Vt7c0a1bq9Z2o8rJY8w7bC3q2gG6mQ0fK9vWcY4tL3nQx2o6k5N8lJm0t2aH1j9pR3yF7cQ8bT0sW6uE4xD2aV9nL1kM5oP7qR3sT9uW1yZ0bC2dE4fG6hJ8kL0mN2pQ4rS6tU8vW0xY2zA4bC6dE8fG0hJ2kL4mN6pQ8rS0tU2vW4xY6zA8bC0dE2fG4hJ6kL8mN0pQ2rS4tU6vW8xY0zA2bC4dE6fG8hJ0kL2mN4pQ6rS8tU0vW2xY4zA6bC8dE0fG2hJ4kL6mN8pQ0rS2tU4vW6xY8zA0bC2dE4fG6hJ8kL0mN2pQ4rS6tU8vW0xY2zA4bC6dIDAQAB';

const REAL_WORLD: RecordInputLike[] = [
  { name: '@', record_type: 'A', value: '192.0.2.10' },
  { name: '@', record_type: 'AAAA', value: '2001:0db8:0:0::10' },
  { name: 'www', record_type: 'CNAME', value: 'example.com' },
  { name: '@', record_type: 'MX', value: 'mail.example.com', priority: 10 },
  { name: '@', record_type: 'MX', value: 'backup-mx.example.net.', priority: 20 },
  { name: 'mail', record_type: 'A', value: '192.0.2.25' },
  { name: '@', record_type: 'TXT', value: 'v=spf1 ip4:192.0.2.0/24 include:_spf.google.com include:mailgun.org include:sendgrid.net include:spf.protection.outlook.com include:servers.mcsv.net include:amazonses.com include:_spf.salesforce.com include:spf.mandrillapp.com -all' },
  { name: 'google._domainkey', record_type: 'TXT', value: DKIM_2048 },
  { name: '_dmarc', record_type: 'TXT', value: 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com' },
  { name: '_sip._tcp', record_type: 'SRV', value: '5 5060 sip.example.com', priority: 10 },
  { name: '_xmpp-server._tcp', record_type: 'SRV', value: '0 5269 .', priority: 0 },
  { name: 'sip', record_type: 'A', value: '192.0.2.60' },
  { name: '@', record_type: 'CAA', value: '0 issue "letsencrypt.org"' },
  { name: '@', record_type: 'CAA', value: '0 issuewild ";"' },
  { name: '@', record_type: 'CAA', value: '0 iodef "mailto:security@example.com"' },
  { name: '*', record_type: 'A', value: '192.0.2.99', ttl: 300 },
  { name: '*.dev', record_type: 'CNAME', value: 'dev-lb.example.net', ttl: 60 },
  { name: 'sub', record_type: 'NS', value: 'ns1.example.net' },
  { name: 'odd', record_type: 'TXT', value: 'quote " backslash \\ semicolon ; paren ( ) café 😀 end' },
];

const specs = (inputs: RecordInputLike[]): RecordSpec[] => inputs.map((i) => normaliseRecord(i, Z));
const keys = (rs: RecordSpec[]) => rs.map((r) => `${recordKey(r)}|${r.ttl}`).sort();

describe('renderZoneFile', () => {
  it('the real-world inputs are valid records', () => {
    for (const i of REAL_WORLD) expect(validateRecord(i, Z)).toEqual([]);
  });

  it('writes a zone that named-checkzone loads, with long TXT chunked', () => {
    const text = renderZoneFile(Z, specs(REAL_WORLD), { serial: 2024060101 });
    const res = checkzone(Z, text);
    expect(res.out).toContain('loaded serial 2024060101');
    expect(res.ok).toBe(true);
    const dkimLine = text.split('\n').findIndex((l) => l.startsWith('google._domainkey'));
    expect(text.split('\n')[dkimLine]).toMatch(/TXT +\( "v=DKIM1; k=rsa; p=/);
    for (const quoted of text.match(/"(?:[^"\\]|\\.)*"/g) ?? []) {
      const bytes = quoted.slice(1, -1).replace(/\\[0-9]{3}/g, 'x').replace(/\\./g, 'x').length;
      expect(bytes).toBeLessThanOrEqual(255);
    }
    expect(text).toContain('"quote \\" backslash \\\\ semicolon ; paren ( ) caf\\195\\169 \\240\\159\\152\\128 end"');
  });

  it('writes the header, SOA and the provider nameservers', () => {
    const text = renderZoneFile(Z, [], { serial: 7, ttl: 600, nameservers: ['a.ns.test', 'b.ns.test.'], soa: { rname: 'admin.example.com', refresh: 100 } });
    expect(text).toContain('$ORIGIN example.com.\n$TTL 600\n@ 600 IN SOA a.ns.test. admin.example.com. (\n    7 ; serial\n    100 ; refresh');
    expect(text).toContain(`@ 600 IN NS a.ns.test. ; ${PROVIDER_NS_MARK}\n@ 600 IN NS b.ns.test. ; ${PROVIDER_NS_MARK}`);
    expect(checkzone(Z, text).ok).toBe(true);
  });

  it("merges the zone's own apex NS records with the provider's, without repeats", () => {
    const text = renderZoneFile(Z, specs([{ name: '@', record_type: 'NS', value: 'ns1.vps.org' }, { name: '@', record_type: 'NS', value: 'ns.backup.example.net' }]));
    expect(text.match(/IN NS/g)).toHaveLength(3);
    expect(text.match(/ns1\.vps\.org\./g)).toHaveLength(2); // SOA mname + one NS line
    expect(checkzone(Z, text).ok).toBe(true);
  });

  it('comments it adds (records left out, a placeholder SOA) stay comments, whatever text they quote, and pass named-checkzone', () => {
    const text = renderZoneFile(Z, specs([{ name: 'www', record_type: 'A', value: '192.0.2.1' }]), {
      comments: ['not exported: evil\n@ 60 IN A 192.0.2.66'],
      soaNote: 'SOA generated here\r\nx 60 IN A 192.0.2.67',
    });
    expect(checkzone(Z, text).ok).toBe(true);
    const back = parseZoneFile(text, Z);
    expect(back.records.map((r) => `${r.name} ${r.value}`)).toEqual(['www 192.0.2.1']);
  });

  it('gives the provider apex NS lines the TTL of the zone own apex NS set (one RRset, one TTL)', () => {
    const text = renderZoneFile(Z, specs([{ name: '@', record_type: 'NS', value: 'ns.backup.example.net', ttl: 300 }]));
    expect(text.split('\n').filter((l) => / IN NS /.test(l)).map((l) => l.split(/\s+/)[1])).toEqual(['300', '300', '300']);
    expect(checkzone(Z, text).out).not.toMatch(/TTL set to prior TTL/);
  });

  it('writes a record outside the zone as a comment, not as data', () => {
    const text = renderZoneFile(Z, [{ name: 'x.other.org.', record_type: 'A', value: '192.0.2.1', ttl: 3600, priority: null }]);
    expect(text).toContain('; skipped, outside the zone: x.other.org. A 192.0.2.1');
    expect(checkzone(Z, text).ok).toBe(true);
  });

  it('round-trips: parse(render(records)) gives the same records and an empty diff', () => {
    const recs = specs(REAL_WORLD);
    const parsed = parseZoneFile(renderZoneFile(Z, recs), Z);
    expect(parsed.problems).toEqual([]);
    expect(parsed.skipped.map((s) => s.type)).toEqual(['SOA', 'NS', 'NS']);
    expect(keys(parsed.records)).toEqual(keys(recs));
    const current = recs.map((r, i) => ({ ...r, uuid: `u${i}` }));
    expect(diffRecords(current, parsed.records, 'sync')).toEqual([]);
  });

  it('the checker itself refuses a broken zone (so the tests above can fail)', () => {
    expect(checkzone(Z, '$ORIGIN example.com.\n$TTL 3600\nwww IN CNAME a.example.net.\nwww IN A 192.0.2.1\n').ok).toBe(false);
  });
});

describe('parseZoneFile', () => {
  const parse = (text: string) => parseZoneFile(text, Z);

  it('reads directives, relative and absolute names, omitted owners, TTL and class in either order', () => {
    const p = parse(
      [
        '$ORIGIN example.com.',
        '$TTL 1h',
        'www            IN 300 A 192.0.2.1',
        '               300 IN AAAA 2001:DB8::1',
        '               A 192.0.2.2 ; same owner, $TTL applies',
        'MAIL.EXAMPLE.COM. 1d IN A 192.0.2.3',
        '$ORIGIN sub.example.com.',
        'host A 192.0.2.4',
        '@ MX 10 mx ; relative target, against $ORIGIN',
      ].join('\n'),
    );
    expect(p.problems).toEqual([]);
    expect(p.origin).toBe('example.com.');
    expect(p.records).toEqual([
      { name: 'www', record_type: 'A', value: '192.0.2.1', ttl: 300, priority: null },
      { name: 'www', record_type: 'AAAA', value: '2001:db8::1', ttl: 300, priority: null },
      { name: 'www', record_type: 'A', value: '192.0.2.2', ttl: 3600, priority: null },
      { name: 'mail', record_type: 'A', value: '192.0.2.3', ttl: 86400, priority: null },
      { name: 'host.sub', record_type: 'A', value: '192.0.2.4', ttl: 3600, priority: null },
      { name: 'sub', record_type: 'MX', value: 'mx.sub.example.com.', ttl: 3600, priority: 10 },
    ]);
  });

  it('handles parentheses across lines, comments holding quotes and parentheses, escapes', () => {
    const p = parse(
      [
        '@ 3600 IN SOA ns1.vps.org. hostmaster.example.com. ( 1 ; serial "not a string"',
        '   7200 3600 ; ( not a paren )',
        '   1209600 300 )',
        'dkim IN TXT ( "v=DKIM1; k=rsa; " ; first chunk',
        '              "p=ABC\\"DEF\\\\;" ) ; the semicolon inside quotes is data',
        'esc TXT "caf\\195\\169 \\(ok\\)" unquoted\\;part',
        'caa CAA 0 issue "letsencrypt.org; validationmethods=dns-01"',
        'srv SRV 10 5 5060 sip ; relative target',
      ].join('\n'),
    );
    expect(p.problems).toEqual([]);
    expect(p.skipped).toEqual([{ line: 1, name: '@', type: 'SOA', reason: 'SOA is managed by the provider' }]);
    expect(p.records.map((r) => [r.name, r.record_type, r.value, r.priority])).toEqual([
      ['dkim', 'TXT', 'v=DKIM1; k=rsa; p=ABC"DEF\\;', null],
      ['esc', 'TXT', 'café (ok)unquoted;part', null],
      ['caa', 'CAA', '0 issue "letsencrypt.org; validationmethods=dns-01"', null],
      ['srv', 'SRV', '5 5060 sip.example.com.', 10],
    ]);
  });

  it('refuses $INCLUDE and other directives with a clear problem', () => {
    const p = parse('$INCLUDE /etc/passwd\n$GENERATE 1-10 host$ A 192.0.2.$\nwww 3600 A 192.0.2.1\n');
    expect(p.problems.map((x) => `${x.field}:${x.rule}`)).toEqual(['line 1:include_refused', 'line 2:directive_unsupported']);
    expect(p.problems[0]?.message).toContain('$INCLUDE is refused');
    expect(p.records).toHaveLength(1);
  });

  it('lists unsupported types and classes as skipped, not dropped', () => {
    const p = parse('ptr PTR host.example.com.\n_443._tcp TLSA 3 1 1 abcd\nchaos CH TXT "x"\nold SPF "v=spf1 -all"\n');
    expect(p.records).toEqual([]);
    expect(p.problems).toEqual([]);
    expect(p.skipped.map((s) => `${s.line} ${s.name} ${s.type}`)).toEqual(['1 ptr PTR', '2 _443._tcp TLSA', '3 chaos TXT', '4 old SPF']);
    expect(p.skipped[0]?.reason).toContain('not supported by VPS.org (supported: A, AAAA, CNAME, MX, TXT, NS, SRV, CAA)');
    expect(p.skipped[2]?.reason).toBe('class CH is not served; only IN');
  });

  it('keeps apex NS lines that are the zone’s own records; skips only export’s provider lines', () => {
    const p = parse(`@ 3600 NS ns1.vps.org. ; ${PROVIDER_NS_MARK}\n@ NS ns1.other-dns.example.net.\n@ NS ns2.vps.org.\n`);
    expect(p.records.map((r) => r.value)).toEqual(['ns1.other-dns.example.net.', 'ns2.vps.org.']);
    expect(p.skipped.map((s) => s.line)).toEqual([1]);
  });

  it('reports records outside the zone, bad data, cross-record rules and syntax errors by line', () => {
    const p = parse(
      [
        'www.other.org. 3600 A 192.0.2.1',
        'bad A 999.1.1.1',
        'mx MX mail.example.com.',
        'c CNAME x.example.net.',
        'c A 192.0.2.5',
        ' A 192.0.2.6',
        'q TXT "unterminated',
        'p ( A 192.0.2.7',
      ].join('\n'),
    );
    const got = p.problems.map((x) => `${x.field}:${x.rule}`);
    expect(got).toEqual(expect.arrayContaining(['line 1.name:name_outside_zone', 'line 2.value:ipv4', 'line 3:zone_file_rdata', 'line 4:cname_conflict', 'line 7:zone_file_syntax', 'line 8:zone_file_syntax']));
    expect(p.problems.find((x) => x.field === 'line 3')?.message).toBe('MX record: got 1 field of data; expected `priority target`');
  });

  it('accepts CRLF line endings and a leading BOM', () => {
    const p = parse('\ufeff$TTL 300\r\nwww A 192.0.2.1\r\n  TXT "x" ; c\r\n');
    expect(p.problems).toEqual([]);
    expect(p.records.map((r) => `${r.name} ${r.ttl} ${r.record_type} ${r.value}`)).toEqual(['www 300 A 192.0.2.1', 'www 300 TXT x']);
  });

  it('refuses a blank-led first record that has no owner to reuse', () => {
    const p = parse('  A 192.0.2.1\n');
    expect(p.problems.map((x) => x.rule)).toEqual(['zone_file_syntax']);
    expect(p.problems[0]?.message).toContain('reuses the previous owner name');
  });
});
