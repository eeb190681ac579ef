/**
 * The live mail audit: null MX consistency (RFC 7505), and the setting that allows its HTTPS fetch. VPS.org refuses a null MX, so the
 * sandbox cannot serve one: these answers stand in for a zone served elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { checkMxLive } from '../../src/audit/live/mail/mx.js';
import { applySets, replaceTxt } from '../../src/audit/live/mail/fix.js';
import { MIN_TTL } from '../../src/domain/model.js';
import { loadConfig } from '../../src/config.js';
import type { LiveAnswer, LiveResolver } from '../../src/audit/live/types.js';

function resolver(answers: Record<string, string[]>): LiveResolver {
  return {
    lookups: 0,
    async lookup(name: string, type: string): Promise<LiveAnswer> {
      const values = answers[`${name.replace(/\.$/, '')} ${type}`];
      if (!values) return { status: 'nxdomain', records: [], cnames: [], detail: 'nxdomain' };
      return { status: values.length ? 'answer' : 'nodata', records: values.map((value) => ({ name, type, ttl: 300, value })), cnames: [], detail: '' };
    },
  } as LiveResolver;
}

describe('null MX', () => {
  it('alone with "v=spf1 -all": nothing to say', async () => {
    expect(await checkMxLive('nomail.test', [], resolver({ 'nomail.test MX': ['0 .'], 'nomail.test TXT': ['v=spf1 -all'] }))).toEqual([]);
  });
  it('beside a real MX: an error whose fix removes the null MX', async () => {
    const r = resolver({ 'mixed.test MX': ['0 .', '10 mx.mixed.test.'], 'mixed.test TXT': ['v=spf1 -all'], 'mx.mixed.test A': ['192.0.2.1'], 'mx.mixed.test AAAA': [] });
    const records = [
      { name: '@', record_type: 'MX', value: '.', ttl: 300, priority: 0 },
      { name: '@', record_type: 'MX', value: 'mx.mixed.test.', ttl: 300, priority: 10 },
    ];
    const [f, ...rest] = await checkMxLive('mixed.test', records, r);
    expect(rest).toEqual([]);
    expect(f?.code).toBe('mx_null_mixed');
    expect(f?.fix_call).toMatchObject({ tool: 'apply_zone', arguments: { zone: 'mixed.test', mode: 'upsert', dry_run: true, records: [{ name: '@', record_type: 'MX', value: 'mx.mixed.test.', priority: 10 }] } });
  });
  it('with an SPF record that authorises senders: a warning offering "v=spf1 -all", other TXT kept', async () => {
    const records = [
      { name: '@', record_type: 'TXT', value: 'v=spf1 include:mail.example -all', ttl: 600 },
      { name: '@', record_type: 'TXT', value: 'site-verification=1', ttl: 600 },
    ];
    const [f] = await checkMxLive('sends.test', records, resolver({ 'sends.test MX': ['0 .'], 'sends.test TXT': records.map((x) => x.value) }));
    expect(f?.code).toBe('mx_null_spf');
    expect(f?.fix_call).toMatchObject({ arguments: { records: [{ name: '@', record_type: 'TXT', value: 'site-verification=1', ttl: 600 }, { name: '@', record_type: 'TXT', value: 'v=spf1 -all', ttl: 600 }] }, tradeoff: expect.stringMatching(/Only if nobody sends/) });
  });
});

describe('VPSORG_AUDIT_HTTP', () => {
  it('is off by default, on with true/1, and a bad value is refused by name', () => {
    expect(loadConfig({}).auditHttp).toBe(false);
    expect(loadConfig({ VPSORG_AUDIT_HTTP: '1' }).auditHttp).toBe(true);
    expect(() => loadConfig({ VPSORG_AUDIT_HTTP: 'maybe' })).toThrow(/VPSORG_AUDIT_HTTP must be true or false/);
  });
});

describe('live mail fix calls are built as the zone audit builds its own (fix-sets.ts setFix)', () => {
  it('a dotted name is written in full, a new record gets a TTL the tools accept, kept records stay as held', () => {
    const records = [
      { name: '_smtp._tls', record_type: 'TXT', value: 'v=TLSRPTv1; rua=mailto:a@x.test', ttl: 30 },
      { name: '_smtp._tls', record_type: 'TXT', value: 'other', ttl: 30 },
    ];
    const fix = replaceTxt('x.test', records, '_smtp._tls', (t) => t.startsWith('v=TLSRPTv1'), 'v=TLSRPTv1; rua=mailto:b@x.test');
    expect(fix).toMatchObject({ tool: 'apply_zone', arguments: { records: [
      { name: '_smtp._tls.x.test.', record_type: 'TXT', value: 'other', ttl: 30 },
      { name: '_smtp._tls.x.test.', record_type: 'TXT', value: 'v=TLSRPTv1; rua=mailto:b@x.test', ttl: MIN_TTL },
    ] } });
  });
  it('a set that would end up empty is deleted whole, not an upsert that leaves it alone', () => {
    const records = [{ name: '@', record_type: 'MX', value: '.', ttl: 300, priority: 0 }];
    expect(applySets('x.test', records, [{ name: '@', type: 'MX', keep: () => false, add: [] }], 'why')).toEqual({ tool: 'delete_record', arguments: { zone: 'x.test', name: '@', record_type: 'MX', whole_set: true, dry_run: true }, tradeoff: 'why' });
  });
});
