/**
 * Delegation checks on loopback: a root `named` (zone "."), a parent `named` (zone "test.",
 * delegating children with NS + glue) and a child `named` serving the children. Glue cannot
 * carry ports, so the hosts map (VPSORG_NAMESERVERS `host=ip:port`) points names at instances.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDelegation, type DelegationInput } from '../../src/dns/delegation.js';
import type { NameserverSpec } from '../../src/dns/nameservers.js';
import { renderDelegation } from '../../src/dns/render.js';
import { isPublicUnicast } from '../../src/safety/reach.js';
import { bindAvailable, startBind, type BindInstance } from '../helpers/bind.js';
import { reply, startFakeDns, type FakeDns } from '../helpers/fake-dns.js';

const soa = (origin: string, ns: string) => `$TTL 300\n$ORIGIN ${origin}\n@ IN SOA ${ns} hostmaster.${origin === '.' ? '' : origin} 1 3600 600 86400 60\n`;
// `evil.` is what anyone can publish: a delegation whose glue points at a private address (127.0.0.2).
const ROOT = `${soa('.', 'a.root.')}@ NS a.root.\na.root. A 127.0.0.1\ntest. NS ns.nic.test.\nns.nic.test. A 127.0.0.1\nevil. NS ns.evil.\nns.evil. A 127.0.0.2\n`;
const TEST = `${soa('test.', 'ns.nic.test.')}@ NS ns.nic.test.
ns.nic A 127.0.0.1
good NS ns1.good.test.
good NS ns2.good.test.
ns1.good A 127.0.0.1
ns2.good A 127.0.0.1
bad NS ns1.bad.test.
bad NS ns3.bad.test.
bad NS ns4.bad.test.
ns1.bad A 127.0.0.1
ns3.bad A 127.0.0.1
ns4.bad A 127.0.0.1
exists A 192.0.2.1
leaky NS ns1.leaky.test.
ns1.leaky A 127.0.0.2
`;
const child = (origin: string, ns: string[]) => ({ serial: 1, text: `${soa(`${origin}.`, `${ns[0]}.`)}${ns.map((n) => `@ NS ${n}.\n${n}. A 127.0.0.1\n`).join('')}www A 192.0.2.1\n` });

let root: BindInstance;
let parent: BindInstance;
let kid: BindInstance;
let silent: Socket;
let inside: FakeDns;
let hosts: NameserverSpec[];

beforeAll(async () => {
  if (!bindAvailable()) throw new Error('BIND9 is not installed: run `bash scripts/install-bind.sh`');
  [root, parent, kid] = await Promise.all([
    startBind({ '.': { text: ROOT, serial: 1 } }),
    startBind({ test: { text: TEST, serial: 1 } }),
    startBind({ 'good.test': child('good.test', ['ns1.good.test', 'ns2.good.test']), 'bad.test': child('bad.test', ['ns1.bad.test', 'ns2.bad.test']) }),
  ]);
  // Plays a server inside the operator's network at the private glue address: it answers anything.
  inside = await startFakeDns((q, out) => out.send(reply(q, { answers: [{ type: 'SOA', name: q.name, ttl: 60, data: { mname: 'ns.inside', rname: 'h.inside', serial: 9, refresh: 1, retry: 1, expire: 1, minimum: 1 } }] })), { address: '127.0.0.2' });
  silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
  silent.on('message', () => undefined);
  const at = (host: string, port: number) => ({ host, address: '127.0.0.1', port });
  hosts = [
    at('ns.nic.test', parent.port),
    at('ns1.good.test', kid.port),
    at('ns2.good.test', kid.port),
    at('ns1.bad.test', kid.port),
    at('ns2.bad.test', kid.port),
    at('ns3.bad.test', parent.port), // listed at the parent, but the parent's server only refers onwards: lame
    at('ns4.bad.test', silent.address().port), // listed at the parent, never answers
  ];
});

afterAll(async () => {
  await Promise.all([root?.stop(), parent?.stop(), kid?.stop(), inside?.close(), silent ? new Promise<void>((r) => silent.close(() => r())) : undefined]);
});

const check = (over: Partial<DelegationInput> & { zone: string }) =>
  checkDelegation({
    expectedNameservers: [`ns1.${over.zone}`, `ns2.${over.zone}`],
    apexNs: [`ns1.${over.zone}.`, `ns2.${over.zone}`],
    roots: [{ host: 'a.root', address: '127.0.0.1', port: root.port, family: 4 }],
    hosts,
    timeoutMs: 200,
    tries: 1,
    mayAsk: (a) => isPublicUnicast(a.address),
    ...over,
  });

describe('checkDelegation against real BIND', () => {
  it('walks root -> parent and confirms a correct delegation', async () => {
    const r = await check({ zone: 'good.test' });
    expect(r).toMatchObject({ ok: true, delegated: true, parent_zone: 'test', parent_ns: ['ns1.good.test', 'ns2.good.test'], missing_at_parent: [], extra_at_parent: [], lame: [], problems: [] });
    expect(r.parent_servers).toEqual([`ns.nic.test 127.0.0.1:${parent.port}`]);
    expect(r.trace[0]).toMatch(/^a\.root .*referral for test to ns\.nic\.test/);
    expect(r.trace[1]).toMatch(/^ns\.nic\.test .*referral for good\.test/);
    expect(r.servers.map((s) => [s.host, s.status, s.serial])).toEqual([
      ['ns1.good.test', 'ok', 1],
      ['ns2.good.test', 'ok', 1],
    ]);
    expect(renderDelegation(r)).toMatch(/^good\.test: delegation OK; parent zone test/);
  });

  it('reports a mismatching parent NS set and lame or unreachable servers', async () => {
    const r = await check({ zone: 'bad.test' });
    expect(r).toMatchObject({
      ok: false,
      delegated: true,
      parent_ns: ['ns1.bad.test', 'ns3.bad.test', 'ns4.bad.test'],
      missing_at_parent: ['ns2.bad.test'],
      extra_at_parent: ['ns3.bad.test', 'ns4.bad.test'],
      only_at_apex: ['ns2.bad.test'],
      only_at_parent: ['ns3.bad.test', 'ns4.bad.test'],
      lame: ['ns3.bad.test', 'ns4.bad.test'],
    });
    const byHost = Object.fromEntries(r.servers.map((s) => [s.host, s]));
    expect(byHost['ns3.bad.test']).toMatchObject({ status: 'lame', aa: false, detail: 'not authoritative for bad.test: a referral instead of an answer' });
    expect(byHost['ns4.bad.test']).toMatchObject({ status: 'unreachable' });
    expect(byHost['ns2.bad.test']).toMatchObject({ status: 'ok' });
    const text = renderDelegation(r);
    expect(text).toMatch(/problem: the parent does not list the provider's nameserver\(s\) ns2\.bad\.test: add them at the registrar/);
    expect(text).toMatch(/problem: ns3\.bad\.test \(127\.0\.0\.1:\d+\) is lame/);
  });

  it('says a zone the parent does not know is not delegated', async () => {
    const r = await check({ zone: 'missing.test' });
    expect(r).toMatchObject({ ok: false, delegated: false, parent_zone: 'test', parent_ns: [] });
    expect(r.problems[0]).toMatch(/missing\.test is not delegated: missing\.test does not exist in test/);
    const data = await check({ zone: 'exists.test' });
    expect(data.problems[0]).toMatch(/exists in test but has no NS records there/);
  });

  it('reports roots that do not answer instead of hanging', async () => {
    const r = await check({ zone: 'good.test', roots: [{ host: 'dead.root', address: '127.0.0.1', port: silent.address().port, family: 4 }] });
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatch(/could not find the parent's delegation: no server for the root answered good\.test NS: dead\.root .*no reply over UDP within 200 ms/);
  });
});

describe('checkDelegation and addresses it did not get from the operator', () => {
  it('does not follow referral glue to a private address on the way to the parent', async () => {
    inside.queries.length = 0;
    // Servers found on the way use `port`: the private server's, so only the reach rule keeps it unasked.
    const r = await check({ zone: 'victim.evil', port: inside.port });
    expect(inside.queries).toEqual([]);
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatch(/could not find the parent's delegation: .*ns\.evil \(127\.0\.0\.2:\d+\): a referral led to an address that is not public: not asked/);
  });

  it('does not ask a server the parent lists at a private address; it reads only "unreachable"', async () => {
    inside.queries.length = 0;
    const r = await check({ zone: 'leaky.test', port: inside.port });
    expect(inside.queries).toEqual([]);
    expect(r.parent_ns).toEqual(['ns1.leaky.test']);
    expect(r.servers.find((s) => s.host === 'ns1.leaky.test')).toMatchObject({ status: 'unreachable', address: null, serial: null, detail: 'resolves to an address that is not public; not asked' });
  });

  it('asks them when the operator allows it', async () => {
    inside.queries.length = 0;
    const r = await check({ zone: 'leaky.test', port: inside.port, mayAsk: () => true });
    expect(inside.queries.map((q) => `${q.name} ${q.type}`)).toContain('leaky.test SOA');
    expect(r.servers.find((s) => s.host === 'ns1.leaky.test')).toMatchObject({ status: 'ok', address: '127.0.0.2', serial: 9 });
  });
});

describe('checkDelegation through a recursive resolver', () => {
  let resolver: FakeDns;
  beforeAll(async () => {
    // Plays a recursive resolver: knows that test. is served by ns.nic.test, refuses the rest.
    resolver = await startFakeDns((q, out) => {
      if (q.rd && q.type === 'NS' && q.name === 'test') out.send(reply(q, { aa: false, answers: [{ type: 'NS', name: 'test', ttl: 60, data: 'ns.nic.test' }] }));
      else out.send(reply(q, { aa: false, rcode: q.rd ? 3 : 5 }));
    });
  });
  afterAll(async () => resolver?.close());

  it('finds the parent via the resolver, then asks the parent directly', async () => {
    const r = await check({ zone: 'good.test', resolver: { address: resolver.address, port: resolver.port } });
    expect(r).toMatchObject({ ok: true, parent_zone: 'test', parent_ns: ['ns1.good.test', 'ns2.good.test'] });
    expect(resolver.queries.map((q) => `${q.name} ${q.type} rd=${q.rd}`)).toEqual(['test NS rd=true']);
  });
});
