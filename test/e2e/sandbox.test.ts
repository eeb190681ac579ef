/**
 * `vpsorg-dns-mcp --sandbox` end to end: the built server spawned over stdio with a real v2
 * client, no account. A change made through the tools is watched propagating on the embedded
 * nameservers (through check_propagation, and directly with queryDns), a delete goes through
 * the gate, and --state keeps the sandbox across restarts.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { queryDns } from '../../src/dns/query.js';
import { startSandbox } from '../../src/sandbox/index.js';

const BIN = 'dist/index.js';
const dir = mkdtempSync(join(tmpdir(), 'vpsorg-sandbox-'));

interface Spawned {
  client: Client;
  stderr: () => string;
  nameservers: Array<{ host: string; address: string; port: number; family: 4 }>;
  close(): Promise<void>;
}

async function spawnSandbox(extra: string[] = []): Promise<Spawned> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, '--sandbox', ...extra], env: { PATH: process.env['PATH'] ?? '' }, stderr: 'pipe' });
  let err = '';
  (transport.stderr as Readable | null)?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'sandbox-test', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(transport);
  // A 2026-07-28 connect sends nothing, so the server may still be starting (seconds on a busy
  // machine). It prints where its nameservers listen before it serves: once a first request is
  // answered the lines are written; wait for both to be read.
  await client.listTools();
  for (let i = 0; i < 100 && (err.match(/ns\d\.vps\.org on /g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  const nameservers = [...err.matchAll(/(ns\d\.vps\.org) on (127\.0\.0\.1):(\d+)/g)].map((m) => ({ host: m[1] as string, address: m[2] as string, port: Number(m[3]), family: 4 as const }));
  return { client, stderr: () => err, nameservers, close: () => client.close() };
}

type Result = { isError?: boolean; structuredContent?: Record<string, unknown>; content?: Array<{ text?: string }> };
const call = async (c: Client, name: string, args: Record<string, unknown>) => (await c.callTool({ name, arguments: args })) as Result;

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test does).`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built server with --sandbox', () => {
  let sb: Spawned;
  beforeAll(async () => {
    // ns2 publishes 12 s late: the checks right after the change must still find it pending on a busy machine.
    sb = await spawnSandbox(['--publish-delay-ms', '0,12000']);
  });
  afterAll(async () => {
    await sb.close();
  });

  it('needs no account: the demo zone is there and every tool is listed', async () => {
    const names = (await sb.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['list_zones', 'create_record', 'delete_record', 'check_propagation']));
    const zones = await call(sb.client, 'list_zones', {});
    expect((zones.structuredContent?.['zones'] as Array<{ domain: string }>).map((z) => z.domain)).toEqual(['example.com']);
    expect(sb.nameservers.map((n) => n.host)).toEqual(['ns1.vps.org', 'ns2.vps.org']);
    expect(sb.stderr()).not.toMatch(/error/i);
  });

  it('shows a change propagating: ns1 at once, ns2 after its publish delay', async () => {
    const made = await call(sb.client, 'create_record', { zone: 'example.com', record_type: 'A', name: 'e2e', value: '192.0.2.77', ttl: 300 });
    expect(made.isError).toBeFalsy();
    const now = await call(sb.client, 'check_propagation', { zone: 'example.com', name: 'e2e', record_type: 'A' });
    expect(now.structuredContent?.['propagated']).toBe(false);
    const statuses = (now.structuredContent?.['result'] as { servers: Array<{ host: string; status: string }> }).servers.map((s) => `${s.host}:${s.status}`);
    expect(statuses).toEqual(['ns1.vps.org:in_sync', 'ns2.vps.org:pending']);
    // The nameservers are real: ask them directly, as dig would.
    const [ns1, ns2] = sb.nameservers;
    const direct1 = await queryDns(ns1!, 'e2e.example.com', 'A', { timeoutMs: 1000, tries: 1 });
    const direct2 = await queryDns(ns2!, 'e2e.example.com', 'A', { timeoutMs: 1000, tries: 1 });
    expect(direct1.ok && direct1.aa && direct1.answers.map((a) => a.value)).toEqual(['192.0.2.77']);
    expect(direct2.ok && direct2.rcode).toBe('NXDOMAIN');
    const waited = await call(sb.client, 'check_propagation', { zone: 'example.com', name: 'e2e', record_type: 'A', wait_seconds: 30 });
    expect(waited.structuredContent?.['propagated']).toBe(true);
    expect(waited.structuredContent?.['serials_agree']).toBe(true);
  }, 60_000); // waits out ns2's publish delay

  it('deletes through the gate: the first call changes nothing and returns a token, the second deletes', async () => {
    const first = await call(sb.client, 'delete_record', { zone: 'example.com', name: 'e2e', record_type: 'A' });
    expect(first.isError).toBeFalsy();
    const token = first.structuredContent?.['confirm_token'];
    expect(typeof token).toBe('string');
    expect(first.structuredContent?.['applied']).toBe(false);
    const still = await call(sb.client, 'get_record', { zone: 'example.com', name: 'e2e', record_type: 'A' });
    expect(still.isError).toBeFalsy();
    const second = await call(sb.client, 'delete_record', { zone: 'example.com', name: 'e2e', record_type: 'A', confirm_token: token });
    expect(second.structuredContent?.['applied']).toBe(true);
    const gone = await call(sb.client, 'get_record', { zone: 'example.com', name: 'e2e', record_type: 'A' });
    expect(gone.isError).toBe(true);
    // And the nameserver stops serving it.
    const r = await queryDns(sb.nameservers[0]!, 'e2e.example.com', 'A', { timeoutMs: 1000, tries: 1 });
    expect(r.ok && r.rcode).toBe('NXDOMAIN');
  });

  it('checks delegation against its own root, without leaving loopback', async () => {
    const res = await call(sb.client, 'check_delegation', { zone: 'example.com' });
    expect(res.isError).toBeFalsy();
    expect(res.structuredContent?.['ok']).toBe(true);
  });
});

describe('--state', () => {
  it('keeps sandbox changes across restarts', async () => {
    const state = join(dir, 'sandbox.json');
    const first = await spawnSandbox(['--state', state]);
    const made = await call(first.client, 'create_record', { zone: 'example.com', record_type: 'TXT', name: 'kept', value: 'survives a restart' });
    expect(made.isError).toBeFalsy();
    await first.close();
    expect(existsSync(state)).toBe(true);
    const second = await spawnSandbox(['--state', state]);
    const found = await call(second.client, 'get_record', { zone: 'example.com', name: 'kept', record_type: 'TXT' });
    expect(found.isError).toBeFalsy();
    // Published to the nameservers at start, too.
    const r = await queryDns(second.nameservers[0]!, 'kept.example.com', 'TXT', { timeoutMs: 1000, tries: 1 });
    expect(r.ok && r.answers.map((a) => a.value)).toEqual(['survives a restart']);
    await second.close();
  }, 90_000); // two cold starts of the built server, each seconds long on a busy machine
});

describe('startSandbox (in-process, as the CLI and the demo use it)', () => {
  it('returns the settings that point a server at it, and closes every socket', async () => {
    const sb = await startSandbox({ publishDelayMs: [0, 0] });
    expect(sb.env.VPSORG_API_TOKEN).toMatch(/^vps_sandbox_[0-9a-f]{32}$/);
    expect(sb.env.VPSORG_NAMESERVERS).toBe(sb.nameservers.map((n) => `${n.host}=127.0.0.1:${n.port}`).join(','));
    expect(sb.env.VPSORG_DNS_ROOTS).toMatch(/^a\.root-servers\.net=127\.0\.0\.1:\d+$/);
    const zone = sb.emu.store.findZone('example.com');
    expect(zone?.records?.map((r) => r.record_type).sort()).toEqual(['A', 'AAAA', 'CAA', 'CAA', 'CNAME', 'MX', 'MX', 'NS', 'NS', 'SRV', 'TXT', 'TXT']);
    const ns = { ...sb.nameservers[1]!, family: 4 as const };
    await sb.close();
    const after = await queryDns(ns, 'example.com', 'A', { timeoutMs: 200, tries: 1, tcpFallback: false });
    expect(after.ok).toBe(false);
  });

  it('refuses bad options', async () => {
    await expect(startSandbox({ publishDelayMs: [0, -1] })).rejects.toThrow(RangeError);
    await expect(startSandbox({ dnsPorts: [1, 2, 3] })).rejects.toThrow(RangeError);
  });
});
