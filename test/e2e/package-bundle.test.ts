/**
 * The MCPB bundle as Claude Desktop gets it: the manifest passes the official validator, and
 * `mcpb pack` makes a bundle that, unpacked far from this checkout's node_modules, starts with
 * the environment the manifest's mcp_config gives it (unset optional fields as literal
 * `${user_config.x}` placeholders) and serves its tools.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';

const run = promisify(execFile);
const MCPB = resolve('node_modules/@anthropic-ai/mcpb/dist/cli/cli.js');
const work = mkdtempSync(join(tmpdir(), 'vpsorg-mcpb-'));
let emu: Emulator;
let unpacked: string;

beforeAll(async () => {
  if (!existsSync('dist/index.js')) throw new Error('dist/index.js is missing: run npm run build first (npm test does).');
  emu = await startEmulator({ seed: 'demo' });
  const bundle = join(work, 'vpsorg-dns-mcp.mcpb');
  await run(process.execPath, [MCPB, 'pack', '.', bundle], { timeout: 60_000 });
  unpacked = join(work, 'unpacked');
  await run(process.execPath, [MCPB, 'unpack', bundle, unpacked], { timeout: 60_000 });
}, 90_000);
afterAll(async () => {
  await emu.close();
  rmSync(work, { recursive: true, force: true });
});

/** The env a host builds from mcp_config.env: given values filled in, the others left as placeholders. */
function hostEnv(given: Record<string, string>): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as { server: { mcp_config: { env: Record<string, string> } } };
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '' };
  for (const [name, template] of Object.entries(manifest.server.mcp_config.env)) {
    const key = /^\$\{user_config\.(.+)\}$/.exec(template)?.[1] ?? '';
    env[name] = given[key] ?? template;
  }
  return env;
}

async function connect(env: Record<string, string>): Promise<Client> {
  const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as { server: { mcp_config: { command: string; args: string[] } } };
  const args = manifest.server.mcp_config.args.map((a) => a.replace('${__dirname}', unpacked));
  const client = new Client({ name: 'mcpb-host', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args, env, cwd: unpacked, stderr: 'ignore' }));
  return client;
}

describe('the MCPB bundle', () => {
  it('passes mcpb validate', async () => {
    const { stdout } = await run(process.execPath, [MCPB, 'validate', 'manifest.json']);
    expect(stdout).toMatch(/passes/);
  });

  it('holds only the built server: no node_modules, no sources', () => {
    expect(existsSync(join(unpacked, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(unpacked, 'manifest.json'))).toBe(true);
    expect(existsSync(join(unpacked, 'node_modules'))).toBe(false);
    expect(existsSync(join(unpacked, 'src'))).toBe(false);
  });

  it('starts from the unpacked bundle and serves every tool, with the optional fields unset', async () => {
    const client = await connect(hostEnv({ api_token: DEFAULT_TEST_TOKEN, api_url: emu.url }));
    const names = (await client.listTools()).tools.map((t) => t.name);
    // Every tool but the app-only approve_plan, which only MCP Apps clients are shown.
    expect(names.sort()).toEqual(ALL_TOOLS.filter((t) => !t.appOnly).map((t) => t.name).sort());
    const zones = (await client.callTool({ name: 'list_zones', arguments: {} })) as { isError?: boolean; structuredContent?: { zones: Array<{ domain: string }> } };
    expect(zones.isError).toBeFalsy();
    expect(zones.structuredContent?.zones.map((z) => z.domain)).toEqual(['example.com']);
    await client.close();
  });

  it('takes the read-only switch as the string "true"', async () => {
    const client = await connect(hostEnv({ api_token: DEFAULT_TEST_TOKEN, api_url: emu.url, read_only: 'true' }));
    const tools = (await client.listTools()).tools;
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    await client.close();
  });
});
