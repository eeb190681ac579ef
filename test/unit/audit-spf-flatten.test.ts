/**
 * The flattened SPF fix never authorises more than the record did: a/24 keeps its prefix, and a
 * record with an exclusion ("-ip4:") or a redirect is not flattened (the finding says why).
 */
import { describe, expect, it } from 'vitest';
import { checkSpfLive } from '../../src/audit/live/mail/index.js';
import type { LiveAnswer, LiveResolver } from '../../src/audit/live/types.js';

const hosts = Array.from({ length: 10 }, (_, i) => `a:h${i}.own.test`);
function audit(spf: string, more: Record<string, string[]> = {}) {
  const answers: Record<string, string[]> = { 'own.test TXT': [spf], 'own.test A': ['192.0.2.200'], ...Object.fromEntries(hosts.map((h, i) => [`${h.slice(2)} A`, [`198.51.100.${i + 1}`]])), ...more };
  const resolver = {
    lookups: 0,
    async lookup(name: string, type: string): Promise<LiveAnswer> {
      const v = answers[`${name.replace(/\.$/, '')} ${type}`];
      return v ? { status: 'answer', records: v.map((value) => ({ name, type, ttl: 300, value })), cnames: [], detail: '' } : { status: 'nxdomain', records: [], cnames: [], detail: 'nxdomain' };
    },
  } as LiveResolver;
  return checkSpfLive('own.test', [{ name: '@', record_type: 'TXT', value: spf, ttl: 300 }], resolver).then((fs) => fs.find((f) => f.code === 'spf_too_many_lookups')?.fix_call);
}

describe('flattened SPF', () => {
  it('a/24 keeps its prefix', async () => {
    const fix = await audit(`v=spf1 a/24 ${hosts.join(' ')} -all`);
    expect(fix && 'arguments' in fix ? (fix.arguments['records'] as { value: string }[])[0]?.value : null).toMatch(/^v=spf1 ip4:192\.0\.2\.200\/24 ip4:198\.51\.100\.1 .* -all$/);
  });
  it('a host\'s IPv6 addresses are kept too, though the evaluation asked only for IPv4', async () => {
    const fix = await audit(`v=spf1 a ${hosts.join(' ')} -all`, { 'own.test AAAA': ['2001:db8::25'] });
    expect(fix && 'arguments' in fix ? (fix.arguments['records'] as { value: string }[])[0]?.value : null).toMatch(/^v=spf1 ip4:192\.0\.2\.200 ip6:2001:db8::25 ip4:198\.51\.100\.1 .* -all$/);
  });
  it('an exclusion is not dropped: no flattening, and the finding says why', async () => {
    expect(await audit(`v=spf1 -ip4:198.51.100.1 a ${hosts.join(' ')} -all`)).toMatchObject({ instruction: expect.stringMatching(/cannot be flattened: .*"-ip4:198\.51\.100\.1" excludes addresses/) });
  });
  it('a redirect is not flattened into "~all" (its target says "-all")', async () => {
    expect(await audit(`v=spf1 a ${hosts.join(' ')} redirect=r.own.test`, { 'r.own.test TXT': ['v=spf1 -all'] })).toMatchObject({ instruction: expect.stringMatching(/cannot be flattened: .*redirect=r\.own\.test/) });
  });

  it('a tree of 200 includes is fetched only as far as its verdict needs, not to the audit\'s budget', async () => {
    const txt = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`i${i}.wide.test TXT`, [`v=spf1 include:i${i + 1}.wide.test include:j${i}.wide.test -all`]]));
    let asked = 0;
    const resolver = {
      lookups: 0,
      async lookup(name: string, type: string): Promise<LiveAnswer> {
        asked++;
        const v = (txt as Record<string, string[]>)[`${name.replace(/\.$/, '')} ${type}`] ?? (name.startsWith('own.test') ? ['v=spf1 include:i0.wide.test -all'] : undefined);
        return v ? { status: 'answer', records: v.map((value) => ({ name, type, ttl: 300, value })), cnames: [], detail: '' } : { status: 'nxdomain', records: [], cnames: [], detail: 'nxdomain' };
      },
    } as LiveResolver;
    const findings = await checkSpfLive('own.test', [{ name: '@', record_type: 'TXT', value: 'v=spf1 include:i0.wide.test -all', ttl: 300 }], resolver);
    expect(findings.map((f) => f.code)).toContain('spf_too_many_lookups');
    expect(asked).toBeLessThanOrEqual(41);
  });
});
