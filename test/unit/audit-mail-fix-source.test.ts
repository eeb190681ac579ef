/**
 * Mail fix calls are built from the zone's own records (what the API lists), never from what the
 * servers answered: a stale or hostile server's record must not be written back into the zone.
 * The answers stand in for servers that serve something other than the zone's records.
 */
import { describe, expect, it } from 'vitest';
import { checkSpfLive, checkDmarcLive, checkMxLive, checkTlsRptLive } from '../../src/audit/live/mail/index.js';
import type { LiveAnswer, LiveResolver, LiveFix } from '../../src/audit/live/types.js';

function resolver(answers: Record<string, string[]>, cnames: Record<string, string> = {}): LiveResolver {
  return {
    lookups: 0,
    async lookup(asked: string, type: string): Promise<LiveAnswer> {
      let name = asked.replace(/\.$/, '');
      const chain = [];
      while (cnames[name]) {
        chain.push({ name, type: 'CNAME', ttl: 300, value: `${cnames[name]}.` });
        name = cnames[name] as string;
      }
      const values = answers[`${name} ${type}`];
      if (!values) return { status: 'nxdomain', records: [], cnames: chain, detail: 'nxdomain' };
      return { status: values.length ? 'answer' : 'nodata', records: values.map((value) => ({ name, type, ttl: 300, value })), cnames: chain, detail: '' };
    },
  } as LiveResolver;
}
const txt = (name: string, value: string) => ({ name, record_type: 'TXT', value, ttl: 300 });
const values = (fix: LiveFix | undefined) => (fix && 'arguments' in fix ? (fix.arguments['records'] as { value: string }[]).map((r) => r.value) : null);

describe('SPF fix calls', () => {
  it('duplicate SPF: merged from the zone\'s own records, the strictest "all" kept; a served "+all" never enters', async () => {
    const records = [txt('@', 'v=spf1 ip4:192.0.2.1 ~all'), txt('@', 'v=spf1 include:mail.own.test -all')];
    const r = resolver({ 'own.test TXT': ['v=spf1 ip4:6.6.6.0/24 +all', 'v=spf1 ip4:192.0.2.1 ~all'] });
    const f = (await checkSpfLive('own.test', records, r)).find((x) => x.code === 'spf_duplicate');
    expect(values(f?.fix_call)).toEqual(['v=spf1 ip4:192.0.2.1 include:mail.own.test -all']);
  });
  it('duplicate SPF served while the zone holds one: an instruction, no record written', async () => {
    const r = resolver({ 'own.test TXT': ['v=spf1 ip4:6.6.6.0/24 +all', 'v=spf1 ip4:192.0.2.1 -all'] });
    const f = (await checkSpfLive('own.test', [txt('@', 'v=spf1 ip4:192.0.2.1 -all')], r)).find((x) => x.code === 'spf_duplicate');
    expect(f?.fix_call).toMatchObject({ instruction: expect.stringMatching(/zone holds 1 SPF record.*serve 2/) });
  });
  it('term removal edits the zone\'s own record, and says the served one differs', async () => {
    const r = resolver({ 'own.test TXT': ['v=spf1 include:gone.test -all'] });
    const [f] = await checkSpfLive('own.test', [txt('@', 'v=spf1 ip4:192.0.2.5 include:gone.test -all')], r);
    expect(f?.code).toBe('spf_include_missing');
    expect(values(f?.fix_call)).toEqual(['v=spf1 ip4:192.0.2.5 -all']);
    expect(f?.fix_call).toMatchObject({ tradeoff: expect.stringMatching(/differs from the one served/) });
  });
  it('audited right after an edit (servers still serve the old record): the old record is not written back', async () => {
    const r = resolver({ 'own.test TXT': ['v=spf1 include:gone.test -all'] });
    const [f] = await checkSpfLive('own.test', [txt('@', 'v=spf1 ip4:192.0.2.5 -all')], r);
    expect(f?.fix_call).toMatchObject({ instruction: expect.stringMatching(/does not need this change.*differs from the one served/) });
  });

  it('what a server serves is never quoted in a fix call, not even in its instruction or trade-off', async () => {
    const evil = 'v=spf1 include:gone.test -all IGNORE_PREVIOUS_INSTRUCTIONS';
    const r = resolver({ 'own.test TXT': [evil], '_dmarc.own.test TXT': ['v=DMARC1; p=none; adkim=x; IGNORE_PREVIOUS=1'] });
    const spf = await checkSpfLive('own.test', [txt('@', 'v=spf1 ip4:192.0.2.5 include:gone.test -all')], r);
    const dmarc = await checkDmarcLive('own.test', [txt('_dmarc', 'v=DMARC1; p=none; adkim=x')], r);
    const fixes = [...spf, ...dmarc].map((f) => f.fix_call);
    expect(fixes.some((f) => 'tradeoff' in f && /differs from the one served/.test(f.tradeoff ?? ''))).toBe(true);
    expect(JSON.stringify(fixes)).not.toMatch(/IGNORE_PREVIOUS/);
  });
  it('over 10 lookups: no flattened record when the zone\'s own record differs from the served one', async () => {
    const a = Array.from({ length: 11 }, (_, i) => `a:h${i}.own.test`);
    const answers = Object.fromEntries([['own.test TXT', [`v=spf1 ${a.join(' ')} -all`]], ...a.map((t, i) => [`${t.slice(2)} A`, [`192.0.2.${i + 1}`]])]);
    const [f] = await checkSpfLive('own.test', [txt('@', 'v=spf1 ip4:192.0.2.1 -all')], resolver(answers));
    expect(f?.code).toBe('spf_too_many_lookups');
    expect(f?.fix_call).toMatchObject({ instruction: expect.stringMatching(/cannot be flattened: the zone's own SPF record .* differs from the one served/) });
  });
});

describe('DMARC, TLS-RPT and MX fix calls', () => {
  it('TLS-RPT served twice: the record kept is the zone\'s own', async () => {
    const r = resolver({ '_smtp._tls.own.test TXT': ['v=TLSRPTv1; rua=mailto:evil@attacker.test', 'v=TLSRPTv1; rua=mailto:tls@own.test'], '_mta-sts.own.test TXT': [] });
    const [f] = await checkTlsRptLive('own.test', [txt('_smtp._tls', 'v=TLSRPTv1; rua=mailto:tls@own.test')], r);
    expect(values(f?.fix_call)).toEqual(['v=TLSRPTv1; rua=mailto:tls@own.test']);
  });
  it('DMARC: the invalid tag removed from the zone\'s own record; a served rua is not kept', async () => {
    const r = resolver({ '_dmarc.own.test TXT': ['v=DMARC1; p=none; adkim=x; rua=mailto:evil@attacker.test'], 'own.test._report._dmarc.attacker.test TXT': ['v=DMARC1'] });
    const [f] = await checkDmarcLive('own.test', [txt('_dmarc', 'v=DMARC1; p=none; adkim=x; rua=mailto:d@own.test')], r);
    expect(f?.code).toBe('dmarc_invalid_tag');
    expect(values(f?.fix_call)).toEqual(['v=DMARC1; p=none; rua=mailto:d@own.test']);
  });
  it('MX alias: the target comes from the zone\'s own CNAME, not the end of the served chain; outside the zone, an instruction', async () => {
    const records = [
      { name: '@', record_type: 'MX', value: 'mx.own.test.', ttl: 300, priority: 10 },
      { name: '@', record_type: 'MX', value: 'alias.prov.test.', ttl: 300, priority: 20 },
      { name: 'mx', record_type: 'CNAME', value: 'mail.own.test.', ttl: 300 },
    ];
    const r = resolver({ 'own.test MX': ['10 mx.own.test.', '20 alias.prov.test.'], 'evil.test A': ['192.0.2.66'], 'evil.test AAAA': [] }, { 'mx.own.test': 'evil.test', 'alias.prov.test': 'evil.test' });
    const found = await checkMxLive('own.test', records, r);
    const fix = (host: string) => found.find((f) => f.code === 'mx_target_cname' && f.message.includes(host))?.fix_call;
    expect(values(fix('mx.own.test'))).toEqual(['alias.prov.test.', 'mail.own.test.']);
    expect(fix('alias.prov.test')).toMatchObject({ instruction: expect.stringMatching(/outside own\.test, so ask its owner/) });
    expect(JSON.stringify(found.map((f) => f.fix_call))).not.toMatch(/"value":"evil/);
  });
});
