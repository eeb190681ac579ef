// Issue 13 point 8: a prompt-injected model cannot use check_propagation's `nameservers` to probe
// hosts and ports from inside the operator's network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { startFakeDns, type FakeDns } from '../helpers/fake-dns.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

const check = (h: Harness, nameservers: string) => h.call('check_propagation', { zone: 'example.com', name: 'www', record_type: 'A', nameservers });
type Servers = { result?: { servers: Array<{ detail: string; address: string; port: number }> } };

describe('the model names nameservers (default policy)', () => {
  let h: Harness;
  let silent: FakeDns;
  beforeAll(async () => {
    silent = await startFakeDns(() => undefined);
    h = await startHarness({ env: { VPSORG_NAMESERVERS: `ns1.example.net=127.0.0.2:53` } });
  });
  afterAll(async () => {
    await h?.close();
    await silent?.close();
  });

  it.each(['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '[::1]', '[fd00::1]', '[fe80::1]', '224.0.0.1'])('refuses %s before sending anything', async (ns) => {
    const r = await check(h, ns);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/not a public unicast address/);
  });

  it('refuses ports other than 53 and more than 8 servers', async () => {
    expect((await check(h, '9.9.9.9:5353')).text).toMatch(/only port 53/);
    const nine = Array.from({ length: 9 }, (_, i) => `9.9.9.${i + 1}`).join(',');
    expect((await check(h, nine)).text).toMatch(/at most 8/);
  });

  it('sends no packet to a refused loopback server', async () => {
    const r = await check(h, `127.0.0.1:${silent.port}`);
    expect(r.isError).toBe(true);
    expect(silent.queries).toHaveLength(0);
  });

  it('still lets the model name a server the operator configured', async () => {
    const r = await check(h, '127.0.0.2:53');
    expect(r.text).not.toMatch(/not a public unicast|only port 53/);
  });
});

// Both checks wait out a silent (or closed) port: side by side, not one after another.
describe.concurrent('VPSORG_ALLOW_PRIVATE_NAMESERVERS=true', () => {
  let h: Harness;
  let silent: FakeDns;
  beforeAll(async () => {
    silent = await startFakeDns(() => undefined);
    h = await startHarness({ env: { VPSORG_ALLOW_PRIVATE_NAMESERVERS: 'true' } });
  });
  afterAll(async () => {
    await h?.close();
    await silent?.close();
  });

  it('asks a loopback server over UDP only (TCP goes to port 53 only), and its failure reads "unreachable"', async ({ expect }) => {
    const r = await check(h, `127.0.0.1:${silent.port}`);
    expect(r.isError, r.text).toBeFalsy();
    expect(silent.queries.length).toBeGreaterThan(0);
    expect(silent.queries.filter((q) => q.transport === 'tcp')).toHaveLength(0);
    const servers = (r.structured as Servers).result?.servers ?? [];
    expect(servers.map((s) => s.detail)).toEqual(['unreachable']);
  });

  it('a refused port and a silent one look the same (no port oracle)', async ({ expect }) => {
    const closed = await startFakeDns(() => undefined);
    const port = closed.port;
    await closed.close();
    const r = await check(h, `127.0.0.1:${port}`);
    const servers = (r.structured as Servers).result?.servers ?? [];
    expect(servers.map((s) => s.detail)).toEqual(['unreachable']);
  });
});

describe('a zone-wide check', () => {
  let sb: Sandbox;
  let h: Harness;
  beforeAll(async () => {
    sb = await startSandbox({ publishDelayMs: [0, 0] });
    h = await startHarness({ emu: sb.emu, env: sb.env });
  }, 30_000);
  afterAll(async () => {
    await h?.close();
    await sb?.close();
  });

  it('raises no MaxListenersExceededWarning however many queries share the call signal', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const r = await h.call('check_propagation', { zone: 'example.com' });
      expect(r.isError, r.text).toBeFalsy();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
