/**
 * Issue 22 point 1: a zone that delegates a subdomain. Its servers answer every name at or below
 * the cut with a referral (AA clear, the child's NS in AUTHORITY, glue in ADDITIONAL); that is
 * the right answer, so a check compares the referral's NS set (and glue, where present) with the
 * API's, and a whole-zone check of such a zone reports propagated. Real BIND here; the sandbox's
 * nameservers in test/e2e/propagation-delegation.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NameserverAddress } from '../../src/dns/nameservers.js';
import { checkPropagation, checkZonePropagation } from '../../src/dns/propagation.js';
import { queryDns } from '../../src/dns/query.js';
import { renderZonePropagation } from '../../src/dns/render.js';
import { bindAvailable, startBind, type BindInstance } from '../helpers/bind.js';

const ZONE = `$TTL 300
$ORIGIN parent.test.
@ IN SOA ns1.parent.test. hostmaster.parent.test. 7 3600 600 86400 60
@ NS ns1.parent.test.
ns1 A 127.0.0.1
www A 192.0.2.1
sub 600 NS ns1.sub.parent.test.
sub 600 NS ns.elsewhere.example.
ns1.sub A 192.0.2.53
`;
// The sets the API holds for that zone, as check_propagation reads them (recordSets).
const SETS = [
  { name: '@', recordType: 'NS', expected: ['ns1.parent.test'] },
  { name: 'ns1', recordType: 'A', expected: ['127.0.0.1'] },
  { name: 'www', recordType: 'A', expected: ['192.0.2.1'] },
  { name: 'sub', recordType: 'NS', expected: ['ns1.sub.parent.test', 'ns.elsewhere.example'] },
  { name: 'ns1.sub', recordType: 'A', expected: ['192.0.2.53'] },
];
const DELEGATIONS = [{ name: 'sub', expected: ['ns1.sub.parent.test', 'ns.elsewhere.example'] }];

let bind: BindInstance;
let ns: NameserverAddress;
const tuning = { timeoutMs: 1000, tries: 2 };
const one = (name: string, recordType: string, expected: string[], delegations = DELEGATIONS) =>
  checkPropagation({ zone: 'parent.test', name, recordType, expected, delegations, nameservers: [ns], ...tuning });

beforeAll(async () => {
  if (!bindAvailable()) throw new Error('BIND9 is not installed: run `bash scripts/install-bind.sh`');
  bind = await startBind({ 'parent.test': { text: ZONE, serial: 7 } });
  ns = { host: 'ns1.parent.test', address: '127.0.0.1', port: bind.port, family: 4 };
});
afterAll(async () => bind?.stop());

describe('a zone that delegates a subdomain, against real BIND', () => {
  it('BIND answers below the cut with a referral (the premise)', async () => {
    const r = await queryDns(ns, 'sub.parent.test', 'NS', tuning);
    expect(r).toMatchObject({ ok: true, aa: false, rcode: 'NOERROR', answers: [] });
    expect(r.ok && r.authorities.filter((a) => a.type === 'NS').map((a) => a.value).sort()).toEqual(['ns.elsewhere.example.', 'ns1.sub.parent.test.']);
  });

  it('a whole-zone check reports propagated, the delegation judged by its referral', async () => {
    const r = await checkZonePropagation({ zone: 'parent.test', recordSets: SETS, nameservers: [ns], ...tuning });
    expect(r, renderZonePropagation(r)).toMatchObject({ propagated: true, sets_in_sync: 5, total_sets: 5, rounds: 1 });
    const sub = r.sets.find((s) => s.name === 'sub.parent.test')?.servers[0];
    expect(sub).toMatchObject({ status: 'in_sync', aa: false, ttl: 600, values: ['ns.elsewhere.example.', 'ns1.sub.parent.test.'] });
    expect(sub?.detail).toMatch(/referral to the delegated zone sub\.parent\.test: as expected/);
    expect(r.sets.find((s) => s.name === 'ns1.sub.parent.test')?.servers[0]?.detail).toMatch(/glue in the referral to sub\.parent\.test: as expected/);
  });

  it('a referral whose NS set differs from the API is pending, naming the difference', async () => {
    const r = await one('sub', 'NS', ['ns1.sub.parent.test', 'ns2.sub.parent.test']);
    expect(r.propagated).toBe(false);
    expect(r.servers[0]).toMatchObject({ status: 'pending', aa: false });
    expect(r.servers[0]?.detail).toMatch(/missing ns2\.sub\.parent\.test\.; unexpected ns\.elsewhere\.example\./);
  });

  it('glue is compared where the referral carries it', async () => {
    const r = await one('ns1.sub', 'A', ['192.0.2.54']);
    expect(r.servers[0]).toMatchObject({ status: 'pending', values: ['192.0.2.53'] });
    expect(r.servers[0]?.detail).toMatch(/glue .*missing 192\.0\.2\.54/);
  });

  it('a name below the cut is in sync when the referral matches the delegation the API holds, pending when the API no longer holds it', async () => {
    const below = await one('host.sub', 'A', ['192.0.2.9']);
    expect(below.servers[0]).toMatchObject({ status: 'in_sync', values: [] });
    expect(below.servers[0]?.detail).toMatch(/below the delegation at sub\.parent\.test .*as expected/);
    const stale = await one('host.sub', 'A', ['192.0.2.9'], []);
    expect(stale.servers[0]).toMatchObject({ status: 'pending' });
    expect(stale.servers[0]?.detail).toMatch(/still refers host\.sub\.parent\.test to a delegation at sub\.parent\.test .*that the API does not hold/);
  });

  it('a server that does not serve the zone at all is still an error', async () => {
    const r = await checkPropagation({ zone: 'other.test', name: 'www', recordType: 'A', expected: ['192.0.2.1'], nameservers: [ns], ...tuning });
    expect(r.servers[0]).toMatchObject({ status: 'error', rcode: 'REFUSED' });
  });
});
