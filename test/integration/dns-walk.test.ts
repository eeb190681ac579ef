/**
 * The iterative walk's use of glue: in-bailiwick glue is followed, glue for a name outside the
 * referred zone is ignored (a cache-poisoning vector) and the name is looked up instead.
 * One scripted responder plays every server: `ctx.port` sends every referral back to it.
 */
import type { Answer } from 'dns-packet';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hostAddresses, walkDown, type WalkContext } from '../../src/dns/walk.js';
import { reply, startFakeDns, type FakeDns } from '../helpers/fake-dns.js';

const NS = (name: string, target: string): Answer => ({ type: 'NS', name, ttl: 60, data: target });
const A = (name: string, ip: string): Answer => ({ type: 'A', name, ttl: 60, data: ip });

let fake: FakeDns;
let asked: Map<string, number>;

beforeAll(async () => {
  fake = await startFakeDns((q, out) => {
    const n = (asked.get(q.name) ?? 0) + 1;
    asked.set(q.name, n);
    if (q.name === 'inside.example.test' && n === 1) return out.send(reply(q, { aa: false, authorities: [NS(q.name, 'ns1.inside.example.test')], additionals: [A('ns1.inside.example.test', '127.0.0.1')] }));
    if (q.name === 'outside.example.test' && n === 1) return out.send(reply(q, { aa: false, authorities: [NS(q.name, 'ns.elsewhere.test')], additionals: [A('ns.elsewhere.test', '127.0.0.1')] }));
    if (q.name === 'ns.elsewhere.test' && q.type === 'A') return out.send(reply(q, { answers: [A(q.name, '127.0.0.1')] }));
    if (q.type === 'NS') return out.send(reply(q, { answers: [NS(q.name, `ns1.${q.name}`)] }));
    out.send(reply(q, { rcode: 3 }));
  });
});
afterAll(async () => fake?.close());
beforeEach(() => {
  asked = new Map();
  fake.queries.length = 0;
});

const ctx = (): WalkContext => ({
  roots: [{ host: 'root', address: fake.address, port: fake.port, family: 4 }],
  hosts: new Map(),
  port: fake.port,
  tuning: { timeoutMs: 300, tries: 1 },
  budget: { left: 50 },
  trace: [],
  // Every server here is the scripted responder on loopback.
  mayAsk: () => true,
});

describe('walkDown and glue', () => {
  it('follows in-bailiwick glue without a lookup', async () => {
    const out = await walkDown(ctx(), 'inside.example.test', 'NS');
    expect(out.kind).toBe('answer');
    expect(fake.queries.map((q) => `${q.name} ${q.type}`)).toEqual(['inside.example.test NS', 'inside.example.test NS']);
  });

  it('ignores out-of-bailiwick glue and looks the name up from the roots', async () => {
    const c = ctx();
    const out = await walkDown(c, 'outside.example.test', 'NS');
    expect(out.kind).toBe('answer');
    expect(fake.queries.map((q) => `${q.name} ${q.type}`)).toEqual(['outside.example.test NS', 'ns.elsewhere.test A', 'ns.elsewhere.test AAAA', 'outside.example.test NS']);
    expect(c.trace[0]).toMatch(/referral for outside\.example\.test to ns\.elsewhere\.test\./);
  });

  it('takes glue for a host when given, else resolves it; an unknown host has no address', async () => {
    expect(await hostAddresses(ctx(), 'ns.x.test', [{ name: 'ns.x.test', type: 'A', ttl: 1, value: '127.0.0.1' }], 1)).toEqual([{ host: 'ns.x.test', address: '127.0.0.1', port: fake.port, family: 4 }]);
    expect(fake.queries).toEqual([]);
    expect(await hostAddresses(ctx(), 'ns.elsewhere.test', [], 1)).toEqual([{ host: 'ns.elsewhere.test', address: '127.0.0.1', port: fake.port, family: 4 }]);
    expect(await hostAddresses(ctx(), 'nothing.test', [], 1)).toEqual([]);
  });

  it('stops when the query budget is used up', async () => {
    const c = { ...ctx(), budget: { left: 1 } };
    const out = await walkDown(c, 'outside.example.test', 'NS');
    expect(out).toMatchObject({ kind: 'error', detail: expect.stringMatching(/no address found/) });
  });
});
