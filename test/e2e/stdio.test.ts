import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { startHarness } from '../helpers/harness.js';

const BIN = 'dist/index.js';
let emu: Emulator;
let env: Record<string, string>;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test does).`);
  emu = await startEmulator({ seed: 'demo' });
  // The SDKs pass only a safe subset of the environment to the child: give it what it needs.
  env = { PATH: process.env['PATH'] ?? '', VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN };
});
afterAll(async () => {
  await emu.close();
});

type AnyClient = { listTools(): Promise<{ tools: Array<{ name: string }> }>; callTool(p: { name: string; arguments: Record<string, unknown> }): Promise<unknown>; close(): Promise<void> };

async function exercise(client: AnyClient) {
  const names = (await client.listTools()).tools.map((t) => t.name);
  expect(names).toEqual(expect.arrayContaining(['whoami', 'list_zones', 'create_record', 'update_ttl']));
  const zones = (await client.callTool({ name: 'list_zones', arguments: {} })) as { structuredContent?: { zones: Array<{ domain: string }> } };
  expect(zones.structuredContent?.zones.map((z) => z.domain)).toContain('example.com');
  const made = (await client.callTool({ name: 'create_record', arguments: { zone: 'example.com', record_type: 'TXT', name: 'stdio-test', value: 'hello world' } })) as { isError?: boolean };
  expect(made.isError).toBeFalsy();
}

describe('the built server over stdio', () => {
  it('serves a 2025-era client (SDK v1, initialize handshake)', async () => {
    const client = new ClientV1({ name: 'v1', version: '1' });
    await client.connect(new StdioV1({ command: process.execPath, args: [BIN], env, stderr: 'ignore' }));
    expect(client.getServerVersion()?.name).toBe('vpsorg-dns-mcp');
    await exercise(client as unknown as AnyClient);
    await client.close();
  });

  it('lists exactly the tools and schemas the source defines (the build embeds precomputed JSON Schemas)', async () => {
    const client = new ClientV2({ name: 'v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StdioV2({ command: process.execPath, args: [BIN], env, stderr: 'ignore' }));
    const built = (await client.listTools()).tools;
    await client.close();
    const h = await startHarness({ emu });
    const fromSource = (await h.client.listTools()).tools;
    await h.close();
    expect(built).toEqual(fromSource);
  });

  it('answers like the source where the build loads code on first use (tool validation, resources, completion)', async () => {
    // Read-only calls only: both servers share the emulator.
    const session = async (client: ClientV2) => [
      await client.callTool({ name: 'get_zone', arguments: { zone: 42, extra: true } }),
      await client.callTool({ name: 'get_zone', arguments: { zone: 'example.com' } }),
      await client.callTool({ name: 'get_zone', arguments: { zone: 'missing.example' } }),
      await client.listResources(),
      await client.readResource({ uri: 'vpsorg://zones/example.com/records' }),
      await client.complete({ ref: { type: 'ref/resource', uri: 'vpsorg://zones/{domain}/zonefile' }, argument: { name: 'domain', value: 'ex' } }),
    ];
    const client = new ClientV2({ name: 'v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StdioV2({ command: process.execPath, args: [BIN], env, stderr: 'ignore' }));
    const built = await session(client);
    await client.close();
    const h = await startHarness({ emu });
    const fromSource = await session(h.client);
    await h.close();
    expect((built[0] as { isError?: boolean }).isError).toBe(true);
    expect(built).toEqual(fromSource);
  });

  it('serves a 2026-07-28 client (SDK v2, server/discover)', async () => {
    const client = new ClientV2({ name: 'v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StdioV2({ command: process.execPath, args: [BIN], env, stderr: 'ignore' }));
    expect(client.getProtocolEra()).toBe('modern');
    await exercise(client as unknown as AnyClient);
    await client.close();
  });

  it('writes nothing but protocol messages to stdout, and logs to stderr', async () => {
    const child = spawn(process.execPath, [BIN], { env: { ...env, VPSORG_LOG_LEVEL: 'debug' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const send = (m: unknown) => child.stdin.write(`${JSON.stringify(m)}\n`);
    const waitFor = (needle: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${needle}; stdout so far: ${out.slice(0, 500)}`)), 10_000);
        const check = setInterval(() => {
          if (out.includes(needle)) {
            clearTimeout(timer);
            clearInterval(check);
            resolve();
          }
        }, 20);
      });
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    await waitFor('"id":1');
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'get_zone', arguments: { zone: 'example.com' } } });
    send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'get_zone', arguments: { zone: 'missing.example' } } });
    // Calls run concurrently: their answers may arrive in either order.
    await waitFor('"id":3');
    await waitFor('"id":4');
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
    const lines = out.split('\n').filter((l) => l.length);
    for (const line of lines) {
      const msg = JSON.parse(line) as { jsonrpc?: string };
      expect(msg.jsonrpc).toBe('2.0');
    }
    expect(lines.map((l) => (JSON.parse(l) as { id?: number }).id).filter((id) => id !== undefined).sort()).toEqual([1, 2, 3, 4]);
    expect(out).not.toContain(DEFAULT_TEST_TOKEN);
    expect(err).not.toContain(DEFAULT_TEST_TOKEN);
  });

  it('exits non-zero with a clear message on bad configuration', async () => {
    const child = spawn(process.execPath, [BIN], { env: { ...env, VPSORG_READ_ONLY: 'maybe' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).not.toBe(0);
    expect(err).toContain('VPSORG_READ_ONLY must be true or false');
    expect(out).toBe('');
  });
});
