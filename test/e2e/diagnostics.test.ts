/**
 * Issue 12 point 11, the process as an operator sees it: VPSORG_LOG_LEVEL=debug logs each API
 * request (method, path, status, milliseconds) on stderr, redacted, with nothing but the protocol
 * on stdout; and a whole-zone check_propagation over many record sets, polled over several
 * rounds, prints no MaxListenersExceededWarning.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { BIN } from '../helpers/cli.js';

let emu: Emulator;
beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test does).`);
  emu = await startEmulator({ seed: 'demo' });
});
afterAll(async () => {
  await emu.close();
});

/** Runs the stdio server with `lines` as its input (newline-delimited JSON-RPC) until it has answered `answers` requests. */
function session(env: Record<string, string>, lines: unknown[], answers: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill(), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.split('\n').filter((l) => l.includes('"id"')).length >= answers) child.stdin.end();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout, stderr });
    });
    for (const l of lines) child.stdin.write(`${JSON.stringify(l)}\n`);
  });
}

describe('VPSORG_LOG_LEVEL=debug', () => {
  it('logs every API request on stderr (method, path, status, ms), never the token; stdout carries only JSON-RPC', async () => {
    const zone = emu.store.findZone('example.com')?.uuid as string;
    const call = (id: number, name: string, args: Record<string, unknown>) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
    const { stdout, stderr } = await session(
      { VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_LOG_LEVEL: 'debug' },
      [
        { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        call(2, 'list_records', { zone: 'example.com' }),
        call(3, 'get_record', { record: '00000000-0000-4000-8000-000000000000' }),
      ],
      3,
    );
    const api = stderr.split('\n').filter((l) => l.includes('debug: api: '));
    expect(api).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\[vpsorg-dns-mcp\] debug: api: GET \/api\/v1\/dns-zones\/ -> 200 in \d+ ms$/),
      expect.stringMatching(new RegExp(`^\\[vpsorg-dns-mcp\\] debug: api: GET /api/v1/dns-zones/${zone}/records/ -> 200 in \\d+ ms$`)),
      expect.stringMatching(/^\[vpsorg-dns-mcp\] debug: api: GET \/api\/v1\/dns-records\/00000000-0000-4000-8000-000000000000\/ -> 404 in \d+ ms$/),
    ]));
    // One log line per request the emulator saw from this server.
    expect(api.length).toBe(emu.requests.filter((r) => r.path.startsWith('/api/v1/')).length);
    expect(stderr).not.toContain(DEFAULT_TEST_TOKEN);
    expect(stdout).not.toContain(DEFAULT_TEST_TOKEN);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.length).toBe(3);
    for (const l of lines) expect((JSON.parse(l) as { jsonrpc: string }).jsonrpc).toBe('2.0');
  });

  it('stays quiet at the default level', async () => {
    const { stderr } = await session(
      { VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN },
      [
        { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } },
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_zones', arguments: {} } },
      ],
      2,
    );
    expect(stderr).not.toContain('api: ');
  });
});

describe('a whole-zone check_propagation in MCP mode', () => {
  it('over 250 record sets and several polling rounds prints no MaxListenersExceededWarning', { timeout: 120_000 }, async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, '--sandbox', '--dns-ports', '0,0', '--publish-delay-ms', '5000'], env: { PATH: process.env['PATH'] ?? '' }, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const client = new Client({ name: 'diag', version: '1' });
    await client.connect(transport);
    try {
      const records = Array.from({ length: 250 }, (_, i) => ({ name: `h${i}`, record_type: 'A', value: `198.51.${100 + (i >> 8)}.${(i & 255) + 1}` }));
      // 250 creates are over the zone's budget: held once, applied with the token (the user agreed).
      const held = (await client.callTool({ name: 'apply_zone', arguments: { zone: 'example.com', records } })) as { structuredContent?: Record<string, unknown> };
      const token = held.structuredContent?.['confirm_token'];
      expect(typeof token).toBe('string');
      const applied = (await client.callTool({ name: 'apply_zone', arguments: { zone: 'example.com', records, confirm_token: token } })) as { isError?: boolean };
      expect(applied.isError).toBeFalsy();
      const rounds: number[] = [];
      const r = (await client.callTool({ name: 'check_propagation', arguments: { zone: 'example.com', wait_seconds: 30 } }, undefined, { onprogress: (p) => rounds.push(p.progress), timeout: 60_000 })) as { isError?: boolean; structuredContent?: Record<string, unknown> };
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent?.['propagated']).toBe(true);
      // Several rounds: the new sets were not served at first (the sandbox publishes after 5 s).
      expect(rounds.length).toBeGreaterThan(1);
    } finally {
      await client.close();
    }
    expect(stderr).not.toContain('MaxListenersExceededWarning');
    expect(stderr).not.toMatch(/\(node:\d+\) \w*Warning/);
  });
});
