/**
 * queryDns against a scripted responder: spoofed, misdirected and malformed replies must be
 * ignored (the real answer, sent after, still accepted) or reported, never crash or hang.
 */
import type { Answer } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDns } from '../../src/dns/query.js';
import { UserError } from '../../src/errors.js';
import { reply, startFakeDns, type FakeDns, type FakeQuery, type Sender } from '../helpers/fake-dns.js';

const A = (name: string, ip: string): Answer => ({ type: 'A', name, ttl: 60, data: ip });
const fast = { timeoutMs: 250, tries: 1, tcpFallback: false };

/** Each test name (the first label of the query) selects a behaviour. */
const behaviours: Record<string, (q: FakeQuery, out: Sender) => void | Promise<void>> = {
  good: (q, out) => out.send(reply(q, { answers: [A(q.name, '192.0.2.1')] })),
  wrongid: (q, out) => {
    out.send(reply(q, { id: (q.id + 1) & 0xffff, answers: [A(q.name, '192.0.2.66')] }));
    out.send(reply(q, { answers: [A(q.name, '192.0.2.1')] }));
  },
  wrongq: (q, out) => {
    out.send(reply(q, { name: 'evil.example', answers: [A('evil.example', '192.0.2.66')] }));
    out.send(reply(q, { type: 'AAAA' }));
    out.send(reply(q, { answers: [A(q.name, '192.0.2.1')] }));
  },
  otherport: (q, out) => {
    out.send(reply(q, { answers: [A(q.name, '192.0.2.66')] }), { fromOtherPort: true });
    out.send(reply(q, { answers: [A(q.name, '192.0.2.1')] }));
  },
  onlyotherport: (q, out) => out.send(reply(q, { answers: [A(q.name, '192.0.2.66')] }), { fromOtherPort: true }),
  garbage: (q, out) => {
    out.send(Buffer.from('this is not dns at all'));
    out.send(Buffer.alloc(0));
    out.send(reply(q, { answers: [A(q.name, '192.0.2.1')] }));
  },
  loop: (q, out) => {
    const buf = reply(q, { answers: [A(q.name, '192.0.2.1')] });
    const at = 12 + q.name.length + 2 + 4;
    buf.writeUInt16BE(0xc000 | at, at); // the answer's owner name points at itself
    out.send(buf);
  },
  truncrecord: (q, out) => {
    const buf = reply(q, { answers: [A(q.name, '192.0.2.1')] });
    const cut = buf.subarray(0, buf.length - 1);
    cut.writeUInt16BE(3, cut.length - 5);
    out.send(cut);
  },
  silent: () => undefined,
  tc: async (q, out) => {
    if (q.transport === 'udp') return out.send(reply(q, { tc: true }));
    await out.frame(reply(q, { id: (q.id + 7) & 0xffff, answers: [A(q.name, '192.0.2.66')] }));
    await out.frame(reply(q, { answers: [A(q.name, '192.0.2.1'), A(q.name, '192.0.2.2')] }), 9);
  },
  tcclose: (q, out) => {
    if (q.transport === 'udp') return out.send(reply(q, { tc: true }));
    out.send(Buffer.from([0, 200, 1, 2, 3]));
    setTimeout(() => out.end(), 5);
  },
  refused: (q, out) => out.send(reply(q, { rcode: 5, aa: false })),
};

function handler(q: FakeQuery, out: Sender) {
  const key = q.name.split('.')[0] ?? '';
  return behaviours[key]?.(q, out);
}

let v4: FakeDns;
let v6: FakeDns;
beforeAll(async () => {
  v4 = await startFakeDns(handler, { tcp: true });
  v6 = await startFakeDns(handler, { address: '::1' });
});
afterAll(async () => {
  await v4?.close();
  await v6?.close();
});

const ask = (label: string, opts: Parameters<typeof queryDns>[3] = fast, server = v4) => queryDns(server, `${label}.example.test`, 'A', opts);
const values = (r: Awaited<ReturnType<typeof queryDns>>) => (r.ok ? r.answers.map((a) => a.value) : r.error);

describe('queryDns against a misbehaving responder', () => {
  it('accepts a normal reply and sends recursion-desired off', async () => {
    expect(values(await ask('good'))).toEqual(['192.0.2.1']);
    expect(v4.queries.at(-1)?.rd).toBe(false);
  });

  it.each(['wrongid', 'wrongq', 'otherport', 'garbage'])('ignores the bad datagrams of %s and accepts the real answer after them', async (label) => {
    const r = await ask(label);
    expect(r.ok).toBe(true);
    expect(values(r)).toEqual(['192.0.2.1']);
  });

  it('times out (bounded) when the only reply comes from another port, saying it ignored it', async () => {
    const r = await ask('onlyotherport');
    expect(r).toMatchObject({ ok: false, kind: 'timeout' });
    expect(values(r)).toMatch(/1 unrelated or spoofed datagram ignored/);
  });

  it.each([
    ['loop', /does not point backwards/],
    ['truncrecord', /RDLENGTH says 3/],
  ])('reports %s as a malformed reply', async (label, message) => {
    const r = await ask(label);
    expect(r).toMatchObject({ ok: false, kind: 'malformed' });
    expect(values(r)).toMatch(message);
  });

  it('retries a silent server with a fresh query per try, then falls back to TCP once', async () => {
    const before = v4.queries.length;
    const r = await ask('silent', { timeoutMs: 100, tries: 2 });
    expect(r).toMatchObject({ ok: false, kind: 'timeout' });
    expect(values(r)).toMatch(/no reply over UDP within 100 ms \(2 tries\); TCP fallback: no reply over TCP/);
    const seen = v4.queries.slice(before);
    expect(seen.map((q) => q.transport)).toEqual(['udp', 'udp', 'tcp']);
  });

  it('retries a truncated UDP answer over TCP, skipping an unrelated frame and reassembling a split reply', async () => {
    // A generous timeout: the happy path does not wait for it, and a loaded machine must not fail this.
    const r = await ask('tc', { ...fast, timeoutMs: 5000 });
    expect(r).toMatchObject({ ok: true, transport: 'tcp', tc: false });
    expect(values(r)).toEqual(['192.0.2.1', '192.0.2.2']);
  });

  it('reports a TCP connection that closes before a whole reply', async () => {
    const r = await ask('tcclose');
    expect(r.ok).toBe(false);
    expect(values(r)).toMatch(/truncated and the TCP retry failed: .*closed before a complete reply/);
  });

  it('passes rcodes and the AA flag through', async () => {
    expect(await ask('refused')).toMatchObject({ ok: true, rcode: 'REFUSED', aa: false, answers: [] });
  });

  it('works over IPv6 loopback', async () => {
    expect(values(await ask('good', fast, v6))).toEqual(['192.0.2.1']);
  });

  it('stops at once when aborted', async () => {
    const ctl = new AbortController();
    const pending = ask('silent', { timeoutMs: 20_000, tries: 2, signal: ctl.signal });
    setTimeout(() => ctl.abort(), 20);
    expect(await pending).toMatchObject({ ok: false, error: 'query aborted' });
  });

  it('refuses a name that cannot be encoded instead of sending a corrupt packet', async () => {
    await expect(queryDns(v4, `${'a'.repeat(64)}.example.test`, 'A', fast)).rejects.toBeInstanceOf(UserError);
  });
});
