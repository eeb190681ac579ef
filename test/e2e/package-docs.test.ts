/**
 * What is generated from the definitions stays in sync with them (manifest tools, README tables),
 * every setting the code reads is documented, and the registry/bundle metadata agree with
 * package.json. `npm run gen:docs` fixes the first two.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderManifest, renderReadme, renderServerJson } from '../../scripts/docs-lib.js';
import { SETTINGS } from '../../src/cli/settings.js';
import { applyGlobalFlag, emptyArgs } from '../../src/cli/args.js';
import { loadConfig } from '../../src/config.js';

const read = (f: string) => readFileSync(f, 'utf8');
const pkg = JSON.parse(read('package.json')) as { name: string; version: string; mcpName: string; bin: Record<string, string>; files: string[] };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('generated from the definitions', () => {
  it('manifest.json is what npm run gen:docs makes of the tool definitions', () => {
    expect(read('manifest.json'), 'manifest.json is stale: run npm run gen:docs').toBe(renderManifest());
  });

  it('server.json lists every setting, as npm run gen:docs makes it from src/cli/settings.ts', () => {
    expect(read('server.json'), 'server.json is stale: run npm run gen:docs').toBe(renderServerJson());
    const vars = (JSON.parse(read('server.json')) as { packages: Array<{ environmentVariables: Array<{ name: string; isSecret?: boolean }> }> }).packages[0]?.environmentVariables ?? [];
    expect(vars.map((v) => v.name)).toEqual(SETTINGS.map((s) => s.name));
    expect(vars.filter((v) => v.isSecret).map((v) => v.name).sort()).toEqual(['VPSORG_API_TOKEN', 'VPSORG_CONFIRM_SECRET', 'VPSORG_MCP_HTTP_KEY', 'VPSORG_MCP_TOKEN', 'VPSORG_METRICS_TOKEN', 'VPSORG_OAUTH_CLIENT_SECRET', 'VPSORG_STATE_URL']);
  });

  it('the README tools and settings tables are current', () => {
    const readme = read('README.md');
    expect(readme, 'README.md tables are stale: run npm run gen:docs').toBe(renderReadme(readme));
    expect(readme).toMatch(/<!-- tools:start -->\n\| Tool \|/);
  });
});

describe('settings', () => {
  it('documents every VPSORG_* setting the code reads', () => {
    const code = sourceFiles('src').filter((f) => !f.endsWith(join('cli', 'settings.ts')));
    const used = new Set(code.flatMap((f) => read(f).match(/VPSORG_[A-Z_]+[A-Z]/g) ?? []));
    const documented = new Set(SETTINGS.map((s) => s.name));
    expect([...used].filter((n) => !documented.has(n)).sort(), 'add these to src/cli/settings.ts').toEqual([]);
    expect([...documented].filter((n) => !used.has(n)).sort(), 'these are documented but no longer used').toEqual([]);
  });

  it('no page or hint tells operators approvals are not shared across replicas (they are, in VPSORG_STATE_URL)', () => {
    const pages = ['README.md', 'src/safety/refusals.ts', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
    const stale = pages.flatMap((f) => read(f).split(/\n\s*\n|\n- /).filter((para) => /approval/i.test(para) && /sticky sessions (on|are needed for|need)|need(s)? sticky|not shared yet|does not hold\s+pending/i.test(para)).map((para) => `${f}: ${para.slice(0, 120)}`));
    expect(stale).toEqual([]);
  });

  it('every documented flag is accepted on the command line', () => {
    for (const s of SETTINGS.filter((x) => x.flag)) {
      const args = emptyArgs();
      const flag = s.flag as string;
      expect(applyGlobalFlag(args, [flag, 'example.com'], 0), flag).toBeGreaterThan(0);
    }
  });

  it('treats the unset placeholders an MCPB host passes as unset, and booleans given as strings', () => {
    const manifest = JSON.parse(read('manifest.json')) as { server: { mcp_config: { env: Record<string, string> } } };
    const env = manifest.server.mcp_config.env;
    expect(env['VPSORG_API_TOKEN']).toBe('${user_config.api_token}');
    // Everything left unset in the install form: the defaults, as with an empty environment.
    const unset = loadConfig(env);
    expect(unset).toEqual(loadConfig({}));
    expect(unset.token).toBeUndefined();
    // Booleans arrive as text.
    expect(loadConfig({ ...env, VPSORG_READ_ONLY: 'true' }).readOnly).toBe(true);
    expect(loadConfig({ ...env, VPSORG_READ_ONLY: 'false' }).readOnly).toBe(false);
  });
});

describe('package metadata', () => {
  it('server.json describes this npm package for the MCP registry', () => {
    const server = JSON.parse(read('server.json')) as { name: string; version: string; description: string; packages: Array<{ registryType: string; identifier: string; version: string; transport: { type: string }; environmentVariables: Array<{ name: string; isSecret?: boolean }> }> };
    expect(server.name).toBe(pkg.mcpName);
    expect(server.version).toBe(pkg.version);
    expect(server.description.length).toBeLessThanOrEqual(100);
    const [npm] = server.packages;
    expect(npm).toMatchObject({ registryType: 'npm', identifier: pkg.name, version: pkg.version, transport: { type: 'stdio' } });
    expect(npm?.environmentVariables.find((e) => e.name === 'VPSORG_API_TOKEN')?.isSecret).toBe(true);
    for (const e of npm?.environmentVariables ?? []) expect(SETTINGS.map((s) => s.name)).toContain(e.name);
  });

  it('the bin is the built entry, shipped with the manifest', () => {
    expect(pkg.bin['vpsorg-dns-mcp']).toBe('dist/index.js');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'manifest.json', 'README.md']));
    const manifest = JSON.parse(read('manifest.json')) as { version: string; server: { entry_point: string } };
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.server.entry_point).toBe(pkg.bin['vpsorg-dns-mcp']);
  });
});
