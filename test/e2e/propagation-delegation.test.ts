/**
 * Issue 22 point 1 through the tool, against the sandbox's nameservers: a zone that delegates a
 * subdomain (NS below the apex, with glue) checks as propagated, and a delegation edited in the
 * API is pending until the servers' referrals carry the new NS set.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sandboxedServer } from '../helpers/emulated.js';

const t = sandboxedServer('vpsorg-deleg-');

beforeAll(() => {
  t.sb.emu.store.addZone('delegating.example', [
    { record_type: 'A', name: 'www', value: '192.0.2.10' },
    { record_type: 'NS', name: 'lab', value: 'ns1.lab.delegating.example' },
    { record_type: 'NS', name: 'lab', value: 'ns.other-host.example' },
    { record_type: 'A', name: 'ns1.lab', value: '192.0.2.53' },
  ]);
});

describe('check_propagation of a zone that delegates a subdomain (sandbox nameservers)', () => {
  it('the whole zone is propagated; the delegation is judged by the referral', async () => {
    const r = await t.h.call('check_propagation', { zone: 'delegating.example' });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured, r.text).toMatchObject({ mode: 'zone', propagated: true });
    expect(r.structured?.['sets_in_sync']).toBe(r.structured?.['total_sets']);

    const one = await t.h.call('check_propagation', { zone: 'delegating.example', name: 'lab', record_type: 'NS' });
    expect(one.structured?.['propagated'], one.text).toBe(true);
    expect(one.text).toMatch(/referral to the delegated zone lab\.delegating\.example: as expected/);
  });

  it('a name below the cut is judged by the referral; expected NS values that differ stay pending', async () => {
    const below = await t.h.call('check_propagation', { zone: 'delegating.example', name: 'host.lab', record_type: 'A' });
    expect(below.structured?.['propagated'], below.text).toBe(true);
    expect(below.text).toMatch(/below the delegation at lab\.delegating\.example/);
    const other = await t.h.call('check_propagation', { zone: 'delegating.example', name: 'lab', record_type: 'NS', expected: ['ns9.lab.delegating.example'] });
    expect(other.structured?.['propagated']).toBe(false);
    expect(other.text).toMatch(/missing ns9\.lab\.delegating\.example\./);
  });
});
