/**
 * The live mail checks (issue 25.2) on a fixture internet: zones made in the sandbox's emulator,
 * served by its nameservers under its stand-in root, an MTA-STS policy served over HTTPS on
 * loopback with a test CA. Every finding carries its fix call, and the fix calls go through the
 * real apply_zone: applied, the finding is gone.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditMail, checkMtaStsLive, checkMxLive, checkParkedLive, checkSpfLive, spfReports, type MailOptions } from '../../src/audit/live/mail/index.js';
import type { LiveFinding } from '../../src/audit/live/types.js';
import type { AuditRecord } from '../../src/audit/types.js';
import { sandboxedServer } from '../helpers/emulated.js';
import { startPolicyServer, type PolicyServer } from '../helpers/mta-sts-server.js';
import { fixtureResolver } from '../helpers/fixture-internet.js';
import { isPublicUnicast } from '../../src/safety/reach.js';

const t = sandboxedServer('vpsorg-mail-');
const BROKEN = 'broken-mail.test';
const GOOD = 'good-mail.test';
const rec = (record_type: string, name: string, value: string, priority?: number) => ({ record_type, name, value, ttl: 300, ...(priority !== undefined ? { priority } : {}) });
const dkimKey = (bits: number) => `v=DKIM1; k=rsa; p=${generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
const STS = (mx: string) => `version: STSv1\nmode: enforce\n${mx}\nmax_age: 86400\n`;

let https: PolicyServer;
const records = (zone: string) => (t.sb.emu.store.findZone(zone)?.records ?? []) as AuditRecord[];
const opts = (more: Partial<MailOptions> = {}): MailOptions => ({ allowHttp: true, mayFetch: () => true, https: { port: https.port, ca: https.ca }, ...more });
const codes = (fs: LiveFinding[]) => fs.map((f) => f.code).sort();

async function confirmed(tool: string, args: Record<string, unknown>) {
  const first = await t.h.call(tool, args);
  const token = first.structured?.['confirm_token'] as string | undefined;
  return token ? t.h.call(tool, { ...args, confirm_token: token }) : first;
}

beforeAll(async () => {
  https = await startPolicyServer({ [`mta-sts.${BROKEN}`]: STS(`mx: mx1.${BROKEN}`), [`mta-sts.${GOOD}`]: STS(`mx: *.${GOOD}`) }, [`mta-sts.${BROKEN}`, `mta-sts.${GOOD}`]);
  const s = t.sb.emu.store;
  s.addZone('prov.test', [rec('CNAME', 'alias', 'h1.prov.test.'), rec('TXT', 'ten', `v=spf1 ${Array.from({ length: 10 }, (_, i) => `a:h${i + 1}.prov.test`).join(' ')} -all`), ...Array.from({ length: 11 }, (_, i) => rec('A', `h${i + 1}`, `198.51.100.${101 + i}`))]);
  s.addZone('reports.test', [rec('A', '@', '192.0.2.7')]);
  s.addZone('authorised.test', [rec('TXT', `${BROKEN}._report._dmarc`, 'v=DMARC1')]);
  s.addZone(BROKEN, [
    rec('A', '@', '192.0.2.1'),
    rec('MX', '@', `mx1.${BROKEN}.`, 10),
    rec('MX', '@', `mx-alias.${BROKEN}.`, 20),
    rec('MX', '@', 'gone.reports.test.', 30), // outside and gone: the dangling-target check's, not the mail check's
    rec('MX', '@', 'alias.prov.test.', 40), // outside, a CNAME
    rec('MX', '@', `noaddr.${BROKEN}.`, 50), // inside, no address
    rec('TXT', 'noaddr', 'not a host'),
    rec('A', 'mx1', '192.0.2.10'),
    rec('CNAME', 'mx-alias', `mx1.${BROKEN}.`),
    rec('TXT', '@', 'v=spf1 include:ten.prov.test a:h11.prov.test -all'),
    rec('TXT', '@', 'site-verification=abc'),
    rec('TXT', '_dmarc', 'v=DMARC1; p=none; adkim=x; rua=mailto:d@reports.test,mailto:agg@authorised.test'),
    rec('TXT', 's1._domainkey', dkimKey(1024)),
    rec('TXT', 'weak._domainkey', dkimKey(512)),
    rec('TXT', 'old._domainkey', 'v=DKIM1; p='),
    rec('TXT', 'good._domainkey', dkimKey(2048)),
    rec('CNAME', 'prov._domainkey', 'sel._domainkey.prov.test.'),
    rec('TXT', '_mta-sts', 'v=STSv1; id=20260101'),
    rec('A', 'mta-sts', '127.0.0.1'),
  ]);
  s.addZone('tls.test', [rec('MX', '@', `mx1.${BROKEN}.`, 10), rec('TXT', '_smtp._tls', 'v=TLSRPTv1; rua=ftp://x.example'), rec('TXT', '_mta-sts', 'v=STSv1; id=bad-id!'), rec('A', 'mta-sts', '127.0.0.1')]);
  s.addZone('parked.test', [rec('A', '@', '192.0.2.9')]);
  s.addZone('parked-ok.test', [rec('A', '@', '192.0.2.9'), rec('TXT', '@', 'v=spf1 -all'), rec('TXT', '_dmarc', 'v=DMARC1; p=reject;')]);
  s.addZone(GOOD, [
    rec('MX', '@', `mx.${GOOD}.`, 10),
    rec('A', 'mx', '192.0.2.20'),
    rec('TXT', '@', 'v=spf1 mx -all'),
    rec('TXT', '_dmarc', `v=DMARC1; p=reject; rua=mailto:dmarc@${GOOD}`),
    rec('TXT', 'sel._domainkey', dkimKey(2048)),
    rec('TXT', '_mta-sts', 'v=STSv1; id=1'),
    rec('A', 'mta-sts', '127.0.0.1'),
    rec('TXT', '_smtp._tls', `v=TLSRPTv1; rua=mailto:tls@${GOOD}`),
  ]);
}, 60_000);
afterAll(async () => {
  await https?.close();
});

describe('a broken mail setup', () => {
  let found: LiveFinding[];
  beforeAll(async () => {
    found = await auditMail(BROKEN, records(BROKEN), fixtureResolver(t.sb), opts({ dkimSelectors: ['given'] }));
  }, 60_000);

  it('finds each problem, and nothing about what is right', () => {
    expect(codes(found)).toEqual(
      [
        'dkim_key_short', 'dkim_key_weak', 'dkim_missing', 'dkim_missing', 'dkim_revoked', 'dmarc_invalid_tag', 'dmarc_report_unauthorised',
        'mta_sts_mx_not_covered', 'mta_sts_mx_not_covered', 'mta_sts_mx_not_covered', 'mta_sts_mx_not_covered',
        'mx_target_cname', 'mx_target_cname', 'mx_target_no_address', 'spf_too_many_lookups', 'tlsrpt_missing',
      ].sort(),
    );
    const by = (code: string) => found.filter((f) => f.code === code);
    expect(by('spf_too_many_lookups')[0]?.message).toMatch(/^permerror: 12 lookups \(limit 10\): include:ten\.prov\.test 11, a:h11\.prov\.test 1\./);
    expect(by('dmarc_report_unauthorised')[0]?.message).toContain(`${BROKEN}._report._dmarc.reports.test`);
    expect(by('dkim_missing').map((f) => f.name).sort()).toEqual(['given._domainkey', 'prov._domainkey']);
    expect(by('dkim_missing').find((f) => f.name === 'prov._domainkey')?.message).toContain('through CNAME sel._domainkey.prov.test');
    expect(by('dkim_key_short')[0]?.name).toBe('s1._domainkey');
    expect(by('mta_sts_mx_not_covered').map((f) => f.message.split(' ')[1]).sort()).toEqual(['alias.prov.test', 'gone.reports.test', `mx-alias.${BROKEN}`, `noaddr.${BROKEN}`]);
    expect(by('mx_target_cname').map((f) => f.message.split(' ').slice(1, 3).join(' ')).sort()).toEqual(['20 mx-alias.broken-mail.test', '40 alias.prov.test']);
  });

  it('every finding carries a fix: an apply_zone dry run (upsert) the real tool accepts, or an instruction', async () => {
    for (const f of found) {
      const fix = f.fix_call;
      if ('instruction' in fix) {
        expect(fix.instruction.length, f.code).toBeGreaterThan(20);
        continue;
      }
      expect(fix.arguments, f.code).toMatchObject({ zone: BROKEN, mode: 'upsert', dry_run: true });
      const r = await t.h.call(fix.tool, fix.arguments);
      expect(r.isError, `${f.code}: ${r.text}`).toBeFalsy();
      expect(r.structured?.['applied'], f.code).toBe(false);
    }
  });

  it('the flattened SPF is offered with its trade-off; applied, it needs no lookups and keeps the other TXT', async () => {
    const fix = found.find((f) => f.code === 'spf_too_many_lookups')?.fix_call;
    expect(fix && 'tradeoff' in fix && fix.tradeoff).toMatch(/copies today's addresses/);
    if (!fix || 'instruction' in fix) throw new Error('expected an apply_zone fix');
    const applied = await confirmed('apply_zone', { ...fix.arguments, dry_run: false });
    expect(applied.structured?.['applied'], applied.text).toBe(true);
    const after = await spfReports(BROKEN, records(BROKEN), fixtureResolver(t.sb), { spfIp: '198.51.100.111' });
    expect(after.findings.filter((f) => f.code.startsWith('spf_'))).toEqual([]);
    expect(after.reports[0]?.evaluation).toMatchObject({ result: 'pass', lookups: 0 });
    expect(after.reports[0]?.tree.spf).toBe(`v=spf1 ${Array.from({ length: 11 }, (_, i) => `ip4:198.51.100.${101 + i}`).join(' ')} -all`);
    expect(records(BROKEN).filter((r) => r.record_type === 'TXT' && r.name === '@').map((r) => r.value)).toContain('site-verification=abc');
  });

  it('the MX fixes: an alias of a listed MX goes, an inside host without address goes, an alias elsewhere gets an instruction (its chain is not ours to pin); each computed on the zone as audited', async () => {
    for (const [code, name] of [['mx_target_cname', 'mx-alias'], ['mx_target_no_address', 'noaddr']] as const) {
      // Re-audited before each fix: a fix call is the set as it should be given the zone when audited.
      const now = await checkMxLive(BROKEN, records(BROKEN), fixtureResolver(t.sb));
      const fix = now.find((f) => f.code === code && f.message.includes(` ${name}.`))?.fix_call;
      if (!fix || 'instruction' in fix) throw new Error(`expected an apply_zone fix for ${code} ${name}`);
      const applied = await confirmed('apply_zone', { ...fix.arguments, dry_run: false });
      expect(applied.structured?.['applied'], applied.text).toBe(true);
    }
    const mx = records(BROKEN).filter((r) => r.record_type === 'MX').map((r) => `${r.priority} ${r.value}`).sort();
    expect(mx).toEqual([`10 mx1.${BROKEN}.`, '30 gone.reports.test.', '40 alias.prov.test.']);
    const left = await checkMxLive(BROKEN, records(BROKEN), fixtureResolver(t.sb));
    expect(left.map((f) => [f.code, f.fix_call])).toEqual([['mx_target_cname', { instruction: expect.stringMatching(/alias\.prov\.test .*outside broken-mail\.test, so ask its owner/) }]]);
  });
});

describe('MTA-STS and TLS-RPT', () => {
  it('a bad id, a policy behind a certificate for another name, a TLS-RPT destination that is not mailto/https', async () => {
    const found = await auditMail('tls.test', records('tls.test'), fixtureResolver(t.sb), opts());
    expect(codes(found)).toEqual(['mta_sts_id', 'mta_sts_policy_unreachable', 'tlsrpt_rua']);
    expect(found.find((f) => f.code === 'mta_sts_policy_unreachable')?.message).toContain('the certificate does not match mta-sts.tls.test.');
  });
  it('the policy host must be public unless the operator allows private addresses; the fetch stops with the audit', async () => {
    const unreachable = async (more: Partial<MailOptions>) => (await checkMtaStsLive(GOOD, records(GOOD), fixtureResolver(t.sb), opts(more))).map((f) => `${f.code}: ${f.message}`);
    expect(await unreachable({ mayFetch: isPublicUnicast })).toEqual([expect.stringMatching(/^mta_sts_policy_unreachable: .*resolves only to addresses that are not public/)]);
    expect(await unreachable({ mayFetch: undefined })).toEqual([expect.stringMatching(/not public/)]);
    expect(await unreachable({ signal: AbortSignal.abort() })).toEqual([expect.stringMatching(/^mta_sts_policy_unreachable: .*or the audit was stopped/)]);
    expect(await unreachable({})).toEqual([]);
  });
  it('the policy is fetched only when outbound HTTP is allowed', async () => {
    const skipped: string[] = [];
    const found = await checkMtaStsLive(BROKEN, records(BROKEN), fixtureResolver(t.sb), { skip: (check, reason) => skipped.push(`${check}: ${reason}`) });
    expect(found).toEqual([]);
    expect(skipped).toEqual(['mta_sts_policy: outbound HTTPS is off: set VPSORG_AUDIT_HTTP=1 to fetch the policy']);
  });
});

describe('the parked-domain recipe and a clean setup', () => {
  it('a zone with no mail gets the recipe; applied, nothing is left to say', async () => {
    const [f] = await checkParkedLive('parked.test', records('parked.test'), fixtureResolver(t.sb));
    expect(f?.code).toBe('mail_parked_recipe');
    if (!f || 'instruction' in f.fix_call) throw new Error('expected an apply_zone fix');
    expect(f.fix_call.arguments['records']).toEqual([
      { name: '@', record_type: 'TXT', value: 'v=spf1 -all', ttl: 3600 },
      { name: '_dmarc', record_type: 'TXT', value: 'v=DMARC1; p=reject;', ttl: 3600 },
    ]);
    const applied = await confirmed('apply_zone', { ...f.fix_call.arguments, dry_run: false });
    expect(applied.structured?.['applied'], applied.text).toBe(true);
    expect(await checkParkedLive('parked.test', records('parked.test'), fixtureResolver(t.sb))).toEqual([]);
    expect(await checkParkedLive('parked-ok.test', records('parked-ok.test'), fixtureResolver(t.sb))).toEqual([]);
  });
  it('a zone whose mail is set up right has no mail findings', async () => {
    expect(await auditMail(GOOD, records(GOOD), fixtureResolver(t.sb), opts({ dkimSelectors: ['sel'] }))).toEqual([]);
    expect(await checkSpfLive(GOOD, records(GOOD), fixtureResolver(t.sb))).toEqual([]);
  });
});
