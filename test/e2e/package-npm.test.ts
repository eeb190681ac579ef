/**
 * The npm package as a user gets it: `npm pack` (what `npm publish` would upload), installed into
 * an empty folder far from this checkout, its `vpsorg-dns-mcp` bin started with --sandbox and
 * listed by an MCP client. The bundle in dist/ needs no runtime dependencies, so the install
 * works offline (--offline: nothing is fetched).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ALL_TOOLS } from '../../src/tools/index.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'vpsorg-npm-'));
const app = join(work, 'app');
const npm = (args: string[], cwd: string) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, timeout: 120_000 });

beforeAll(async () => {
  if (!existsSync('dist/index.js')) throw new Error('dist/index.js is missing: run npm run build first (npm test does).');
  // --ignore-scripts: dist/ is already built, and a rebuild would pull it from under tests running now.
  const { stdout } = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], process.cwd());
  const tarball = join(work, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
  rmSync(app, { recursive: true, force: true });
  writeFileSync(join(work, 'package.json'), '{}'); // keeps npm from looking further up for a project
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  await npm(['install', '--offline', tarball], app);
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('installs with no runtime dependencies (the bundle is self-contained)', () => {
    expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['vpsorg-dns-mcp']);
    expect(readdirSync(join(app, 'node_modules', 'vpsorg-dns-mcp')).sort()).toEqual(['README.md', 'dist', 'hooks', 'manifest.json', 'package.json', 'server.json']);
  });

  it('its bin serves the sandbox over stdio, from the install folder', async () => {
    const bin = join(app, 'node_modules', '.bin', 'vpsorg-dns-mcp');
    const client = new Client({ name: 'npm-user', version: '1' });
    await client.connect(new StdioClientTransport({ command: bin, args: ['--sandbox'], cwd: app, env: { PATH: process.env['PATH'] ?? '' }, stderr: 'ignore' }));
    try {
      const { tools } = await client.listTools();
      // Every tool but the app-only approve_plan, which only MCP Apps clients are shown.
      expect(tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS.filter((t) => !t.appOnly).map((t) => t.name).sort());
      const r = (await client.callTool({ name: 'list_zones', arguments: {} })) as { isError?: boolean; structuredContent?: { zones: Array<{ domain: string }> } };
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent?.zones.map((z) => z.domain)).toEqual(['example.com']);
    } finally {
      await client.close();
    }
  });
});

describe('the README client snippets', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Use it from your MCP client'), readme.indexOf('**Once published to npm**'));
  const bins = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> }).bin);

  it('start the command the package installs (npx only "once published")', () => {
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, Record<string, { command: string }>>);
    expect(blocks.length).toBe(3); // Claude Desktop, VS Code, Cursor
    for (const b of blocks) {
      for (const server of Object.values(b['mcpServers'] ?? b['servers'] ?? {})) expect(bins).toContain(server.command);
    }
    expect(section).toMatch(/claude mcp add vpsorg-dns .* -- vpsorg-dns-mcp\n/);
    expect(section).not.toContain('npx');
    expect(readme.indexOf('npm install && npm link')).toBeLessThan(readme.indexOf('## Use it from your MCP client'));
  });
});
