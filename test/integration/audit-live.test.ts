/**
 * The live audit's takeover and delegation checks against the fixture internet: each planted
 * problem is found with the call that fixes it, and the live names are not flagged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { auditZoneLive, type LiveFinding, type LiveReport } from '../../src/audit/live/index.js';
import { AUDITED, STALE_DS, fixtureResolver, startFixtureInternet } from '../helpers/fixture-internet.js';

let sb: Sandbox;
let report: LiveReport;
const records = () => (sb.emu.store.findZone(AUDITED)?.records ?? []).map(({ uuid, name, record_type, value, ttl, priority }) => ({ uuid, name, record_type, value, ttl, priority: priority ?? null }));
const at = (name: string) => report.findings.filter((f) => f.name === name) as LiveFinding[];
const codes = (name: string) => at(name).map((f) => f.code).sort();

beforeAll(async () => {
  sb = await startFixtureInternet();
  report = await auditZoneLive(AUDITED, records(), fixtureResolver(sb));
});
afterAll(() => sb?.close());

describe('live audit: dangling targets and takeover', () => {
  it('flags a CNAME to a deleted name under a hosting suffix as a takeover, with high confidence and the delete that fixes it', () => {
    const [f] = at('old');
    expect([f?.code, f?.severity, f?.confidence]).toEqual(['takeover_risk', 'error', 'high']);
    expect(f?.message).toMatch(/Microsoft Azure/);
    expect(f?.fix_call).toMatchObject({ tool: 'delete_record', arguments: { zone: AUDITED, name: 'old', record_type: 'CNAME', value: 'gone-app.azurewebsites.net.', dry_run: true } });
  });

  it('tells a dangling name in a live domain from one whose domain is not registered at all', () => {
    expect(codes('docs')).toEqual(['dangling_target']);
    expect(codes('shop')).toEqual(['target_domain_unregistered']);
    expect(codes('_sip._tcp')).toEqual(['target_domain_unregistered']);
    const mx = at('@').find((f) => f.records[0]?.record_type === 'MX');
    expect([mx?.code, mx?.records[0]?.value]).toEqual(['target_domain_unregistered', 'mx.expired-vendor.com.']);
  });

  it('reports one problem once: the mail check\'s plainer "MX has no address" gives way to the target\'s verdict', () => {
    const aboutMx = report.findings.filter((f) => f.records.some((r) => r.value === 'mx.expired-vendor.com.'));
    expect(aboutMx.map((f) => f.code)).toEqual(['target_domain_unregistered']);
    expect(report.findings.map((f) => f.code)).not.toContain('mx_target_no_address');
  });

  it('finds nothing for CNAMEs to live names, under a hosting suffix or not', () => {
    expect(codes('www')).toEqual([]);
    expect(codes('portal')).toEqual([]);
  });
});

describe('live audit: delegation and DNSSEC', () => {
  it('reports the DS the parent holds for the unsigned zone, with the registrar as the place to fix it', () => {
    const f = at('@').find((x) => x.code === 'ds_unsigned_zone');
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain(STALE_DS);
    expect(f?.fix_call).toEqual({ instruction: expect.stringMatching(/^Remove the DS record\(s\) for audited\.com at the registrar/) });
  });

  it('reports a delegation no listed server serves, and offers removing it with the trade-off stated', () => {
    const lame = at('lame');
    expect(lame.map((f) => [f.code, f.severity])).toEqual([['lame_delegation', 'error'], ['lame_delegation', 'error']]);
    expect(lame[0]?.fix_call).toMatchObject({ tool: 'delete_record', arguments: { name: 'lame', record_type: 'NS', whole_set: true, dry_run: true }, tradeoff: expect.stringMatching(/removes the delegation/) });
    expect(codes('good')).toEqual([]);
  });

  it('a delegation whose server does not answer is not called lame, and no removal is offered: it is listed as not checked', () => {
    expect(codes('quiet')).toEqual([]);
    expect(report.not_checked.find((n) => n.check === 'lame_delegation')?.records.map((r) => r.name)).toEqual(['quiet']);
  });

  it('reports glue that differs from the child zone, with the apply_zone that sets it to the child\'s address', () => {
    const [f] = at('ns.sub');
    expect(f?.code).toBe('glue_mismatch');
    // What the child's server answered is not written back by itself: a person confirms the address.
    expect(f?.fix_call).toEqual({ instruction: expect.stringMatching(/Confirm .*127\.0\.0\.2/) });
    expect(codes('sub')).toEqual([]);
  });

  it('gives every finding of the live checks a fix call, and says how many lookups it made', () => {
    const live = report.findings.filter((f) => 'fix_call' in f);
    expect(live.length).toBeGreaterThanOrEqual(8);
    expect(report.live.lookups).toBeGreaterThan(0);
    expect(report.live.exhausted).toBeNull();
  });
});

describe('live audit: budget', () => {
  it('lists what it could not check when the lookup budget runs out, instead of guessing', async () => {
    const small = await auditZoneLive(AUDITED, records(), fixtureResolver(sb, { maxLookups: 3 }));
    expect(small.live.exhausted).toMatch(/3 lookups/);
    const skipped = small.not_checked.filter((n) => /3 lookups/.test(n.reason));
    expect(skipped.map((n) => n.check)).toContain('dangling_target');
    const notLooked = skipped.flatMap((n) => n.records.map((r) => r.name));
    expect(notLooked).toContain('shop');
    expect(small.findings.filter((f) => f.name === 'shop' && 'fix_call' in f)).toEqual([]);
  });
});
