/**
 * Review finding (fixb 4): create_zone's "exists already" check compared the listed domain as the
 * provider spelled it, so a zone listed as `SHOP.EXAMPLE.` read as absent and the create went on
 * to the provider. A real HTTP proxy in front of the emulator spells every listed domain that way
 * (the emulator itself stores them canonical); the comparison is the one ZoneResolver makes. And
 * the check ran only when the create was held: applied alone or as a dry run, nothing checked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startHarness } from '../helpers/harness.js';

let emu: Emulator;
let proxy: Server;

/** Forwards to the emulator; a zone listing comes back with its domains upper-cased and dotted. */
function shoutingProxy(target: string): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
      void fetch(new URL(req.url ?? '/', target), { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) }).then(async (r) => {
        let text = await r.text();
        if (req.method === 'GET' && /\/dns-zones\/?$/.test(new URL(req.url ?? '/', target).pathname)) text = text.replace(/"domain":"([^"]+)"/g, (_m, d: string) => `"domain":"${d.toUpperCase()}."`);
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' }).end(text);
      });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  emu.store.addZone('shop.example');
  proxy = await shoutingProxy(emu.url);
});
afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  await emu?.close();
});

const writes = () => emu.requests.filter((q) => q.method !== 'GET');

it.each([
  ['held for a person (VPSORG_HUMAN_FOR=create_zone)', { VPSORG_HUMAN_FOR: 'create_zone' }, {}],
  ['applied alone (the default)', {}, {}],
  ['a dry run (it must not promise a create)', {}, { dry_run: true }],
])('create_zone of a zone the provider lists as SHOP.EXAMPLE.: %s: "exists already", nothing sent', async (_l, env, args) => {
  const h = await startHarness({ emu, env: { VPSORG_API_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, ...env } });
  try {
    emu.requests.length = 0;
    const r = await h.call('create_zone', { domain: 'shop.example', ...args });
    expect(r.isError, r.text).toBe(true);
    expect(r.text).toContain('The zone shop.example exists already. Nothing was created.');
    expect(writes()).toHaveLength(0);
    // The proxy did rewrite a listing (the check read one).
    expect(emu.requests.some((q) => q.path.endsWith('/dns-zones/') && q.method === 'GET')).toBe(true);
  } finally {
    await h.close();
  }
});
