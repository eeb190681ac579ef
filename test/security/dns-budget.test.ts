// Issue 13 point 8: bounded DNS resources whatever a call asks for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDns } from '../../src/dns/query.js';
import { dnsSocketStats, MAX_DNS_SOCKETS } from '../../src/dns/sockets.js';
import { callScope, inCallScope } from '../../src/callscope.js';
import { startFakeDns, reply, type FakeDns } from '../helpers/fake-dns.js';

describe('DNS resources', () => {
  let silent: FakeDns;
  let answering: FakeDns;
  beforeAll(async () => {
    silent = await startFakeDns(() => undefined);
    answering = await startFakeDns((q, out) => out.send(reply(q)));
  });
  afterAll(async () => {
    await silent?.close();
    await answering?.close();
  });

  it(`never holds more than ${MAX_DNS_SOCKETS} sockets open in the process; the rest wait, and a cancel frees them`, async () => {
    const controller = new AbortController();
    const server = { address: '127.0.0.1', port: silent.port };
    const all = Array.from({ length: MAX_DNS_SOCKETS + 44 }, () => queryDns(server, 'example.com', 'A', { timeoutMs: 60_000, tries: 1, tcpFallback: false, signal: controller.signal }));
    while (dnsSocketStats().inUse < MAX_DNS_SOCKETS) await new Promise((resolve) => setImmediate(resolve));
    expect(dnsSocketStats()).toEqual({ inUse: MAX_DNS_SOCKETS, waiting: 44 });
    controller.abort();
    const results = await Promise.all(all);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(dnsSocketStats()).toEqual({ inUse: 0, waiting: 0 });
  });

  it('a call spends at most its DNS query budget', async () => {
    const server = { address: '127.0.0.1', port: answering.port };
    const before = answering.queries.length;
    const results = await inCallScope(new AbortController().signal, async () => {
      const scope = callScope();
      if (scope) scope.dnsLeft = 3;
      const out = [];
      for (let i = 0; i < 5; i++) out.push(await queryDns(server, 'example.com', 'A', { timeoutMs: 2000 }));
      return out;
    });
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, false]);
    expect(results[4]).toMatchObject({ error: expect.stringMatching(/query budget/) });
    expect(answering.queries.length - before).toBe(3);
  });
});
