/**
 * What the RFC 7208 suite (audit-spf-rfc7208.test.ts) does not reach: DNS errors inside `ptr`
 * (RFC 7208 5.5), the audit's own entry point given an IPv4-mapped sender (RFC 7208 5, 9.2), and
 * macros the audit can expand without a sender (`%{d}`). Zonedata in the suite's form, served
 * over the wire to the live resolver; TIMEOUT means no answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveResolver } from '../../src/dns/live-resolver.js';
import { SpfFetcher } from '../../src/audit/live/mail/spf-fetch.js';
import { evaluateSpf } from '../../src/audit/live/mail/spf-eval.js';
import { recordTree } from '../../src/audit/live/mail/spf-tree.js';
import { spfReports } from '../../src/audit/live/mail/index.js';
import type { FakeDns } from '../helpers/fake-dns.js';
import { serveZone, zoneOf } from '../helpers/spf-suite.js';

let dns: FakeDns;
const resolver = () => createLiveResolver({ roots: [{ host: 'root.test', address: dns.address, port: dns.port, family: 4 }], timeoutMs: 2500, tries: 2, mayAsk: () => true });

beforeAll(async () => {
  dns = await serveZone(
    zoneOf({
      'ptr-error.test': [{ TXT: 'v=spf1 ptr ~all' }],
      '10.2.0.192.in-addr.arpa': ['TIMEOUT'],
      'ptr-skip.test': [{ TXT: 'v=spf1 ptr -all' }],
      '11.2.0.192.in-addr.arpa': [{ PTR: 'slow.ptr-skip.test' }, { PTR: 'mail.ptr-skip.test' }],
      'slow.ptr-skip.test': ['TIMEOUT'],
      'mail.ptr-skip.test': [{ A: '192.0.2.11' }],
      'own.test': [{ TXT: 'v=spf1 ip4:192.0.2.12 -all' }],
      'redirected.test': [{ TXT: 'v=spf1 redirect=%{d}._spf.own.test' }],
      'redirected.test._spf.own.test': [{ TXT: 'v=spf1 ip4:192.0.2.13 -all' }],
      'upper-r.test': [{ TXT: 'v=spf1 redirect=%{dR}.rev.own.test' }],
      'test.upper-r.rev.own.test': [{ TXT: 'v=spf1 ip4:192.0.2.14 -all' }],
      'zero-digit.test': [{ TXT: 'v=spf1 redirect=%{d0}.own.test' }],
      'zero-digit.test.own.test': [{ TXT: 'v=spf1 ip4:192.0.2.15 -all' }],
    }),
  );
});
afterAll(async () => {
  await dns?.close();
});

async function check(domain: string, ip: string) {
  const root = await new SpfFetcher(resolver(), { ip }).fetch(domain);
  return { ...evaluateSpf(root, ip), tree: recordTree(root) };
}

// Concurrent: the two TIMEOUT cases each wait out the resolver's tries.
describe.concurrent('SPF evaluation for a given sender', () => {
  it('ptr: a DNS error on the PTR lookup is no match, not temperror (RFC 7208 5.5)', async () => {
    const got = await check('ptr-error.test', '192.0.2.10');
    expect(got).toMatchObject({ result: 'softfail', decidedBy: 'ptr-error.test: ~all' });
    // Nor does the lookup tree call it one (no spf_temperror finding for it).
    expect(got.tree.terms[0]).toMatchObject({ term: 'ptr', status: 'ok' });
  });

  it('ptr: a name whose address lookup fails is skipped and the search continues (RFC 7208 5.5)', async () => {
    expect(await check('ptr-skip.test', '192.0.2.11')).toMatchObject({ result: 'pass', decidedBy: 'ptr-skip.test: ptr' });
  });

  it('the audit treats an IPv4-mapped sender as IPv4 (RFC 7208 5, item 9.2)', async () => {
    const records = [{ name: '@', record_type: 'TXT', value: 'v=spf1 ip4:192.0.2.12 -all', ttl: 300 }];
    const { reports } = await spfReports('own.test', records, resolver(), { spfIp: '::FFFF:192.0.2.12' });
    expect(reports[0]?.evaluation).toMatchObject({ result: 'pass', ip: '::FFFF:192.0.2.12' });
  });

  it('%{d} is known without a sender: the audit expands it and follows the redirect', async () => {
    const records = [{ name: '@', record_type: 'TXT', value: 'v=spf1 redirect=%{d}._spf.own.test', ttl: 300 }];
    const { reports } = await spfReports('redirected.test', records, resolver(), { spfIp: '192.0.2.13' });
    expect(reports[0]?.evaluation.result).toBe('pass');
    expect(reports[0]?.tree.terms[0]).toMatchObject({ status: 'ok', lookups: 1, record: { domain: 'redirected.test._spf.own.test' } });
    const { reports: none } = await spfReports('redirected.test', records, resolver());
    expect(none[0]?.evaluation).toMatchObject({ result: 'fail', decidedBy: 'redirected.test._spf.own.test: -all' });
  });

  it('%{dR}: the reversal flag is case-insensitive like every ABNF literal (RFC 5234 2.3)', async () => {
    expect(await check('upper-r.test', '192.0.2.14')).toMatchObject({ result: 'pass', decidedBy: 'test.upper-r.rev.own.test: ip4:192.0.2.14' });
  });

  it('%{d0}: a digit transformer of zero is a syntax error, so permerror (RFC 7208 7.1: "MUST be nonzero")', async () => {
    const got = await check('zero-digit.test', '192.0.2.15');
    expect(got.result).toBe('permerror');
    expect(got.reason).toMatch(/d0/);
  });
});
